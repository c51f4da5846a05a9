import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorBody, refusedInputState, toErrorBody } from './error-body';

export function sendError(exception: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const body: ErrorBody = toErrorBody(exception, String(request.id));
  if (body.statusCode >= 500 && body.code !== 'unavailable' && body.code !== 'upstream_unavailable') {
    logger.error({ err: exception, requestId: request.id, url: request.url }, 'request failed');
  } else if (refusedInputState(exception) !== null) {
    // A 400 for the client, but the value should have been refused before it reached SQL.
    logger.warn(
      { err: exception, requestId: request.id, url: request.url },
      'the database refused a value the request carried; validate it at the edge',
    );
  }
  const retryAfter = body.details && !Array.isArray(body.details) ? body.details.retryAfterSeconds : undefined;
  if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
  void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}
