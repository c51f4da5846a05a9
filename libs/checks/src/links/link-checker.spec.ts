import {
  BlockedDestinationError,
  NameNotResolvedError,
  OutboundRequestError,
  OutboundResponse,
  OutboundTimeoutError,
  RequestInit,
} from '@imprimatur/outbound';
import { LinkChecker } from './link-checker';
import type { LinkTarget } from './targets';

type Reply = { status: number; headers?: Record<string, string> } | Error;

/** A scripted web: each URL answers from its list in turn (the last answer repeats). */
class ScriptedWeb {
  readonly calls: { method: string; url: string }[] = [];
  constructor(private readonly script: Record<string, Reply[]>) {}

  async request(url: string, init: RequestInit): Promise<OutboundResponse> {
    this.calls.push({ method: init.method, url });
    const key = `${init.method} ${url}`;
    const replies = this.script[key] ?? this.script[url];
    if (!replies) throw new Error(`unscripted ${key}`);
    const reply = replies.length > 1 ? replies.shift()! : replies[0];
    if (reply instanceof Error) throw reply;
    return { url, status: reply.status, headers: reply.headers ?? {}, body: '' };
  }
}

const passThrough = { run: <T>(_host: string, work: () => Promise<T>) => work() };

function checker(web: ScriptedWeb, sleeps: number[] = []) {
  return new LinkChecker(web, passThrough, {
    timeoutMs: 100,
    retries: 2,
    retryBaseMs: 100,
    maxRetryAfterMs: 5_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    now: () => new Date('2026-11-28T00:00:00Z'),
  });
}

const url = (u: string, kind: LinkTarget['kind'] = 'url'): LinkTarget => ({ n: 1, kind, url: u });
const A = 'http://a.test/page';

