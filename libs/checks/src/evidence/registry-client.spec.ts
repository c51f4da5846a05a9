import { NameNotResolvedError, OutboundResponse, OutboundTimeoutError, RequestInit } from '@imprimatur/outbound';
import { fixture } from '../../../../test/support/registries';
import { RegistryClient, RegistryClientOptions } from './registry-client';

type Reply = OutboundResponse | Error;

/** An HTTP port that answers from a script, one reply per request, and remembers what it was asked. */
class ScriptedHttp {
  readonly asked: { url: string; init: RequestInit }[] = [];
  constructor(private readonly replies: Reply[]) {}

  request(url: string, init: RequestInit): Promise<OutboundResponse> {
    this.asked.push({ url, init });
    const reply = this.replies.shift();
    if (!reply) throw new Error(`no scripted reply for ${url}`);
    return reply instanceof Error ? Promise.reject(reply) : Promise.resolve({ ...reply, url });
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): OutboundResponse => ({
  url: '',
  status,
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const direct = { run: <T>(_host: string, work: () => Promise<T>) => work() };

function client(replies: Reply[], options: Partial<RegistryClientOptions> = {}) {
  const http = new ScriptedHttp(replies);
  const slept: number[] = [];
  const registries = new RegistryClient(http, { crossref: direct, pubmed: direct }, null, {
    crossrefUrl: 'https://api.crossref.test',
    eutilsUrl: 'https://eutils.ncbi.test/entrez/eutils',
    pubmedUrl: 'https://pubmed.test',
    contactEmail: 'desk@imprimatur.test',
    timeoutMs: 1_000,
    retries: 2,
    retryBaseMs: 10,
    maxRetryAfterMs: 5_000,
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
    ...options,
  });
  return { registries, http, slept };
}

describe('RegistryClient', () => {
  it('asks Crossref for the work with mailto and a User-Agent that names the contact', async () => {
    const { registries, http } = client([json(200, fixture('crossref-retracted'))]);
    const outcome = await registries.crossref('10.1021/am300292v');
    expect(outcome).toMatchObject({ outcome: 'found', record: { registry: 'crossref', doi: '10.1021/am300292v' } });
    expect(http.asked[0].url).toBe('https://api.crossref.test/works/10.1021/am300292v?mailto=desk%40imprimatur.test');
    expect(http.asked[0].init.headers?.['user-agent']).toContain('mailto:desk@imprimatur.test');
  });

  it('encodes what a DOI may hold that a URL path may not, and sends no contact when none is set', async () => {
    const { registries, http } = client([json(404, 'Resource not found.')], { contactEmail: null });
    await expect(registries.crossref('10.1002/(sici)1097-0142#x')).resolves.toEqual({
      outcome: 'not_found',
      registry: 'crossref',
    });
    expect(http.asked[0].url).toBe('https://api.crossref.test/works/10.1002/(sici)1097-0142%23x');
    expect(http.asked[0].init.headers?.['user-agent']).not.toContain('mailto');
  });

  it("asks PubMed's esummary with tool and email, and reads an unknown PMID as not found", async () => {
    const { registries, http } = client([json(200, fixture('pubmed-unknown'))]);
    await expect(registries.pubmed('99999999')).resolves.toEqual({ outcome: 'not_found', registry: 'pubmed' });
    const asked = new URL(http.asked[0].url);
    expect(asked.pathname).toBe('/entrez/eutils/esummary.fcgi');
    expect(Object.fromEntries(asked.searchParams)).toEqual({
      db: 'pubmed',
      retmode: 'json',
      id: '99999999',
      tool: 'imprimatur',
      email: 'desk@imprimatur.test',
    });
  });

  it('waits as long as a 429 says (capped) and asks again', async () => {
    const { registries, slept } = client([
      json(429, '', { 'retry-after': '3' }),
      json(200, fixture('crossref-verified')),
    ]);
    await expect(registries.crossref('10.1016/j.annonc.2021.07.002')).resolves.toMatchObject({ outcome: 'found' });
    expect(slept).toEqual([3_000]);
  });

  it('retries 5xx and timeouts with backoff, then gives up with a safe code', async () => {
    const timeout = new OutboundTimeoutError('no answer');
    const { registries, slept } = client([json(503, ''), timeout, json(502, '')]);
    await expect(registries.crossref('10.1/x')).resolves.toEqual({
      outcome: 'error',
      registry: 'crossref',
      code: 'http_502',
    });
    expect(slept).toHaveLength(2);
  });

  it('says rate_limited when the registry keeps refusing', async () => {
    const { registries } = client([json(429, ''), json(429, ''), json(429, '')]);
    await expect(registries.pubmed('1')).resolves.toMatchObject({ outcome: 'error', code: 'rate_limited' });
  });

  it('does not retry what retrying cannot fix: a name that does not resolve, a body that is not the API', async () => {
    const dns = client([new NameNotResolvedError('api.crossref.test', 'ENOTFOUND')]);
    await expect(dns.registries.crossref('10.1/x')).resolves.toMatchObject({ code: 'dns_failure' });
    expect(dns.slept).toEqual([]);
    const html = client([json(200, '<html>maintenance</html>')]);
    await expect(html.registries.crossref('10.1/x')).resolves.toMatchObject({ code: 'bad_response' });
    const notWork = client([json(200, { status: 'ok', 'message-type': 'work-list', message: {} })]);
    await expect(notWork.registries.crossref('10.1/x')).resolves.toMatchObject({ code: 'bad_response' });
  });

  it('reports an unexpected failure (not the registry) to its hook and answers error', async () => {
    const seen: unknown[] = [];
    const { registries } = client([new TypeError('a bug')], { onUnexpectedError: (error) => seen.push(error) });
    await expect(registries.pubmed('1')).resolves.toMatchObject({ outcome: 'error', code: 'request_failed' });
    expect(seen).toHaveLength(1);
  });
});
