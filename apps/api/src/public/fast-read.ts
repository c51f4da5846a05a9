import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUDIENCES } from '@imprimatur/domain';
import { ServedBytes, ServedCache } from '@imprimatur/publishing';
import { audienceCookie, chosenAudience } from '../reader/audience-copy';

const PREFIX = '/public/articles/';
const READ_PREFIX = '/read/';
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const AUDIENCE_SET = new Set<string>(AUDIENCES);
/** Per request or per body: never replayed from a stored answer. */
const NOT_REPLAYED = new Set(['x-request-id', 'content-length', 'content-type', 'set-cookie', 'date', 'connection']);

/** Weak comparison (RFC 9110 §13.1.2), as If-None-Match asks: W/ prefixes do not matter. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

/** The headers the full pipeline gave an answer (security headers, ETag, Cache-Control), to give its replays. */
export function replayableHeaders(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value === undefined || NOT_REPLAYED.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}

/**
 * `GET /public/articles/:slug[?audience=…]` when the read cache holds it, as the first thing the
 * server does with the request (an onRequest hook ahead of the Nest pipeline: its guards pass public
 * routes anyway, and there is nothing to validate). The answer is byte for byte and header for header
 * the one the pipeline gave when it stored the entry. Anything else — another query parameter, an
 * odd slug, a miss — answers false and goes the whole way. Hits are not access-logged.
 */
export function servedFromMemory(cache: ServedCache, request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.method !== 'GET' || !cache.isEnabled) return false;
  const url = request.url;
  if (url.startsWith(READ_PREFIX)) return readerPage(cache, request, reply);
  if (!url.startsWith(PREFIX)) return false;
  const q = url.indexOf('?');
  const slug = url.slice(PREFIX.length, q < 0 ? undefined : q);
  if (slug.length > 80 || !SLUG.test(slug)) return false;
  let audience = '';
  if (q >= 0) {
    const params = new URLSearchParams(url.slice(q + 1));
    const keys = [...params.keys()];
    const value = params.get('audience');
    if (keys.length !== 1 || keys[0] !== 'audience' || value === null || !AUDIENCE_SET.has(value)) return false;
    audience = value;
  }
  const ready: ServedBytes | null = cache.get(slug, `json:${audience}`);
  if (!ready?.headers) return false;
  void reply.headers(ready.headers).header('x-request-id', request.id);
  if (etagMatches(request.headers['if-none-match'], ready.etag)) {
    void reply.code(304).send();
  } else {
    void reply.code(200).header('content-type', 'application/json; charset=utf-8').send(ready.body);
  }
  return true;
}

/**
 * `GET /read/:slug[?audience=…]`: the audience chosen as the controller chooses it (the query, else
 * the cookie), the cookie set again when the query chose it. A slug with no page in the cache (the
 * editorial policy's static route among them) goes the whole way.
 */
function readerPage(cache: ServedCache, request: FastifyRequest, reply: FastifyReply): boolean {
  const url = request.url;
  const q = url.indexOf('?');
  const slug = url.slice(READ_PREFIX.length, q < 0 ? undefined : q);
  if (!SLUG.test(slug)) return false;
  let query: string | undefined;
  if (q >= 0) {
    // The controller ignores other parameters and an unknown audience; a repeated one it reads as a list.
    const values = new URLSearchParams(url.slice(q + 1)).getAll('audience');
    if (values.length > 1) return false;
    query = values[0];
  }
  const { audience, remember } = chosenAudience(query, request.headers.cookie);
  const ready = cache.get(slug, `html:${audience}`);
  if (!ready?.headers) return false;
  void reply.headers(ready.headers).header('x-request-id', request.id);
  if (remember) void reply.header('set-cookie', audienceCookie(audience, request.protocol === 'https'));
  void reply.code(200).header('content-type', 'text/html; charset=utf-8').send(ready.body);
  return true;
}
