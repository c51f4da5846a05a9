import {
  BlockedDestinationError,
  NameNotResolvedError,
  OutboundRequestError,
  OutboundTimeoutError,
  TooManyRedirectsError,
} from './safe-http';

/**
 * Why an outbound request failed, in words that are safe to show anyone. Error messages are not:
 * a blocked destination's names the address a name resolved to (which tells an outsider what is
 * inside our network), and system errors carry addresses, ports and library internals. Whatever
 * leaves the server (check details, the API) says one of these; the full error goes to the logs.
 */
export const OUTBOUND_FAILURES = {
  address_not_allowed: 'the address is not allowed',
  scheme_not_allowed: 'only http and https links can be checked',
  credentials_not_allowed: 'links with credentials are not allowed',
  dns_failure: 'the name does not resolve',
  connection_refused: 'the connection was refused',
  reset: 'the connection was closed before an answer',
  tls_error: 'the secure connection failed',
  unreachable: 'the host cannot be reached',
  timeout: 'no answer in time',
  invalid_url: 'not a valid URL',
  invalid_redirect: 'redirected to an invalid address',
  too_many_redirects: 'too many redirects',
  request_failed: 'the request failed',
} as const;

export type OutboundFailure = keyof typeof OUTBOUND_FAILURES;

export interface OutboundFailureDescription {
  code: OutboundFailure;
  /** A fixed sentence for the code: never the error's own message. */
  message: string;
}

const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_ABORTED']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const DNS = new Set([
  'ENOTFOUND',
  'ENODATA',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'ESERVFAIL',
  'ENOTIMP',
  'EREFUSED',
]);
const TIMEOUT = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const TLS = new Set([
  'EPROTO',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'HOSTNAME_MISMATCH',
]);

/** The safe code for a system, undici or TLS error code; request_failed for anything unknown. */
export function failureOfCode(code: string | undefined): OutboundFailure {
  if (code === undefined) return 'request_failed';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (RESET.has(code)) return 'reset';
  if (UNREACHABLE.has(code)) return 'unreachable';
  if (DNS.has(code)) return 'dns_failure';
  if (TIMEOUT.has(code)) return 'timeout';
  if (TLS.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.startsWith('CERT_'))
    return 'tls_error';
  if (code === 'ERR_INVALID_URL') return 'invalid_url';
  if (code === 'ERR_INVALID_REDIRECT') return 'invalid_redirect';
  return 'request_failed';
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function failureOf(error: unknown): OutboundFailure {
  if (error instanceof BlockedDestinationError) {
    if (error.reason === 'scheme') return 'scheme_not_allowed';
    if (error.reason === 'credentials') return 'credentials_not_allowed';
    return 'address_not_allowed';
  }
  if (error instanceof NameNotResolvedError) return 'dns_failure';
  if (error instanceof OutboundTimeoutError) return 'timeout';
  if (error instanceof TooManyRedirectsError) return 'too_many_redirects';
  if (error instanceof OutboundRequestError) return failureOfCode(error.code ?? codeOf(error.cause));
  return failureOfCode(codeOf(error));
}

/** What to tell a user about a failed outbound request: a safe code and its fixed sentence. */
export function describeOutboundFailure(error: unknown): OutboundFailureDescription {
  const code = failureOf(error);
  return { code, message: OUTBOUND_FAILURES[code] };
}

/** Whether the error came from the SSRF-safe client (and so is one of the failures above, not a bug). */
export function isOutboundError(error: unknown): boolean {
  return (
    error instanceof BlockedDestinationError ||
    error instanceof NameNotResolvedError ||
    error instanceof OutboundTimeoutError ||
    error instanceof TooManyRedirectsError ||
    error instanceof OutboundRequestError
  );
}
