import {
  HostWaitAbandonedError,
  BlockedDestinationError,
  describeOutboundFailure,
  isOutboundError,
  NameNotResolvedError,
  OUTBOUND_FAILURES,
  OutboundFailure,
  OutboundResponse,
  OutboundTimeoutError,
  RequestInit,
} from '@imprimatur/outbound';
import { classifyAnswer, exhausted, LinkResult, LinkStatus, retryAfterMs, retryDelayMs } from './classify';
import type { LinkTarget } from './targets';

/** The one request a checker makes at a time; the SSRF-safe client is one. */
export interface HttpPort {
  request(url: string, init: RequestInit): Promise<OutboundResponse>;
}

/** Per-host politeness: runs one request when the host has room for it. */
export interface HostThrottle {
  run<T>(host: string, work: () => Promise<T>): Promise<T>;
}

export interface LinkCheckerOptions {
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  maxRetryAfterMs: number;
  maxRedirects?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /**
   * Hears failures that did not come from the outbound client (a bug, the host limiter's Redis): the
   * link's result only says the check failed, so this is where the real error can be logged.
   */
  onUnexpectedError?: (error: unknown, target: LinkTarget) => void;
}

interface Answer {
  response: OutboundResponse;
  permanentRedirect: boolean;
}

/** The checker's own failures while following redirects hop by hop. */
class RedirectError extends Error {
  constructor(readonly failure: OutboundFailure) {
    super(OUTBOUND_FAILURES[failure]);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Checks one link as contract §6 says: HEAD first (GET when HEAD is refused with 405/501, and to
 * confirm a 404/410), redirects followed hop by hop (each hop through the SSRF-safe client and the
 * host's politeness limit), 408/429/5xx/timeouts retried with backoff.
 */
export class LinkChecker {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => Date;
  private readonly maxRedirects: number;

  constructor(
    private readonly http: HttpPort,
    private readonly throttle: HostThrottle,
    private readonly options: LinkCheckerOptions,
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? (() => new Date());
    this.maxRedirects = options.maxRedirects ?? 10;
  }

  async check(target: LinkTarget): Promise<LinkResult> {
    const result = (status: LinkStatus, attempts: number, extra: Partial<LinkResult> = {}): LinkResult => ({
      n: target.n,
      kind: target.kind,
      url: target.url,
      status,
      httpStatus: null,
      finalUrl: null,
      attempts,
      checkedAt: this.now().toISOString(),
      ...extra,
    });

    for (let attempt = 1; ; attempt++) {
      const canRetry = attempt <= this.options.retries;
      try {
        const { response, permanentRedirect } = await this.probe(target.url);
        const verdict = classifyAnswer(target.kind, response.status, response.headers, permanentRedirect);
        const answered = { httpStatus: response.status, finalUrl: response.url };
        if (verdict !== 'retry') return result(verdict, attempt, answered);
        if (!canRetry) return result(exhausted(response.status), attempt, answered);
        await this.sleep(
          retryDelayMs(attempt, {
            baseMs: this.options.retryBaseMs,
            maxRetryAfterMs: this.options.maxRetryAfterMs,
            retryAfter: retryAfterMs(response.headers['retry-after'], this.now()),
          }),
        );
      } catch (error) {
        // Not the link's answer: this worker is stopping before the link's turn came.
        if (error instanceof HostWaitAbandonedError) throw error;
        // Details are shown to editors and reviewers: a safe code and its fixed sentence, never the
        // error's message (a blocked name's message holds the internal address it resolved to).
        const failed = (status: LinkStatus, failure: OutboundFailure) =>
          result(status, attempt, { code: failure, error: OUTBOUND_FAILURES[failure] });
        if (error instanceof BlockedDestinationError) return failed('blocked', describeOutboundFailure(error).code);
        if (error instanceof NameNotResolvedError) return failed('broken', 'dns_failure');
        if (error instanceof RedirectError) return failed('error', error.failure);
        if (error instanceof OutboundTimeoutError) {
          if (!canRetry) return failed('timeout', 'timeout');
          await this.sleep(
            retryDelayMs(attempt, {
              baseMs: this.options.retryBaseMs,
              maxRetryAfterMs: this.options.maxRetryAfterMs,
              retryAfter: null,
            }),
          );
          continue;
        }
        if (!isOutboundError(error)) this.options.onUnexpectedError?.(error, target);
        // Refused connections, resets, TLS failures: say which, by code, rather than guess.
        return failed('error', describeOutboundFailure(error).code);
      }
    }
  }

  private async probe(url: string): Promise<Answer> {
    const head = await this.follow(url, 'HEAD');
    const status = head.response.status;
    // Many servers refuse HEAD; some answer 404 to HEAD but serve the page to GET.
    if (status === 405 || status === 501 || status === 404 || status === 410) return this.follow(url, 'GET');
    return head;
  }

  private async follow(start: string, method: 'HEAD' | 'GET'): Promise<Answer> {
    let url = start;
    let permanentRedirect = false;
    for (let hop = 0; hop <= this.maxRedirects; hop++) {
      const current = url;
      const response = await this.throttle.run(new URL(current).hostname, () =>
        this.http.request(current, { method, timeoutMs: this.options.timeoutMs, maxBodyBytes: 0 }),
      );
      const location = response.headers.location;
      if (!REDIRECTS.has(response.status) || !location) return { response, permanentRedirect };
      if (response.status === 301 || response.status === 308) permanentRedirect = true;
      url = nextHop(location, current);
    }
    throw new RedirectError('too_many_redirects');
  }
}

function nextHop(location: string, current: string): string {
  try {
    return new URL(location, current).toString();
  } catch {
    throw new RedirectError('invalid_redirect');
  }
}
