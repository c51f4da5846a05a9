import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@imprimatur/config';
import { requestId } from '@imprimatur/platform';
import { ApiModule } from './api.module';
import { validationPipe } from './http/validation';
import { serveOpenApi } from './openapi';
import { serveWebApp } from './web-app';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the API exactly as `main` serves it; the e2e tests use this too. */
export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => requestId(req.headers['x-request-id']),
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config), adapter, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  // Logs buffered during boot are otherwise held until listen(), which the tests never call.
  app.flushLogs();
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  if (config.docsEnabled) serveOpenApi(app);
  await serveWebApp(app, config.webRoot);
  await app.init();
  await fastify.ready();
  return app;
}
