import { HttpException } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DomainError, ErrorCode } from '@imprimatur/domain';

export const STATUS_OF_CODE: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  reauthentication_failed: 401,
  forbidden: 403,
  conflict_of_interest: 403,
  not_found: 404,
  invalid_transition: 409,
  stale_revision: 409,
  duplicate: 409,
  last_admin: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  citation_errors: 422,
  anchor_not_found: 422,
  retracted: 410,
  rate_limited: 429,
  internal: 500,
  upstream_unavailable: 502,
  unavailable: 503,
};

/** Codes of refusals made by the HTTP layer alone (the transport, not the domain, sets these limits). */
export type HttpErrorCode = ErrorCode | 'request_timeout' | 'uri_too_long' | 'header_fields_too_large';

const CODE_OF_STATUS: Record<number, HttpErrorCode> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  408: 'request_timeout',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'header_fields_too_large',
  503: 'unavailable',
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The contract's error body (§2). */
export class ErrorBody {
  @ApiProperty({ example: 409 })
  statusCode: number;

  @ApiProperty({ example: 'Conflict' })
  error: string;

  @ApiProperty({ example: 'duplicate', description: 'Stable machine-readable code; see the contract §2.' })
  code: string;

  @ApiProperty({ example: 'A user with this email already exists' })
  message: string;

  @ApiPropertyOptional({ description: 'For code retracted (410): why the publisher withdrew the article' })
  reason?: string;

  @ApiPropertyOptional({
    description:
      'More about the error: an object (e.g. `from`, `allowed`, `fields`, `currentRevision`) or, for citation_errors, the list of problems',
    oneOf: [
      { type: 'object', additionalProperties: true },
      { type: 'array', items: { type: 'object', additionalProperties: true } },
    ],
  })
  details?: Record<string, unknown> | unknown[];
}

const body = (
  statusCode: number,
  code: string,
  message: string,
  details?: Record<string, unknown> | unknown[],
): ErrorBody => ({
  statusCode,
  error: STATUS_TEXT[statusCode] ?? (statusCode >= 500 ? 'Internal Server Error' : 'Error'),
  code,
  message,
  ...(details ? { details } : {}),
});

/** An error body with the status's standard reason phrase as `error`. */
export const errorBody = (
  statusCode: number,
  code: HttpErrorCode,
  message: string,
  details?: Record<string, unknown> | unknown[],
): ErrorBody => body(statusCode, code, message, details);

const FASTIFY_ERRORS: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large', 'Request body is larger than 1 MiB'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'Send JSON with Content-Type: application/json'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['validation_failed', 'Request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['validation_failed', 'Request body is empty but Content-Type is JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['validation_failed', 'Content-Length does not match the body'],
};

/**
 * SQLSTATEs (class 22, data exception) with which PostgreSQL refuses a value as input: text with NUL
 * or invalid UTF-8, a malformed uuid, date or number, a number beyond its column, text too long.
 * The edge (DTOs, pipes, cursors, the body parser) is meant to refuse such values first; this is the
 * last line, so that a value it missed is still the client's 400 and not a 500.
 */
const REFUSED_INPUT = new Set(['22001', '22003', '22007', '22008', '22021', '22P02', '22P05']);

/** The SQLSTATE when PostgreSQL refused a value the request carried, else null. */
export function refusedInputState(exception: unknown): string | null {
  if (!(exception instanceof Error) || exception.name !== 'QueryFailedError') return null;
  const code = (exception as { driverError?: { code?: unknown } }).driverError?.code;
  return typeof code === 'string' && REFUSED_INPUT.has(code) ? code : null;
}

/** Socket-level failures of the database connection (the server went away or cannot be reached). */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);
/** SQLSTATEs of a server that is stopping, starting or restarting: admin_shutdown, crash_shutdown, cannot_connect_now. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03']);
/** node-postgres says these in words only. */
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is closed|Client was closed and is not queryable/i;

/**
 * TypeORM releases a query runner the moment its connection emits an error (the server killed it), so
 * the next query of that transaction throws this instead of the connection error; nothing committed.
 */
const RUNNER_LOST = 'QueryRunnerAlreadyReleasedError';

/**
 * Whether the error is PostgreSQL being unreachable (stopped, restarting, the network), as opposed to a
 * query it refused: the request may succeed if retried shortly, so it is a 503, not a 500.
 */
export function databaseUnavailable(exception: unknown): boolean {
  for (let error: unknown = exception, depth = 0; error instanceof Error && depth < 4; depth++) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_ERRNOS.has(code) || UNAVAILABLE_STATES.has(code) || /^08/.test(code)))
      return true;
    if (CONNECTION_MESSAGES.test(error.message) || error.name === RUNNER_LOST) return true;
    const e = error as { driverError?: unknown; cause?: unknown };
    error = e.driverError ?? e.cause;
  }
  return false;
}

/** Seconds a client should wait before retrying while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/**
 * Maps anything thrown while serving a request to the contract's error body. Unknown errors become
 * a bare 500 that names only the request id: their message may hold internals and is never echoed.
 */
export function toErrorBody(exception: unknown, requestId: string): ErrorBody {
  if (exception instanceof DomainError) {
    const status = STATUS_OF_CODE[exception.code];
    const answer = body(status, exception.code, exception.message, exception.details);
    // Contract §7: a retraction answers {code: "retracted", reason} — the reason at the top level.
    if (exception.code === 'retracted' && exception.details && !Array.isArray(exception.details)) {
      const reason = exception.details.reason;
      return { ...answer, reason: typeof reason === 'string' ? reason : '' };
    }
    return answer;
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const code = CODE_OF_STATUS[status] ?? (status >= 500 ? 'internal' : 'error');
    if (status >= 500 && status !== 503) return body(500, 'internal', 'Internal server error', { requestId });
    if (typeof response === 'object' && response !== null) {
      const r = response as { message?: unknown; status?: unknown };
      // Terminus answers 503 with its per-dependency report, which is what a caller wants to see.
      if (status === 503 && r.status === 'error')
        return body(503, code, 'A dependency is not ready', response as Record<string, unknown>);
      const message = Array.isArray(r.message)
        ? r.message.join('; ')
        : typeof r.message === 'string'
          ? r.message
          : exception.message;
      return body(status, code, message);
    }
    return body(status, code, typeof response === 'string' ? response : exception.message);
  }
  if (databaseUnavailable(exception))
    return body(503, 'unavailable', 'The database is unavailable; try again shortly', {
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
    });
  if (refusedInputState(exception) !== null)
    return body(400, 'validation_failed', 'A value in the request is malformed or out of range');
  const fastify = exception as { code?: unknown; statusCode?: unknown; message?: unknown };
  if (typeof fastify.code === 'string' && fastify.code in FASTIFY_ERRORS) {
    const [code, message] = FASTIFY_ERRORS[fastify.code];
    return body(STATUS_OF_CODE[code], code, message);
  }
  if (exception instanceof SyntaxError && typeof fastify.statusCode === 'number' && fastify.statusCode === 400) {
    return body(400, 'validation_failed', 'Request body is not valid JSON');
  }
  if (typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const status = fastify.statusCode;
    return body(status, CODE_OF_STATUS[status] ?? 'error', STATUS_TEXT[status] ?? 'Request refused');
  }
  return body(500, 'internal', 'Internal server error', { requestId });
}