describe('LinkChecker', () => {
  it('answers ok for a 200 to HEAD, with the status and final URL', async () => {
    const result = await checker(new ScriptedWeb({ [A]: [{ status: 200 }] })).check(url(A));
    expect(result).toEqual({
      n: 1,
      kind: 'url',
      url: A,
      status: 'ok',
      httpStatus: 200,
      finalUrl: A,
      attempts: 1,
      checkedAt: '2026-11-28T00:00:00.000Z',
    });
  });

  it('falls back to GET when HEAD is refused with 405 or 501', async () => {
    for (const refused of [405, 501]) {
      const web = new ScriptedWeb({ [`HEAD ${A}`]: [{ status: refused }], [`GET ${A}`]: [{ status: 200 }] });
      expect((await checker(web).check(url(A))).status).toBe('ok');
      expect(web.calls.map((c) => c.method)).toEqual(['HEAD', 'GET']);
    }
  });

  it('confirms a 404 or 410 by GET before calling a link broken', async () => {
    const web = new ScriptedWeb({ [`HEAD ${A}`]: [{ status: 404 }], [`GET ${A}`]: [{ status: 410 }] });
    expect(await checker(web).check(url(A))).toMatchObject({ status: 'broken', httpStatus: 410 });
    expect(web.calls.map((c) => c.method)).toEqual(['HEAD', 'GET']);
    const liar = new ScriptedWeb({ [`HEAD ${A}`]: [{ status: 404 }], [`GET ${A}`]: [{ status: 200 }] });
    expect((await checker(liar).check(url(A))).status).toBe('ok');
  });

  it('marks a plain url that moved permanently as redirected, with where it ended', async () => {
    const web = new ScriptedWeb({
      [A]: [{ status: 301, headers: { location: '/moved' } }],
      'http://a.test/moved': [{ status: 302, headers: { location: 'http://b.test/final' } }],
      'http://b.test/final': [{ status: 200 }],
    });
    expect(await checker(web).check(url(A))).toMatchObject({
      status: 'redirected',
      finalUrl: 'http://b.test/final',
      httpStatus: 200,
    });
  });

  it('does not mark temporary redirects, nor DOI/PMID redirects', async () => {
    const temporary = new ScriptedWeb({
      [A]: [{ status: 302, headers: { location: '/tmp' } }],
      'http://a.test/tmp': [{ status: 200 }],
    });
    expect((await checker(temporary).check(url(A))).status).toBe('ok');
    const doi = new ScriptedWeb({
      [A]: [{ status: 301, headers: { location: 'http://publisher.test/x' } }],
      'http://publisher.test/x': [{ status: 200 }],
    });
    expect((await checker(doi).check(url(A, 'doi'))).status).toBe('ok');
  });

  it('gives up after 10 redirects', async () => {
    const loop = new ScriptedWeb({ [A]: [{ status: 302, headers: { location: A } }] });
    expect(await checker(loop).check(url(A))).toMatchObject({
      status: 'error',
      code: 'too_many_redirects',
      error: 'too many redirects',
    });
    expect(loop.calls).toHaveLength(11);
  });

  it('retries 503 with backoff and succeeds', async () => {
    const sleeps: number[] = [];
    const web = new ScriptedWeb({ [A]: [{ status: 503 }, { status: 200 }] });
    expect(await checker(web, sleeps).check(url(A))).toMatchObject({ status: 'ok', attempts: 2 });
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
  });

  it('honours Retry-After on 429 (seconds), capped by the configured maximum', async () => {
    const sleeps: number[] = [];
    const web = new ScriptedWeb({
      [A]: [
        { status: 429, headers: { 'retry-after': '2' } },
        { status: 429, headers: { 'retry-after': '3600' } },
        { status: 200 },
      ],
    });
    expect(await checker(web, sleeps).check(url(A))).toMatchObject({ status: 'ok', attempts: 3 });
    expect(sleeps).toEqual([2_000, 5_000]);
  });

  it('reports error after the retries are spent on 5xx, and timeout for 408', async () => {
    expect(await checker(new ScriptedWeb({ [A]: [{ status: 500 }] })).check(url(A))).toMatchObject({
      status: 'error',
      httpStatus: 500,
      attempts: 3,
    });
    expect(await checker(new ScriptedWeb({ [A]: [{ status: 408 }] })).check(url(A))).toMatchObject({
      status: 'timeout',
      attempts: 3,
    });
  });

  it('retries timeouts, then reports timeout', async () => {
    const web = new ScriptedWeb({ [A]: [new OutboundTimeoutError('slow')] });
    expect(await checker(web).check(url(A))).toMatchObject({ status: 'timeout', attempts: 3, httpStatus: null });
    const recovers = new ScriptedWeb({ [A]: [new OutboundTimeoutError('slow'), { status: 200 }] });
    expect(await checker(recovers).check(url(A))).toMatchObject({ status: 'ok', attempts: 2 });
  });

  it('calls bot walls unverifiable: 999 and 403 with cf-mitigated', async () => {
    expect((await checker(new ScriptedWeb({ [A]: [{ status: 999 }] })).check(url(A))).status).toBe('unverifiable');
    expect(
      (
        await checker(new ScriptedWeb({ [A]: [{ status: 403, headers: { 'cf-mitigated': 'challenge' } }] })).check(
          url(A),
        )
      ).status,
    ).toBe('unverifiable');
    expect((await checker(new ScriptedWeb({ [A]: [{ status: 403 }] })).check(url(A))).status).toBe('error');
  });

  it('maps blocked destinations, unknown names and other failures without retrying them', async () => {
    const blocked = new ScriptedWeb({
      [A]: [new BlockedDestinationError('http://a.test/page', 'private', '10.0.0.1')],
    });
    expect(await checker(blocked).check(url(A))).toMatchObject({ status: 'blocked', attempts: 1 });
    expect(blocked.calls).toHaveLength(1);
    const unknown = new ScriptedWeb({ [A]: [new NameNotResolvedError('a.test', 'ENOTFOUND')] });
    expect(await checker(unknown).check(url(A))).toMatchObject({ status: 'broken', attempts: 1 });
    const refused = new ScriptedWeb({
      [A]: [new OutboundRequestError(A, 'connect ECONNREFUSED 10.1.2.3:80', 'ECONNREFUSED')],
    });
    expect(await checker(refused).check(url(A))).toMatchObject({
      status: 'error',
      code: 'connection_refused',
      error: 'the connection was refused',
      attempts: 1,
    });
  });

  describe('details safe to show (contract §6, issue #18)', () => {
    /** Everything the stored result says, but its own URL: no address or error text may hide in it. */
    const said = (result: object) => JSON.stringify({ ...result, url: undefined });

    it('says a blocked link is blocked, with a fixed sentence and never the address it resolved to', async () => {
      for (const error of [
        new BlockedDestinationError(A, 'private', '10.0.0.1'),
        new BlockedDestinationError(A, 'metadata', '169.254.169.254'),
        new BlockedDestinationError(A, 'loopback', '::1'),
      ]) {
        const result = await checker(new ScriptedWeb({ [A]: [error] })).check(url(A));
        expect(result).toEqual({
          n: 1,
          kind: 'url',
          url: A,
          status: 'blocked',
          httpStatus: null,
          finalUrl: null,
          attempts: 1,
          checkedAt: '2026-11-28T00:00:00.000Z',
          code: 'address_not_allowed',
          error: 'the address is not allowed',
        });
        expect(said(result)).not.toMatch(/10\.0\.0\.1|169\.254|::1|private|metadata|loopback|Refusing/);
      }
    });

    it('blocks a redirect to an internal address the same way', async () => {
      const web = new ScriptedWeb({
        [A]: [{ status: 302, headers: { location: 'http://intranet.test/' } }],
        'http://intranet.test/': [new BlockedDestinationError('http://intranet.test/', 'private', '192.168.1.20')],
      });
      const result = await checker(web).check(url(A));
      expect(result).toMatchObject({
        status: 'blocked',
        code: 'address_not_allowed',
        error: 'the address is not allowed',
      });
      expect(said(result)).not.toContain('192.168');
    });

    it('gives network failures a safe code, not their message', async () => {
      const cases: [Error, string, string][] = [
        [
          new OutboundRequestError(A, 'read ECONNRESET', 'ECONNRESET'),
          'reset',
          'the connection was closed before an answer',
        ],
        [
          new OutboundRequestError(A, 'certificate has expired for 10.9.8.7', 'CERT_HAS_EXPIRED'),
          'tls_error',
          'the secure connection failed',
        ],
        [
          new OutboundRequestError(A, 'getaddrinfo EAI_AGAIN a.test', 'EAI_AGAIN'),
          'dns_failure',
          'the name does not resolve',
        ],
        [
          new OutboundRequestError(A, 'connect EHOSTUNREACH 10.0.0.9:80', 'EHOSTUNREACH'),
          'unreachable',
          'the host cannot be reached',
        ],
        [new OutboundRequestError(A, 'something odd at 10.0.0.9'), 'request_failed', 'the request failed'],
      ];
      for (const [error, code, sentence] of cases) {
        const result = await checker(new ScriptedWeb({ [A]: [error] })).check(url(A));
        expect(result).toMatchObject({ status: 'error', code, error: sentence });
        expect(said(result)).not.toContain(error.message);
        expect(said(result)).not.toContain('10.');
      }
      const unknown = await checker(new ScriptedWeb({ [A]: [new NameNotResolvedError('a.test', 'ENOTFOUND')] })).check(
        url(A),
      );
      expect(unknown).toMatchObject({ status: 'broken', code: 'dns_failure', error: 'the name does not resolve' });
      const slow = await checker(
        new ScriptedWeb({ [A]: [new OutboundTimeoutError(`${A} did not answer within 100 ms`)] }),
      ).check(url(A));
      expect(slow).toMatchObject({ status: 'timeout', code: 'timeout', error: 'no answer in time' });
    });

    it('reports a redirect to an unparsable Location as invalid_redirect', async () => {
      const web = new ScriptedWeb({ [A]: [{ status: 302, headers: { location: 'http://[oops/' } }] });
      expect(await checker(web).check(url(A))).toMatchObject({
        status: 'error',
        code: 'invalid_redirect',
        error: 'redirected to an invalid address',
      });
    });

    it('keeps an unexpected error out of the details, and hands it to onUnexpectedError for the logs', async () => {
      const heard: unknown[] = [];
      const bug = new TypeError(
        "Cannot read properties of undefined (reading 'status') at /srv/app/link-checker.js:42",
      );
      const web = new ScriptedWeb({ [A]: [bug] });
      const noisy = new LinkChecker(web, passThrough, {
        timeoutMs: 100,
        retries: 2,
        retryBaseMs: 1,
        maxRetryAfterMs: 1,
        onUnexpectedError: (error) => heard.push(error),
      });
      const result = await noisy.check(url(A));
      expect(result).toMatchObject({
        status: 'error',
        code: 'request_failed',
        error: 'the request failed',
        attempts: 1,
      });
      expect(said(result)).not.toMatch(/Cannot read|srv|TypeError/);
      expect(heard).toEqual([bug]);
      // Failures of the outbound client are expected answers, not bugs: nothing to log.
      await new LinkChecker(
        new ScriptedWeb({ [A]: [new BlockedDestinationError(A, 'private', '10.0.0.1')] }),
        passThrough,
        {
          timeoutMs: 100,
          retries: 0,
          retryBaseMs: 1,
          maxRetryAfterMs: 1,
          onUnexpectedError: (error) => heard.push(error),
        },
      ).check(url(A));
      expect(heard).toHaveLength(1);
    });
  });

  it('asks the host throttle for every request, hop by hop', async () => {
    const hosts: string[] = [];
    const web = new ScriptedWeb({
      [A]: [{ status: 302, headers: { location: 'http://b.test/x' } }],
      'http://b.test/x': [{ status: 200 }],
    });
    const throttled = new LinkChecker(
      web,
      { run: (host, work) => (hosts.push(host), work()) },
      { timeoutMs: 1, retries: 0, retryBaseMs: 1, maxRetryAfterMs: 1 },
    );
    await throttled.check(url(A));
    expect(hosts).toEqual(['a.test', 'b.test']);
  });
});
