import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '@imprimatur/config';

const SECRET_KEYS = ['password', 'passwordHash', 'accessToken', 'token', 'secret', 'jwtSecret'];

/** Wherever these appear in a log line they are replaced, so secrets never reach the logs. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
];

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The caller's x-request-id if it is sane, else a fresh UUID. */
export const requestId = (given: string | string[] | undefined): string =>
  typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();

export function pinoHttpOptions(config: Pick<AppConfig, 'logLevel'>, service: 'api' | 'worker'): Options {
  return {
    level: config.logLevel,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // The HTTP server assigns the id (see the API's app factory); this covers anything else.
    genReqId: (req: IncomingMessage) => requestId(req.headers['x-request-id']),
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    // Health probes arrive every few seconds and say nothing new.
    autoLogging: {
      ignore: (req) => ((req as { originalUrl?: string }).originalUrl ?? req.url ?? '').startsWith('/health'),
    },
  };
}

/** Structured JSON logs; for the API every request line carries the request id. */
export function loggingModule(config: AppConfig, service: 'api' | 'worker'): DynamicModule {
  return LoggerModule.forRoot({ pinoHttp: pinoHttpOptions(config, service) });
}
