/**
 * Errors the domain and services raise. Each carries a contract error code; the API's exception
 * filter is the only place that turns a code into an HTTP status.
 */
export const ERROR_CODES = [
  'validation_failed',
  'unauthenticated',
  'reauthentication_failed',
  'forbidden',
  'not_found',
  'invalid_transition',
  'stale_revision',
  'duplicate',
  'last_admin',
  'conflict_of_interest',
  'citation_errors',
  'anchor_not_found',
  'retracted',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'unavailable',
  'upstream_unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetails = Record<string, unknown> | unknown[];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const validationFailed = (message: string, details?: ErrorDetails) =>
  new DomainError('validation_failed', message, details);
export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
export const forbidden = (message = 'You may not do this') => new DomainError('forbidden', message);
export const unauthenticated = (message = 'Authentication required') => new DomainError('unauthenticated', message);
export const duplicate = (message: string, details?: ErrorDetails) => new DomainError('duplicate', message, details);
/** A registry or other service we ask on the caller's behalf did not answer (contract §16: 502). */
export const upstreamUnavailable = (message: string, details?: ErrorDetails) =>
  new DomainError('upstream_unavailable', message, details);
