import { BadRequestException, ForbiddenException, HttpException, NotFoundException } from '@nestjs/common';
import { DomainError } from '@imprimatur/domain';
import { databaseUnavailable, refusedInputState, toErrorBody } from './error-body';

describe('toErrorBody', () => {
  it('maps each domain code to its contract status', () => {
    const cases: [DomainError, number][] = [
      [new DomainError('validation_failed', 'x'), 400],
      [new DomainError('unauthenticated', 'x'), 401],
      [new DomainError('conflict_of_interest', 'x'), 403],
      [new DomainError('not_found', 'x'), 404],
      [new DomainError('invalid_transition', 'x', { from: 'draft', allowed: [] }), 409],
      [new DomainError('stale_revision', 'x'), 409],
      [new DomainError('duplicate', 'x'), 409],
      [new DomainError('payload_too_large', 'x'), 413],
      [new DomainError('citation_errors', 'x'), 422],
      [new DomainError('rate_limited', 'x'), 429],
    ];
    for (const [error, status] of cases) {
      const body = toErrorBody(error, 'req');
      expect(body.statusCode).toBe(status);
      expect(body.code).toBe(error.code);
    }
    expect(
      toErrorBody(new DomainError('invalid_transition', 'no', { from: 'draft', allowed: ['submit'] }), 'r'),
    ).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code: 'invalid_transition',
      message: 'no',
      details: { from: 'draft', allowed: ['submit'] },
    });
  });

  it('maps framework exceptions by status', () => {
    expect(toErrorBody(new NotFoundException('Cannot GET /x'), 'r')).toMatchObject({
      statusCode: 404,
      code: 'not_found',
      message: 'Cannot GET /x',
    });
    expect(toErrorBody(new ForbiddenException(), 'r')).toMatchObject({ statusCode: 403, code: 'forbidden' });
    expect(toErrorBody(new BadRequestException(['a', 'b']), 'r')).toMatchObject({
      statusCode: 400,
      code: 'validation_failed',
      message: 'a; b',
    });
    expect(toErrorBody(new HttpException('slow down', 429), 'r')).toMatchObject({
      statusCode: 429,
      code: 'rate_limited',
    });
  });

  it('maps Fastify body errors', () => {
    expect(
      toErrorBody(Object.assign(new Error('too big'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }), 'r'),
    ).toMatchObject({
      statusCode: 413,
      code: 'payload_too_large',
    });
  });

  it("maps the HTTP layer's own refusals by status", () => {
    expect(toErrorBody(new HttpException('long', 414), 'r')).toEqual({
      statusCode: 414,
      error: 'URI Too Long',
      code: 'uri_too_long',
      message: 'long',
    });
    expect(toErrorBody(new DomainError('unsupported_media_type', 'json please'), 'r')).toMatchObject({
      statusCode: 415,
      error: 'Unsupported Media Type',
      code: 'unsupported_media_type',
    });
  });

  it('answers a value PostgreSQL refused as input with 400, and other database errors with a bare 500', () => {
    const failed = (code: string) =>
      Object.assign(new Error('invalid input syntax for type uuid: "x"'), {
        name: 'QueryFailedError',
        driverError: { code },
      });
    for (const code of ['22P02', '22003', '22007', '22008', '22021']) {
      expect(refusedInputState(failed(code))).toBe(code);
      expect(toErrorBody(failed(code), 'r')).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'validation_failed',
        message: 'A value in the request is malformed or out of range',
      });
    }
    expect(refusedInputState(failed('23505'))).toBeNull();
    expect(toErrorBody(failed('40P01'), 'r')).toMatchObject({ statusCode: 500, code: 'internal' });
    expect(refusedInputState(Object.assign(new Error('x'), { driverError: { code: '22P02' } }))).toBeNull();
  });

  it('never echoes an unknown error, only the request id', () => {
    const body = toErrorBody(new Error('password=hunter2 at /srv/app.js:1'), 'req-42');
    expect(body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'internal',
      message: 'Internal server error',
      details: { requestId: 'req-42' },
    });
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(toErrorBody(new HttpException('db exploded', 502), 'r')).toMatchObject({
      statusCode: 500,
      code: 'internal',
      message: 'Internal server error',
    });
  });
});

describe('databaseUnavailable (PostgreSQL away: 503, not 500)', () => {
  const errno = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
  const queryFailed = (driverError: Error) =>
    Object.assign(new Error(driverError.message), { name: 'QueryFailedError', driverError });
  const sqlState = (code: string, message: string) => Object.assign(new Error(message), { code });

  it('recognises unreachable servers, shutdowns and dropped connections, wrapped or not', () => {
    const unavailable = [
      errno('ECONNREFUSED'),
      errno('ECONNRESET'),
      queryFailed(sqlState('57P01', 'terminating connection due to administrator command')),
      sqlState('57P03', 'the database system is starting up'),
      sqlState('08006', 'connection failure'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('outer'), { cause: errno('ECONNREFUSED') }),
      // What a transaction's next query throws after the server cut its connection mid-way.
      Object.assign(new Error('Query runner already released. Cannot run queries anymore.'), {
        name: 'QueryRunnerAlreadyReleasedError',
      }),
    ];
    for (const error of unavailable) expect(databaseUnavailable(error)).toBe(true);
  });

  it('leaves refused queries and other errors alone', () => {
    const others = [
      queryFailed(sqlState('23505', 'duplicate key value violates unique constraint')),
      queryFailed(sqlState('22P02', 'invalid input syntax for type uuid')),
      new Error('something else'),
      'not an error',
      null,
    ];
    for (const error of others) expect(databaseUnavailable(error)).toBe(false);
  });

  it('answers 503 unavailable with a retry hint and no internals', () => {
    expect(toErrorBody(queryFailed(sqlState('57P01', 'terminating connection')), 'r')).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'unavailable',
      message: 'The database is unavailable; try again shortly',
      details: { retryAfterSeconds: 2 },
    });
  });
});
