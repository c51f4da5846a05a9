import {
  LookupOutcome,
  parseCrossrefWork,
  parsePubmedSummary,
  Registry,
  RegistryFormatError,
  RegistryRecord,
} from '@imprimatur/domain';
import {
  HostWaitAbandonedError,
  describeOutboundFailure,
  isOutboundError,
  OutboundTimeoutError,
  SharedResultCache,
} from '@imprimatur/outbound';
import { retryAfterMs, retryDelayMs } from '../links/classify';
import type { HostThrottle, HttpPort } from '../links/link-checker';

export interface RegistryClientOptions {
  crossrefUrl: string;
  eutilsUrl: string;
  /** Where a PubMed record's page lives (PUBMED_URL): a record's `url`. */
  pubmedUrl: string;
  /** CONTACT_EMAIL: Crossref's `mailto=` and NCBI's `email=` (their etiquette); null sends neither. */
  contactEmail: string | null;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  maxRetryAfterMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Failures that are not the registry's (a bug, Redis): the outcome only says `error`. */
  onUnexpectedError?: (error: unknown, registry: Registry, id: string) => void;
}

/** What is kept in the shared cache: answers only, never a failure (the next caller should try again). */
type Answer = Extract<LookupOutcome, { outcome: 'found' | 'not_found' }>;

/** An attempt that did not get an answer; `code` is safe to show (an outbound failure code or `http_503`). */
class LookupFailed extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

const RETRIED = (status: number): boolean => status === 408 || status === 429 || status >= 500;
/** Crossref's works answer is a few KiB; a cap keeps a misbehaving server from filling memory. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const USER_AGENT = 'Imprimatur-EvidenceCheck/1.0 (+https://imprimatur.invalid)';

/**
 * Crossref's `/works/{doi}` and PubMed's `esummary`, asked politely (contract §16): through the
 * SSRF-safe client and each registry's host limit, retrying 408/429/5xx and timeouts with backoff
 * (a 429's Retry-After honoured), and each answer shared through the cache by every worker and
 * article that cites the same paper. A failure is an outcome (`error`), never an exception.
 */
export class RegistryClient {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly http: HttpPort,
    private readonly throttles: Record<Registry, HostThrottle>,
    private readonly cache: SharedResultCache<Answer> | null,
    private readonly options: RegistryClientOptions,
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** `doi` normalised (lower-case, no resolver prefix). */
  crossref(doi: string, options: { fresh?: boolean } = {}): Promise<LookupOutcome> {
    const path = doi.split('/').map(encodeURIComponent).join('/');
    const query = this.options.contactEmail ? `?mailto=${encodeURIComponent(this.options.contactEmail)}` : '';
    return this.lookup(
      'crossref',
      doi,
      `${this.options.crossrefUrl}/works/${path}${query}`,
      options,
      (status, body) => {
        if (status === 404) return { outcome: 'not_found', registry: 'crossref' };
        return { outcome: 'found', record: parseCrossrefWork(JSON.parse(body)) };
      },
    );
  }

  /** `pmid` normalised (digits). */
  pubmed(pmid: string, options: { fresh?: boolean } = {}): Promise<LookupOutcome> {
    const params = new URLSearchParams({ db: 'pubmed', retmode: 'json', id: pmid, tool: 'imprimatur' });
    if (this.options.contactEmail) params.set('email', this.options.contactEmail);
    const url = `${this.options.eutilsUrl}/esummary.fcgi?${params.toString()}`;
    return this.lookup('pubmed', pmid, url, options, (status, body) => {
      // NCBI says "no such PMID" inside a 200; a 404 would mean the endpoint itself moved.
      if (status === 404) throw new LookupFailed('http_404');
      const record: RegistryRecord | null = parsePubmedSummary(JSON.parse(body), pmid, this.options.pubmedUrl);
      return record ? { outcome: 'found', record } : { outcome: 'not_found', registry: 'pubmed' };
    });
  }

  private async lookup(
    registry: Registry,
    id: string,
    url: string,
    options: { fresh?: boolean },
    read: (status: number, body: string) => Answer,
  ): Promise<LookupOutcome> {
    const compute = () => this.ask(registry, url, read);
    try {
      if (!this.cache) return await compute();
      const { value } = await this.cache.getOrCompute(`${registry} ${id}`, compute, { fresh: options.fresh ?? false });
      return value;
    } catch (error) {
      if (error instanceof LookupFailed) return { outcome: 'error', registry, code: error.code };
      // Not the registry's answer: this worker is stopping before the lookup's turn came.
      if (error instanceof HostWaitAbandonedError) throw error;
      this.options.onUnexpectedError?.(error, registry, id);
      return { outcome: 'error', registry, code: 'request_failed' };
    }
  }

  private async ask(registry: Registry, url: string, read: (status: number, body: string) => Answer): Promise<Answer> {
    const host = new URL(url).hostname;
    for (let attempt = 1; ; attempt++) {
      const canRetry = attempt <= this.options.retries;
      let status: number;
      let body: string;
      let retryAfter: string | undefined;
      try {
        const response = await this.throttles[registry].run(host, () =>
          this.http.request(url, {
            method: 'GET',
            headers: { accept: 'application/json', 'user-agent': this.userAgent() },
            timeoutMs: this.options.timeoutMs,
            maxBodyBytes: MAX_BODY_BYTES,
          }),
        );
        ({ status, body } = response);
        retryAfter = response.headers['retry-after'];
      } catch (error) {
        if (!isOutboundError(error)) throw error;
        if (!(error instanceof OutboundTimeoutError) || !canRetry) {
          throw new LookupFailed(describeOutboundFailure(error).code);
        }
        await this.backOff(attempt, null);
        continue;
      }
      if (RETRIED(status)) {
        if (!canRetry) throw new LookupFailed(status === 429 ? 'rate_limited' : `http_${status}`);
        await this.backOff(attempt, retryAfterMs(retryAfter));
        continue;
      }
      if (status !== 200 && status !== 404) throw new LookupFailed(`http_${status}`);
      try {
        return read(status, body);
      } catch (error) {
        if (error instanceof LookupFailed) throw error;
        if (error instanceof SyntaxError || error instanceof RegistryFormatError)
          throw new LookupFailed('bad_response');
        throw error;
      }
    }
  }

  private backOff(attempt: number, retryAfter: number | null): Promise<void> {
    return this.sleep(
      retryDelayMs(attempt, {
        baseMs: this.options.retryBaseMs,
        maxRetryAfterMs: this.options.maxRetryAfterMs,
        retryAfter,
      }),
    );
  }

  /** Crossref's etiquette: say who we are and how to reach us in the User-Agent as well as mailto. */
  private userAgent(): string {
    return this.options.contactEmail ? USER_AGENT.replace(')', `; mailto:${this.options.contactEmail})`) : USER_AGENT;
  }
}
