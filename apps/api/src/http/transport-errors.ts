import { HttpException, Logger } from '@nestjs/common';
import type { ConnectionError, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { validationFailed } from '@imprimatur/domain';
import { errorBody, ErrorBody } from './error-body';
import { sendError } from './error.filter';
import { MAX_URL_LENGTH } from './input-limits';
import { BARE_SECURITY_HEADERS } from './security-headers';

const logger = new Logger('HTTP');

/** True when the parser overflowed on the request line itself (a URL over the limit), not on headers. */
function requestLineOverflowed(packet: unknown): boolean {
  if (!Buffer.isBuffer(packet) || !/^[A-Z]+ /.test(packet.subarray(0, 16).toString('latin1'))) return false;
  const eol = packet.indexOf('\r\n');
  return eol === -1 || eol > MAX_URL_LENGTH;
}

/** What to answer a request Node's HTTP parser refused (it never became a Fastify request). */
export function clientErrorBody(error: { code?: string; rawPacket?: unknown }): ErrorBody {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return errorBody(408, 'request_timeout', 'The request was not received in time');
    case 'HPE_HEADER_OVERFLOW':
      return requestLineOverflowed(error.rawPacket)
        ? errorBody(414, 'uri_too_long', `The URL is longer than ${MAX_URL_LENGTH} characters`)
        : errorBody(431, 'header_fields_too_large', 'The request headers are too large');
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return errorBody(
        400,
        'validation_failed',
        'Content-Length must be one decimal number of bytes, and not sent with Transfer-Encoding',
      );
    default:
      return errorBody(400, 'validation_failed', 'The request is not valid HTTP/1.1');
  }
}

/**
 * Fastify's `clientErrorHandler`: the answer to a request the HTTP parser refused (a non-numeric or
 * duplicated Content-Length, bytes after the body that are no request, a request line or headers
 * over Node's limit, a timeout), in the contract's body with the security headers, then the socket
 * is closed, as Node itself does.
 */
export function onClientError(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const answer = clientErrorBody(error);
  const body = JSON.stringify(answer);
  const headers = {
    ...BARE_SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  if (!socket.writable) {
    socket.destroy(error);
    return;
  }
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  // end(), not write() then destroy(): destroy can drop the answer before it is flushed. Reading on
  // what the client still sends (the rest of an over-long request) keeps the close from turning into
  // a reset that would discard the answer at the client; a client that never closes is cut off.
  socket.end(`HTTP/1.1 ${answer.statusCode} ${answer.error}\r\n${head}\r\n${body}`);
  socket.resume();
  setTimeout(() => socket.destroy(), 2_000).unref();
}

/**
 * Fastify's `frameworkErrors`: a URL the router could not decode (FST_ERR_BAD_URL) or a path
 * parameter over `maxParamLength`. These skip the onRequest hooks, so the headers are set here.
 */
export function onFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const refusal =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new HttpException(`A path segment is longer than ${MAX_URL_LENGTH} characters`, 414)
      : error.code === 'FST_ERR_BAD_URL'
        ? validationFailed('The path must be percent-encoded UTF-8', {
            fields: { path: ['is not percent-encoded UTF-8'] },
          })
        : error;
  void reply.headers({ ...BARE_SECURITY_HEADERS, 'x-request-id': String(request.id) });
  sendError(refusal, request, reply, logger);
}
