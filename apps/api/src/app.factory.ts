import fastifyCookie from '@fastify/cookie';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@imprimatur/config';
import { ServedCache } from '@imprimatur/publishing';
import { requestId } from '@imprimatur/platform';
import { ApiModule } from './api.module';
import { BODY_LIMIT_BYTES, checkRequestTarget, MAX_URL_LENGTH, registerBodyParsers } from './http/input-limits';
import { NoUndeclaredBodyInterceptor } from './http/no-body.interceptor';
import { useSecurityHeaders } from './http/security-headers';
import { onClientError, onFrameworkError } from './http/transport-errors';
import { validationPipe } from './http/validation';
import { serveOpenApi } from './openapi';
import { servedFromMemory } from './public/fast-read';
import { LiveChanges } from './public/live-changes.service';
import { serveWebApp } from './web-app';

export { BODY_LIMIT_BYTES } from './http/input-limits';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Builds the API exactly as `main` serves it; the e2e tests use this too. */
export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // Long path parameters reach the handlers, whose validation names them (a slug, a UUID); the
    // URL as a whole is limited in the onRequest hook below.
    routerOptions: { maxParamLength: MAX_URL_LENGTH },
    trustProxy: config.trustProxy,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) =>
      requestId(req.headers['x-request-id']),
    clientErrorHandler: onClientError,
    frameworkErrors: onFrameworkError,
  });
  // Nest's first onRequest hook, ahead of its middleware (pino-http) and every other hook: a live
  // document in the read cache is answered here.
  let readCache: ServedCache | null = null;
  adapter.setOnRequestHook((request, reply, done) => {
    if (readCache && servedFromMemory(readCache, request, reply)) return;
    done();
  });
  // bodyParser: false, or Nest would add its own JSON and urlencoded parsers: ours is the only one.
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config), adapter, {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // Logs buffered during boot are otherwise held until listen(), which the tests never call.
  app.flushLogs();
  app.useGlobalPipes(validationPipe());
  app.useGlobalInterceptors(new NoUndeclaredBodyInterceptor());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  registerBodyParsers(fastify);
  // Parses Cookie and adds reply.setCookie; only the refresh cookie of /auth is read (apps/api/src/auth).
  await app.register(fastifyCookie);
  // Before any route: the content security policy is chosen per route as routes are added.
  await useSecurityHeaders(app);
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    checkRequestTarget(request.url);
  });
  // A write this process answers has reached its read cache before the answer leaves: the writer's
  // next read never meets the copy from before its own write.
  const liveChanges = app.get(LiveChanges);
  readCache = liveChanges.cache;
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (!READS.has(request.method) && reply.statusCode < 400) await liveChanges.sync();
    return payload;
  });

  if (config.docsEnabled) serveOpenApi(app);
  await serveWebApp(app, config.webRoot);
  try {
    await app.init();
    await fastify.ready();
  } catch (error) {
    // A start that fails (a secret sealed under a key not configured, say) must not leave its pools open.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}
