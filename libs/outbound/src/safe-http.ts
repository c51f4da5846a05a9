import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector, Dispatcher } from 'undici';
import { AddressClass, classifyAddress, isAllowedHost } from './address';

export type LookupFn = (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;

export interface OutboundPolicy {
  allowHosts: readonly string[];
  timeoutMs: number;
  lookup?: LookupFn;
  userAgent?: string;
}

export interface Hop {
  url: string;
  status: number;
}

export interface OutboundResponse {
  url: string;
  status: number;
  /** Names lower-case; repeated headers joined with ', '. */
  headers: Record<string, string>;
  body: string;
}

export interface RequestInit {
  method: 'HEAD' | 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** Default 0: the body is discarded. */
  maxBodyBytes?: number;
}

export const DEFAULT_USER_AGENT = 'Imprimatur-LinkChecker/1.0 (+https://imprimatur.invalid)';

export class BlockedDestinationError extends Error {
  override readonly name = 'BlockedDestinationError';

  constructor(
    readonly url: string,
    readonly reason: AddressClass | 'scheme' | 'credentials',
    readonly address?: string,
  ) {
    super(
      reason === 'scheme'
        ? `Refusing ${url}: only http and https are allowed`
        : reason === 'credentials'
          ? `Refusing ${url}: URLs with credentials are not allowed`
          : `Refusing ${url}: ${address ?? 'the address'} is ${reason === 'invalid' ? 'not a valid address' : `a ${reason} address`}`,
    );
  }
}

/** The name does not exist (ENOTFOUND / ENODATA); unlike other failures, retrying will not help. */
export class NameNotResolvedError extends Error {
  override readonly name = 'NameNotResolvedError';

  constructor(
    readonly host: string,
    readonly code: string,
  ) {
    super(`The name ${host} does not resolve (${code})`);
  }
}

export class OutboundTimeoutError extends Error {
  override readonly name = 'OutboundTimeoutError';
}

function timeoutError(url: URL, timeoutMs: number): OutboundTimeoutError {
  return new OutboundTimeoutError(`${url.href} did not answer within ${timeoutMs} ms`);
}

export class TooManyRedirectsError extends Error {
  override readonly name = 'TooManyRedirectsError';

  constructor(readonly hops: Hop[]) {
    super(`Gave up after ${hops.length} redirects, starting at ${hops[0]?.url ?? 'an unknown URL'}`);
  }
}

/** Any other failure to get a response (refused, reset, TLS, malformed Location); `code` is the underlying system or undici code. */
export class OutboundRequestError extends Error {
  override readonly name = 'OutboundRequestError';

  constructor(
    readonly url: string,
    message: string,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(`${url}: ${message}`, options);
  }
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const NOT_FOUND_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'ENODATA']);
// Fetch drops these when a redirect leaves the origin, so a token for one site is not handed to the next.
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

interface PinnedAddress {
  address: string;
  family: 4 | 6;
}

/** A URL that passed the checks; `pinned` is set when a name was resolved, and is the only address it may reach. */
interface Destination {
  url: URL;
  pinned?: PinnedAddress;
}

// undici accepts a per-request servername (its own DNS interceptor relies on it) but does not declare it.
type PinnedRequestOptions = Dispatcher.RequestOptions & { servername?: string };

const defaultLookup: LookupFn = async (hostname) => {
  const records = await dnsLookup(hostname, { all: true, verbatim: true });
  return records.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
};

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * Where undici should connect for a destination. A resolved name is replaced by its vetted address, so
 * no DNS happens at connect time and a rebinding answer has nothing to act on; the Host header and the
 * TLS servername keep the name, so virtual hosting and certificate checks still see the original host.
 */
function dispatchTarget(destination: Destination): {
  origin: string;
  path: string;
  host?: string;
  servername?: string;
} {
  const { url, pinned } = destination;
  const path = `${url.pathname}${url.search}`;
  if (pinned === undefined) return { origin: url.origin, path };
  const address = pinned.family === 6 ? `[${pinned.address}]` : pinned.address;
  const port = url.port === '' ? '' : `:${url.port}`;
  return {
    origin: `${url.protocol}//${address}${port}`,
    path,
    host: url.host,
    servername: url.protocol === 'https:' ? url.hostname.replace(/\.$/, '') : undefined,
  };
}

