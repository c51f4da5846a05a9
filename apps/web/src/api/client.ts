/**
 * The one way the web app talks to the API: JSON in and out, `Authorization: Bearer` from the
 * session, and every failure turned into an ApiError whose message is words a person can read
 * (the contract's `message`), never a JSON dump.
 */

export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  details?: Record<string, unknown> | unknown[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown> | unknown[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** `validation_failed` field problems as sentences: "title: must be shorter than or equal to 300 characters". */
  get fieldMessages(): string[] {
    const fields = this.details && !Array.isArray(this.details) ? this.details.fields : undefined;
    if (!fields || typeof fields !== 'object') return [];
    return Object.entries(fields as Record<string, unknown>).flatMap(([field, problems]) =>
      (Array.isArray(problems) ? problems : [problems]).map((p) => `${field}: ${String(p)}`),
    );
  }

  /** For `stale_revision`: the revision someone else saved. */
  get currentRevision(): number | null {
    const value = this.details && !Array.isArray(this.details) ? this.details.currentRevision : undefined;
    return typeof value === 'number' ? value : null;
  }

  /** For `rate_limited` (429): how long to wait before trying again, when the API says. */
  get retryAfterSeconds(): number | null {
    const value = this.details && !Array.isArray(this.details) ? this.details.retryAfterSeconds : undefined;
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : null;
  }

  /** For `citation_errors` (a list of problems) and other list details: their messages. */
  get problemMessages(): string[] {
    const list = Array.isArray(this.details) ? this.details : [];
    return list.flatMap((p) =>
      p && typeof p === 'object' && typeof (p as { message?: unknown }).message === 'string'
        ? [(p as { message: string }).message]
        : [],
    );
  }
}

/** Words for an error of any kind, for an Alert. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Please try again.';
}

const STORAGE_KEY = 'imprimatur.session';
const HINT_KEY = 'imprimatur.signedIn';

export interface StoredSession<U = unknown> {
  token: string;
  user: U;
}

/**
 * The access token lives in sessionStorage: it dies with the tab, and other sites cannot read it. What
 * outlives the tab is the API's HttpOnly refresh cookie (contract §19), which no script can see: a hint
 * in localStorage (no secret in it) says whether a new tab should ask `POST /auth/refresh` at all.
 */
export const sessionStore = {
  read<U>(): StoredSession<U> | null {
    try {
      const raw = sessionStorage.getItem(STORAGE_KEY);
      const parsed = raw ? (JSON.parse(raw) as StoredSession<U>) : null;
      return parsed && typeof parsed.token === 'string' ? parsed : null;
    } catch {
      return null;
    }
  },
  write<U>(session: StoredSession<U>): void {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  },
  /** Ends the tab's session, and the hint: the cookie is revoked, or refused. */
  clear(): void {
    sessionStorage.removeItem(STORAGE_KEY);
    try {
      localStorage.removeItem(HINT_KEY);
    } catch {
      // Without localStorage there is no hint to remove.
    }
  },
  /** After a sign-in or a refresh: the browser holds a refresh cookie that other tabs may use. */
  markRestorable(): void {
    try {
      localStorage.setItem(HINT_KEY, '1');
    } catch {
      // Without localStorage a new tab only signs in again.
    }
  },
  /** Whether this browser signed in and has not signed out since: then the refresh cookie may still work. */
  mayRestore(): boolean {
    try {
      return localStorage.getItem(HINT_KEY) === '1';
    } catch {
      return false;
    }
  },
};

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called when the API answers 401 to a signed-in request and no refresh helps: the session is over. Returns an unsubscribe. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function endSession(): void {
  sessionStore.clear();
  unauthorizedListeners.forEach((listener) => listener());
}

type RenewalListener = (session: StoredSession, previous: StoredSession | null) => void;
const renewalListeners = new Set<RenewalListener>();

/**
 * Called with the session a refresh brought (a new access token; the user as the API sees them now)
 * and the one this tab held before, if any.
 */
export function onSessionRenewed(listener: RenewalListener): () => void {
  renewalListeners.add(listener);
  return () => renewalListeners.delete(listener);
}

let refreshing: Promise<StoredSession | null> | null = null;

/**
 * `POST /auth/refresh` with the refresh cookie: a new access token for this tab, or null when the
 * session is over (or the API cannot be reached). Callers meanwhile share the one request: every
 * refresh rotates the cookie, so a second one sent with the same cookie would only be a wasted call.
 */
export function refreshSession(): Promise<StoredSession | null> {
  refreshing ??= (async () => {
    try {
      const response = await fetch('/auth/refresh', {
        method: 'POST',
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (!response.ok) return null;
      const body = (await response.json()) as { accessToken?: unknown; user?: unknown };
      if (typeof body.accessToken !== 'string') return null;
      const session: StoredSession = { token: body.accessToken, user: body.user };
      const previous = sessionStore.read();
      sessionStore.write(session);
      sessionStore.markRestorable();
      renewalListeners.forEach((listener) => listener(session, previous));
      return session;
    } catch {
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
}

/** `/articles?state=draft` from a path and the query's set values. */
export function buildPath(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

const STATUS_WORDS: Record<number, string> = {
  400: 'The request was not accepted.',
  401: 'Please sign in.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  409: 'That conflicts with the current state.',
  413: 'That is too large to send.',
  422: 'That could not be processed.',
  429: 'Too many attempts. Please wait a little and try again.',
  500: 'The server had a problem. Please try again.',
  502: 'The server cannot be reached right now.',
  503: 'The service is unavailable right now.',
  504: 'The server took too long to answer.',
};

async function toError(response: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> | null = null;
  try {
    const text = await response.text();
    body = text ? (JSON.parse(text) as Partial<ErrorBody>) : null;
  } catch {
    body = null;
  }
  const message =
    body && typeof body.message === 'string' && body.message.trim()
      ? body.message
      : (STATUS_WORDS[response.status] ?? `The request failed (HTTP ${response.status}).`);
  const code = body && typeof body.code === 'string' ? body.code : `http_${response.status}`;
  return new ApiError(response.status, code, message, body?.details);
}

/**
 * A 401 to a signed-in request means the access token no longer works, except
 * `reauthentication_failed`: the token is fine, the password typed to sign (contract §12) was not.
 */
const tokenRefused = (error: ApiError, token: string | undefined) =>
  error.status === 401 && Boolean(token) && error.code !== 'reauthentication_failed';

const userIdOf = (session: StoredSession | null) => (session?.user as { id?: unknown } | undefined)?.id;

/**
 * Sends with the session's access token. When the API refuses the token, the session is renewed
 * through the refresh cookie (once, shared with every call refused meanwhile) and the call sent again
 * with the new token; only when that fails is the session over. The routes of /auth itself are never
 * retried: their 401 is the answer.
 */
async function sendWithSession(
  path: string,
  send: (token: string | undefined) => Promise<Response>,
): Promise<Response> {
  const before = sessionStore.read();
  const response = await send(before?.token);
  if (response.status !== 401 || !before || path.startsWith('/auth/')) return response;
  const error = await toError(response);
  if (!tokenRefused(error, before.token)) throw error;
  const stored = sessionStore.read();
  // Signed out, or another call's refresh failed, while this one was on its way: nothing to renew.
  if (!stored) throw error;
  // Another call may have renewed the session meanwhile.
  const renewed = stored.token !== before.token ? stored : await refreshSession();
  if (!renewed) {
    // Calls that shared the refused refresh end the session once.
    if (sessionStore.read()) endSession();
    throw error;
  }
  // The cookie is the browser's, not the tab's: someone else may have signed in in another tab. Their
  // token must not answer a call made for this tab's user (the session provider switches users).
  if (userIdOf(renewed) !== userIdOf(before)) throw error;
  const retried = await send(renewed.token);
  if (retried.status !== 401) return retried;
  const again = await toError(retried);
  if (tokenRefused(again, renewed.token)) endSession();
  throw again;
}

const unreachable = (error: unknown): never => {
  if (error instanceof DOMException && error.name === 'AbortError') throw error;
  throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
};

/** Calls the API; resolves with the parsed JSON (undefined for 204), rejects with an ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await sendWithSession(path, (token) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    return fetch(buildPath(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      // The refresh cookie is set and sent on /auth (login, logout) only; same-origin is fetch's default.
      credentials: 'same-origin',
    }).catch(unreachable);
  });
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Fetches a file the API streams (e.g. the audit export) with the session's token, and saves it. */
export async function download(path: string, filename: string, query?: Query): Promise<void> {
  const response = await sendWithSession(path, (token) =>
    fetch(buildPath(path, query), { headers: token ? { authorization: `Bearer ${token}` } : {} }).catch(unreachable),
  );
  if (!response.ok) throw await toError(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
