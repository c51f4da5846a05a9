import helmet, { FastifyHelmetOptions } from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

type Directives = Record<string, string[]>;

/**
 * JSON (and everything else without a page of its own: errors, 404s, assets): nothing may load,
 * run or frame it. Even an API response opened in a browser tab renders as inert text.
 */
export const API_POLICY: Directives = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * The reader pages (/read, /read/:slug) need no JavaScript at all. Their one <style> block and the
 * table alignment markdown-it writes as style attributes are inline, hence 'unsafe-inline' for
 * styles only; with nothing else loadable, CSS cannot fetch anything either. The JSON-LD
 * `<script type="application/ld+json">` is a data block, never executed, so script-src 'none' holds.
 */
export const READER_POLICY: Directives = {
  'default-src': ["'none'"],
  'script-src': ["'none'"],
  'style-src': ["'unsafe-inline'"],
  'img-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Swagger UI at /docs: its scripts are files of its own (no inline script), it sets inline styles
 * and data: images, and "Try it out" calls this API.
 */
export const DOCS_POLICY: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** The header value, written as helmet writes it. */
export const formatPolicy = (directives: Directives) =>
  Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join(';');

const csp = (directives: Directives): FastifyHelmetOptions['contentSecurityPolicy'] => ({
  useDefaults: false,
  directives,
});

/** Helmet's defaults (HSTS, COOP, CORP, nosniff, no-referrer, …) with framing denied and our CSP. */
const HELMET: FastifyHelmetOptions = {
  global: true,
  contentSecurityPolicy: csp(API_POLICY),
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
};

/** Which CSP a route gets, by its path. The web app (/app/) sets its own on index.html (web-app.ts). */
export function policyFor(url: string): Directives {
  if (url === '/read' || url.startsWith('/read/')) return READER_POLICY;
  if (url === '/docs' || url.startsWith('/docs/')) return DOCS_POLICY;
  return API_POLICY;
}

/**
 * The headers of a response sent outside Fastify's request cycle (a request the HTTP parser refused,
 * a malformed URL), where helmet's hooks do not run: the essentials, with the API policy.
 */
export const BARE_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': formatPolicy(API_POLICY),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/**
 * Security headers on every response (@fastify/helmet, set in onRequest, so errors and 404s carry
 * them too), with a content security policy per kind of page. Call before any route is registered:
 * the per-route policy is attached as routes are added.
 */
export async function useSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // Before helmet's own onRoute hook, which turns a route's `helmet` option into its config.
  fastify.addHook('onRoute', (route) => {
    const directives = policyFor(route.url ?? route.path ?? '');
    if (directives !== API_POLICY && route.helmet === undefined)
      route.helmet = { contentSecurityPolicy: csp(directives) };
  });
  await app.register(helmet, HELMET);
}