/**
 * The last line of defence: every connection undici opens goes through here, and it only ever gets an
 * allow-listed host or a public address literal, because names were swapped for their vetted address.
 */
function guardedConnector(allowHosts: readonly string[], timeoutMs: number): buildConnector.connector {
  const connect = buildConnector({ timeout: timeoutMs });
  return (options, callback) => {
    if (!isAllowedHost(options.hostname, allowHosts)) {
      const verdict = classifyAddress(options.hostname);
      if (verdict !== 'public') {
        callback(
          new BlockedDestinationError(
            `${options.protocol}//${options.host ?? options.hostname}`,
            verdict,
            options.hostname,
          ),
          null,
        );
        return;
      }
    }
    connect(options, callback);
  };
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('The request was aborted');
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

async function readBody(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  if (maxBytes <= 0) {
    await body.dump();
    return '';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early destroys the stream, so the unread rest is dropped rather than buffered.
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = maxBytes - size;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      break;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function withoutHeaders(headers: Record<string, string>, drop: (name: string) => boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !drop(name.toLowerCase())));
}

/**
 * The only way the application talks to hosts it does not control. Every destination, including each
 * redirect hop, is checked before a packet is sent, and names are pinned to the address that was checked.
 */
export class SafeHttpClient {
  private readonly agent: Agent;
  private readonly lookup: LookupFn;
  private readonly userAgent: string;

  constructor(private readonly policy: OutboundPolicy) {
    this.lookup = policy.lookup ?? defaultLookup;
    this.userAgent = policy.userAgent ?? DEFAULT_USER_AGENT;
    this.agent = new Agent({
      connect: guardedConnector(policy.allowHosts, policy.timeoutMs),
      headersTimeout: policy.timeoutMs,
      bodyTimeout: policy.timeoutMs,
    });
  }

  /** One request, no redirects followed. */
  async request(url: string, init: RequestInit): Promise<OutboundResponse> {
    return this.send(url, init, false);
  }

  /** Follows 301/302/303/307/308 up to maxRedirects (default 10), validating every hop; `hops` are the responses before the final one. */
  async follow(
    url: string,
    init: RequestInit & { maxRedirects?: number },
  ): Promise<{ response: OutboundResponse; hops: Hop[] }> {
    const maxRedirects = init.maxRedirects ?? 10;
    const hops: Hop[] = [];
    let current = url;
    let method = init.method;
    let body = init.body;
    let headers = { ...init.headers };
    for (;;) {
      const response = await this.send(current, { ...init, method, body, headers }, true);
      const location = REDIRECT_STATUSES.has(response.status) ? response.headers.location : undefined;
      if (location === undefined) return { response, hops };
      hops.push({ url: response.url, status: response.status });
      if (hops.length > maxRedirects) throw new TooManyRedirectsError(hops);

      let next: URL;
      try {
        next = new URL(location, response.url);
      } catch (err) {
        throw new OutboundRequestError(
          response.url,
          `redirects to an invalid Location ${JSON.stringify(location)}`,
          'ERR_INVALID_REDIRECT',
          { cause: err },
        );
      }
      // As in Fetch: 303 turns everything but HEAD into GET, and 301/302 turn POST into GET.
      if (
        (response.status === 303 && method !== 'HEAD') ||
        ((response.status === 301 || response.status === 302) && method === 'POST')
      ) {
        method = 'GET';
        body = undefined;
        headers = withoutHeaders(headers, (name) => name.startsWith('content-'));
      }
      if (next.origin !== new URL(response.url).origin) {
        headers = withoutHeaders(headers, (name) => CREDENTIAL_HEADERS.includes(name));
      }
      current = next.href;
    }
  }

  /** Waits for requests in flight, then closes the connections. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Aborts requests in flight and closes the connections at once. */
  async destroy(): Promise<void> {
    await this.agent.destroy();
  }

  private async send(rawUrl: string, init: RequestInit, redirectAware: boolean): Promise<OutboundResponse> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch (err) {
      throw new OutboundRequestError(rawUrl, 'not a valid URL', 'ERR_INVALID_URL', { cause: err });
    }
    const timeoutMs = init.timeoutMs ?? this.policy.timeoutMs;
    const controller = new AbortController();
    // One deadline for lookup, connect, headers and body: undici's own timeouts each restart per phase.
    const timer = setTimeout(() => controller.abort(timeoutError(url, timeoutMs)), timeoutMs);
    try {
      const destination = await this.vet(url, controller.signal);
      const target = dispatchTarget(destination);
      const headers: Record<string, string> = { 'user-agent': this.userAgent };
      for (const [name, value] of Object.entries(init.headers ?? {})) {
        if (name.toLowerCase() !== 'host') headers[name.toLowerCase()] = value;
      }
      if (target.host !== undefined) headers.host = target.host;

      const options: PinnedRequestOptions = {
        origin: target.origin,
        path: target.path,
        method: init.method,
        headers,
        body: init.body ?? null,
        signal: controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        servername: target.servername,
        // undici closes the connection after every HEAD (in case a server sends a body anyway), so a
        // link check paid a TCP handshake per link. Such stray bytes arrive with no request waiting
        // for them, and undici then drops that connection: keeping HEADs alive risks nothing else.
        reset: init.method === 'HEAD' ? false : undefined,
      };
      const res = await this.agent.request(options);
      const responseHeaders = flattenHeaders(res.headers);
      const isRedirect =
        redirectAware && REDIRECT_STATUSES.has(res.statusCode) && responseHeaders.location !== undefined;
      const body = await readBody(res.body, isRedirect ? 0 : (init.maxBodyBytes ?? 0));
      return { url: url.href, status: res.statusCode, headers: responseHeaders, body };
    } catch (err) {
      throw this.translate(err, url, controller.signal, timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Refuses the URL unless it may be reached; a name comes back pinned to the address that was checked. */
  private async vet(url: URL, signal: AbortSignal): Promise<Destination> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BlockedDestinationError(url.href, 'scheme');
    if (url.username !== '' || url.password !== '') throw new BlockedDestinationError(url.href, 'credentials');
    if (isAllowedHost(url.hostname, this.policy.allowHosts)) return { url };

    const literal = stripBrackets(url.hostname);
    if (isIP(literal) !== 0) {
      const verdict = classifyAddress(literal);
      if (verdict !== 'public') throw new BlockedDestinationError(url.href, verdict, literal);
      return { url };
    }

    const addresses = await untilAborted(this.lookup(url.hostname), signal);
    if (addresses.length === 0) throw new NameNotResolvedError(url.hostname, 'ENODATA');
    // One bad answer refuses the name: with round-robin DNS the "good" answer proves nothing about the next lookup.
    for (const { address } of addresses) {
      const verdict = classifyAddress(address);
      if (verdict !== 'public') throw new BlockedDestinationError(url.href, verdict, address);
    }
    // Many containers have no IPv6 route, and with one pinned address there is no fallback, so IPv4 goes first.
    const pinned = addresses.find((a) => a.family === 4) ?? addresses[0];
    return { url, pinned: { address: pinned.address, family: pinned.family } };
  }

  private translate(err: unknown, url: URL, signal: AbortSignal, timeoutMs: number): Error {
    if (
      err instanceof BlockedDestinationError ||
      err instanceof NameNotResolvedError ||
      err instanceof OutboundTimeoutError ||
      err instanceof OutboundRequestError
    ) {
      return err;
    }
    if (signal.aborted) return abortReason(signal);
    const code = errorCode(err);
    if (code !== undefined && TIMEOUT_CODES.has(code)) return timeoutError(url, timeoutMs);
    if (code !== undefined && NOT_FOUND_CODES.has(code)) return new NameNotResolvedError(url.hostname, code);
    const message = err instanceof Error ? err.message : String(err);
    return new OutboundRequestError(url.href, message, code, { cause: err });
  }
}
