import { HttpException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, isStorableText, validationFailed } from '@imprimatur/domain';

/** Request bodies: JSON only, at most 1 MiB. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Nesting of arrays and objects in a JSON body; ours need 4, and the validators recurse per level. */
export const MAX_JSON_DEPTH = 64;
/** The request target (path and query). Longer is refused with 414 before routing does any work. */
export const MAX_URL_LENGTH = 8 * 1024;

const UNSTORABLE_MESSAGE = 'must not contain NUL (\\u0000) or an unpaired UTF-16 surrogate';

/**
 * True when arrays and objects nest deeper than `max`. A linear scan of the raw text that skips
 * string contents, so that neither JSON.parse nor the validators ever see a pathological body.
 */
export function nestsDeeperThan(json: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped, whatever it is
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/**
 * The path (`references.0.title`) of the first key or string PostgreSQL could not store, or null.
 * A bad key is reported at the object that holds it. Runs after the depth check, so it cannot overflow.
 */
export function unstorableTextAt(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path || '(body)';
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    if (!isStorableText(key)) return path || '(body)';
    const found = unstorableTextAt(child, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

const unstorable = (where: string) =>
  validationFailed(`${where} ${UNSTORABLE_MESSAGE}`, { fields: { [where]: [UNSTORABLE_MESSAGE] } });

/**
 * The only body parser: `application/json`. Fastify's own JSON parser (with its prototype-poisoning
 * protection) does the parsing, after the depth check; then every key and string is checked to be
 * storable. Anything else with a body is refused with 415, so that no HTML form (urlencoded,
 * multipart or text/plain, which a cross-site page can send without a preflight) reaches a route.
 */
export function registerBodyParsers(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (request, body, done) => {
      const text = body as string;
      if (text.length === 0) return done(validationFailed('Request body is empty but Content-Type is JSON'), undefined);
      if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
        return done(
          validationFailed(`Request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`),
          undefined,
        );
      }
      // Fastify's parser answers through the callback, synchronously.
      void parseJson(request, text, (error: Error | null, value?: unknown) => {
        if (error) return done(validationFailed('Request body is not valid JSON'), undefined);
        const bad = unstorableTextAt(value);
        return bad === null ? done(null, value) : done(unstorable(bad), undefined);
      });
    },
  );
  fastify.addContentTypeParser('*', (request: FastifyRequest, _payload, done) => {
    done(
      new DomainError('unsupported_media_type', 'Send the request body as JSON with Content-Type: application/json', {
        contentType: request.headers['content-type'] ?? null,
      }),
      undefined,
    );
  });
}

/** decodeURIComponent that answers null instead of throwing on a malformed escape or invalid UTF-8. */
function decoded(component: string): string | null {
  try {
    return decodeURIComponent(component);
  } catch {
    return null;
  }
}

/**
 * Checks the request target before routing or any handler sees it: at most MAX_URL_LENGTH (else 414),
 * and the path and every query key and value well-formed percent-encoded UTF-8 holding no NUL (else
 * 400). An encoded lone surrogate (`%ED%A0%80`) is invalid UTF-8, so it is refused here too.
 */
export function checkRequestTarget(url: string): void {
  if (url.length > MAX_URL_LENGTH) {
    throw new HttpException(`The URL is longer than ${MAX_URL_LENGTH} characters`, 414);
  }
  const mark = url.indexOf('?');
  const path = decoded(mark === -1 ? url : url.slice(0, mark));
  if (path === null || !isStorableText(path)) {
    throw validationFailed(`The path must be percent-encoded UTF-8 and ${UNSTORABLE_MESSAGE}`, {
      fields: { path: [UNSTORABLE_MESSAGE] },
    });
  }
  if (mark === -1) return;
  for (const pair of url.slice(mark + 1).split('&')) {
    const equals = pair.indexOf('=');
    const name = decoded((equals === -1 ? pair : pair.slice(0, equals)).replace(/\+/g, ' '));
    const value = equals === -1 ? '' : decoded(pair.slice(equals + 1).replace(/\+/g, ' '));
    if (name === null || value === null || !isStorableText(name) || !isStorableText(value)) {
      const field = name !== null && isStorableText(name) ? name : 'query';
      throw validationFailed(`The query parameter ${field} must be percent-encoded UTF-8 and ${UNSTORABLE_MESSAGE}`, {
        fields: { [field]: [UNSTORABLE_MESSAGE] },
      });
    }
  }
}
