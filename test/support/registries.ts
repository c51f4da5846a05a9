import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { LocalWeb } from './web';

const FIXTURES = join(__dirname, '..', 'fixtures', 'registries');

/** A registry answer kept in test/fixtures/registries (`crossref-retracted`, `pubmed-unknown`…), parsed afresh each call. */
export function fixture<T = unknown>(name: string): T {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  return JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as T;
}

/** A whole response, for answers other than "200 and this JSON". A string body is sent as text/plain. */
export interface CannedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

// A Crossref work says `status: "ok"`: a number there (with a body) is a canned response.
const isCanned = (answer: unknown): answer is CannedResponse =>
  typeof answer === 'object' &&
  answer !== null &&
  typeof (answer as { status?: unknown }).status === 'number' &&
  'body' in answer;

/** Answers by identifier, compared case-insensitively (DOIs are case-insensitive; PMIDs are digits). */
export class RegistryAnswers {
  private readonly answers = new Map<string, unknown>();

  /** A response body (200, JSON) or a CannedResponse. */
  set(id: string, answer: unknown): this {
    this.answers.set(id.toLowerCase(), answer);
    return this;
  }

  get(id: string): unknown {
    return this.answers.get(id.toLowerCase());
  }

  delete(id: string): boolean {
    return this.answers.delete(id.toLowerCase());
  }

  clear(): void {
    this.answers.clear();
  }
}

const ESUMMARY_HEADER = { type: 'esummary', version: '0.3' };

/** What E-utilities answers (200) for a PMID it has no summary for, or an id it cannot read. */
function esummaryUnknown(id: string | null): unknown {
  if (id === null || id === '') return { header: ESUMMARY_HEADER, esummaryresult: ['Empty id list - nothing todo'] };
  if (!/^\d+$/.test(id)) return { header: ESUMMARY_HEADER, esummaryresult: [`Invalid uid ${id} at position=0`] };
  return { header: ESUMMARY_HEADER, result: { uids: [id], [id]: { uid: id, error: 'cannot get document summary' } } };
}

function send(res: ServerResponse, { status, body, headers = {} }: CannedResponse): void {
  const text = typeof body === 'string';
  res
    .writeHead(status, {
      'content-type': text ? 'text/plain;charset=utf-8' : 'application/json;charset=utf-8',
      ...headers,
    })
    .end(text ? body : JSON.stringify(body));
}

/**
 * Crossref (`GET /crossref/works/{doi}`) and PubMed's E-utilities (`GET /eutils/esummary.fcgi`) on a
 * loopback address, answering from maps a test fills: unknown identifiers get what the real registries
 * answer, `rateLimitOnce` a 429 with Retry-After, and `down` a 503 for everything (an outage).
 */
export class FakeRegistries {
  readonly web = new LocalWeb();
  readonly crossref = new RegistryAnswers();
  readonly pubmed = new RegistryAnswers();
  /** Every request's full URL, in order: for asserting `mailto=`, `email=`, `tool=`. */
  readonly requests: URL[] = [];
  /** Every request answers 503. */
  down = false;
  private readonly rateLimited = new Map<string, number>();

  constructor() {
    this.web.routePrefix('/', (req, res) => this.handle(req, res));
  }

  get crossrefUrl(): string {
    return this.web.url('/crossref');
  }

  get eutilsUrl(): string {
    return this.web.url('/eutils');
  }

  /** The next request for this DOI or PMID answers 429 with `Retry-After: seconds`; later ones as usual. */
  rateLimitOnce(id: string, retryAfterSeconds: number): this {
    this.rateLimited.set(id.toLowerCase(), retryAfterSeconds);
    return this;
  }

  /** Forget every answer, request, pending rate limit and outage. */
  reset(): void {
    this.crossref.clear();
    this.pubmed.clear();
    this.requests.length = 0;
    this.rateLimited.clear();
    this.down = false;
  }

  async start(): Promise<this> {
    await this.web.start();
    return this;
  }

  stop(): Promise<void> {
    return this.web.stop();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.web.url('/'));
    this.requests.push(url);
    send(res, this.answer(req.method ?? 'GET', url));
  }

  private answer(method: string, url: URL): CannedResponse {
    if (this.down) return { status: 503, body: 'Service Unavailable' };
    if (method !== 'GET') return { status: 405, body: 'Method Not Allowed' };
    const work = /^\/crossref\/works\/(.+)$/.exec(url.pathname);
    if (work) {
      try {
        return this.crossrefWork(decodeURIComponent(work[1]));
      } catch {
        return { status: 400, body: 'Bad Request' }; // a '%' that escapes nothing
      }
    }
    if (url.pathname === '/eutils/esummary.fcgi') return this.esummary(url.searchParams);
    return { status: 404, body: 'Not Found' };
  }

  private crossrefWork(doi: string): CannedResponse {
    const limited = this.takeRateLimit(doi);
    if (limited !== null) return { status: 429, body: 'Too Many Requests', headers: { 'retry-after': limited } };
    const answer = this.crossref.get(doi);
    // Crossref's own answer for a DOI it does not know.
    if (answer === undefined) return { status: 404, body: 'Resource not found.' };
    if (isCanned(answer)) return answer;
    return { status: 200, body: answer, headers: { 'x-rate-limit-limit': '50', 'x-rate-limit-interval': '1s' } };
  }

  private esummary(params: URLSearchParams): CannedResponse {
    if (params.get('db') !== 'pubmed' || params.get('retmode') !== 'json') {
      return { status: 400, body: 'this fake answers only db=pubmed&retmode=json' };
    }
    const id = params.get('id');
    const limited = id === null ? null : this.takeRateLimit(id);
    if (limited !== null) {
      return {
        status: 429,
        body: { error: 'API rate limit exceeded', count: '4' },
        headers: { 'retry-after': limited },
      };
    }
    const answer = id === null ? undefined : this.pubmed.get(id);
    if (answer === undefined) return { status: 200, body: esummaryUnknown(id) };
    return isCanned(answer) ? answer : { status: 200, body: answer };
  }

  private takeRateLimit(id: string): string | null {
    const seconds = this.rateLimited.get(id.toLowerCase());
    if (seconds === undefined) return null;
    this.rateLimited.delete(id.toLowerCase());
    return String(seconds);
  }
}
