import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The content security policy of the web app: its own scripts only, talking to this API only.
 * Mantine sets inline styles (CSS variables), hence 'unsafe-inline' for styles alone.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Web app not built</title></head>
<body><h1>The web app is not built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>, which builds it), then reload this page.</p></body></html>
`;

const securityHeaders = (reply: FastifyReply) =>
  reply
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('x-frame-options', 'DENY');

/**
 * Serves the single-page app (contract §11) from `root` (the `vite build` output, WEB_ROOT):
 * hashed assets under /app/assets/ with long-lived caching, and index.html for every other GET under
 * /app/, so that each screen's URL (a deep link, a reload) opens the app on that screen. These are
 * plain Fastify routes, not Nest controllers: they stay out of the OpenAPI document and its guards.
 */
export async function serveWebApp(app: NestFastifyApplication, root: string): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  await app.register(fastifyStatic, {
    root: join(root, 'assets'),
    prefix: '/app/assets/',
    decorateReply: false,
    index: false,
    // File names carry a content hash: a new build gets new names.
    immutable: true,
    maxAge: '365d',
    suppressWarning: true,
    setHeaders: (reply) => {
      void reply.header('x-content-type-options', 'nosniff');
    },
  });

  fastify.get('/app', (request, reply) => {
    const query = request.url.indexOf('?');
    return reply.redirect(`/app/${query === -1 ? '' : request.url.slice(query)}`, 301);
  });

  fastify.get('/app/*', async (request, reply) => {
    const path = request.url.split('?')[0];
    // A file that is not there (a stale asset name, a typo) is a 404, not the app's HTML.
    if (path !== '/app/index.html' && /\.[A-Za-z0-9]+$/.test(path.slice(path.lastIndexOf('/')))) {
      return securityHeaders(reply).code(404).type('text/plain; charset=utf-8').send('Not found\n');
    }
    let html: Buffer;
    try {
      html = await readFile(join(root, 'index.html'));
    } catch {
      return securityHeaders(reply)
        .code(503)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(NOT_BUILT);
    }
    return securityHeaders(reply)
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CSP)
      .type('text/html; charset=utf-8')
      .send(html);
  });
}
