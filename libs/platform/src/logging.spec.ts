import { Writable } from 'node:stream';
import pino from 'pino';
import { pinoHttpOptions, requestId } from './logging';

function capture(): { logger: pino.Logger; lines: () => string[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const { redact, level, base } = pinoHttpOptions({ logLevel: 'info' }, 'api');
  return { logger: pino({ redact, level, base }, sink), lines: () => chunks.join('').trim().split('\n') };
}

describe('log redaction', () => {
  it('never writes passwords, tokens, secrets or the Authorization header', () => {
    const { logger, lines } = capture();
    logger.info(
      { req: { headers: { authorization: 'Bearer eyJ.secret.token', cookie: 'sid=1', host: 'x' } } },
      'request',
    );
    logger.info({ password: 'hunter2-hunter2', body: { password: 'p4ssw0rd-long', email: 'a@b.org' } }, 'login');
    logger.info(
      { user: { accessToken: 'tok-123', passwordHash: '$argon2id$abc' }, webhook: { secret: 'whsec_abc' } },
      'misc',
    );
    const text = lines().join('\n');
    for (const secret of [
      'eyJ.secret.token',
      'sid=1',
      'hunter2-hunter2',
      'p4ssw0rd-long',
      'tok-123',
      '$argon2id$abc',
      'whsec_abc',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
    expect(text).toContain('a@b.org');
    expect(JSON.parse(lines()[0])).toMatchObject({ service: 'api', msg: 'request', req: { headers: { host: 'x' } } });
  });
});

describe('requestId', () => {
  it('keeps a sane caller id and replaces anything else with a UUID', () => {
    expect(requestId('abc-123_x.y')).toBe('abc-123_x.y');
    expect(requestId('has spaces')).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId(['a', 'b'])).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId('x'.repeat(200))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
