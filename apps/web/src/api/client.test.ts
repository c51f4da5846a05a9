import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, download, errorMessage, onSessionRenewed, onUnauthorized, sessionStore } from './client';

/** The path a fake fetch was called with (the client passes strings). */
const urlOf = (input: unknown) =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : (input as Request).url;
const respond = (status: number, body?: unknown, raw?: string) =>
  vi.stubGlobal(
    'fetch',
    vi.fn(
      async () =>
        new Response(raw ?? (body === undefined ? null : JSON.stringify(body)), {
          status,
          headers: { 'content-type': 'application/json' },
        }),
    ),
  );

const unauthenticated = (message = 'Access token is invalid or expired') =>
  new Response(JSON.stringify({ statusCode: 401, error: 'Unauthorized', code: 'unauthenticated', message }), {
    status: 401,
    headers: { 'content-type': 'application/json' },
  });
const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
const loginShape = (token: string, id = 'u') => ({
  accessToken: token,
  tokenType: 'Bearer',
  expiresIn: 3600,
  user: { id },
});
const authorizationOf = (init?: RequestInit) => (init?.headers as Record<string, string> | undefined)?.authorization;

/**
 * A fake API whose access tokens are `valid`; POST /auth/refresh answers `refresh()` after `refreshDelay`
 * ms, so that concurrent calls overlap it.
 */
function tokenApi(valid: string[], refresh: () => Response, refreshDelay = 20) {
  const mock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = urlOf(input);
    if (url === '/auth/refresh') {
      await new Promise((resolve) => setTimeout(resolve, refreshDelay));
      return refresh();
    }
    const token = authorizationOf(init)?.replace('Bearer ', '');
    return token && valid.includes(token) ? json({ url, token }) : unauthenticated();
  });
  vi.stubGlobal('fetch', mock);
  return {
    mock,
    refreshCalls: () => mock.mock.calls.filter(([url]) => urlOf(url) === '/auth/refresh'),
  };
}

describe('api client', () => {
  afterEach(() => {
    sessionStore.clear();
    localStorage.clear();
  });

  it('sends JSON with the bearer token and returns the parsed body', async () => {
    sessionStore.write({ token: 'tok-1', user: { id: 'u' } });
    respond(200, { ok: true });
    await expect(
      api('/articles', { method: 'POST', body: { title: 'T' }, query: { state: 'draft', q: '', cursor: null } }),
    ).resolves.toEqual({ ok: true });
    const [url, init] = vi.mocked(fetch).mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/articles?state=draft');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"title":"T"}');
    expect(init.headers).toMatchObject({ authorization: 'Bearer tok-1', 'content-type': 'application/json' });
  });

  it("turns an error body into an ApiError carrying the contract's message, code and details", async () => {
    respond(409, {
      statusCode: 409,
      error: 'Conflict',
      code: 'stale_revision',
      message: 'Revision 3 is not the current revision (4)',
      details: { currentRevision: 4 },
    });
    const error = await api('/articles/x/revisions', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 409,
      code: 'stale_revision',
      message: 'Revision 3 is not the current revision (4)',
    });
    expect((error as ApiError).currentRevision).toBe(4);
    expect(errorMessage(error)).toBe('Revision 3 is not the current revision (4)');
  });

  it('lists validation problems per field and citation problems as sentences', async () => {
    respond(400, {
      statusCode: 400,
      error: 'Bad Request',
      code: 'validation_failed',
      message: 'Invalid request: title',
      details: { fields: { title: ['title must not be empty'] } },
    });
    const validation = (await api('/articles').catch((e: unknown) => e)) as ApiError;
    expect(validation.fieldMessages).toEqual(['title: title must not be empty']);
    respond(422, {
      statusCode: 422,
      error: 'Unprocessable Entity',
      code: 'citation_errors',
      message: 'The citations have errors',
      details: [{ message: 'Marker [4] cites reference 4, but there are only 3 references' }],
    });
    const citations = (await api('/articles/x/submit', { method: 'POST', body: {} }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(citations.problemMessages).toEqual(['Marker [4] cites reference 4, but there are only 3 references']);
  });

  it('never shows raw JSON or HTML: a body without a message becomes words for its status', async () => {
    respond(502, undefined, '<html><body>Bad gateway</body></html>');
    const error = (await api('/me').catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe('The server cannot be reached right now.');
    expect(error.code).toBe('http_502');
    respond(500, { unexpected: true });
    expect(errorMessage(await api('/me').catch((e: unknown) => e))).toBe('The server had a problem. Please try again.');
  });

  it('reports a network failure in words', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    const error = (await api('/me').catch((e: unknown) => e)) as ApiError;
    expect(error).toMatchObject({ status: 0, code: 'network' });
    expect(error.message).toMatch(/cannot be reached/);
  });

  it('on 401 with a session: clears the token and tells the listeners', async () => {
    sessionStore.write({ token: 'expired', user: { id: 'u' } });
    const listener = vi.fn();
    const stop = onUnauthorized(listener);
    respond(401, {
      statusCode: 401,
      error: 'Unauthorized',
      code: 'unauthenticated',
      message: 'The access token has expired',
    });
    await expect(api('/me')).rejects.toMatchObject({ status: 401, message: 'The access token has expired' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(sessionStore.read()).toBeNull();
    stop();
  });

  it('on 401 reauthentication_failed (a wrong password when signing) keeps the session', async () => {
    sessionStore.write({ token: 'still-good', user: { id: 'u' } });
    const listener = vi.fn();
    const stop = onUnauthorized(listener);
    respond(401, {
      statusCode: 401,
      error: 'Unauthorized',
      code: 'reauthentication_failed',
      message: 'The password is not right',
    });
    await expect(api('/articles/x/signoffs', { method: 'POST', body: {} })).rejects.toMatchObject({
      status: 401,
      code: 'reauthentication_failed',
    });
    expect(listener).not.toHaveBeenCalled();
    expect(sessionStore.read()?.token).toBe('still-good');
    stop();
  });

  it('reads how long a 429 asks to wait', async () => {
    respond(429, {
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'rate_limited',
      message: 'Too many wrong passwords; try again later',
      details: { retryAfterSeconds: 89.2 },
    });
    const error = (await api('/articles/x/signoffs', { method: 'POST', body: {} }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(error.retryAfterSeconds).toBe(90);
    respond(429, { statusCode: 429, error: 'Too Many Requests', code: 'rate_limited', message: 'Slow down' });
    expect(((await api('/me').catch((e: unknown) => e)) as ApiError).retryAfterSeconds).toBeNull();
  });

  it('on 401 without a session (a wrong password) only rejects', async () => {
    const listener = vi.fn();
    const stop = onUnauthorized(listener);
    respond(401, {
      statusCode: 401,
      error: 'Unauthorized',
      code: 'unauthenticated',
      message: 'Wrong email or password',
    });
    await expect(api('/auth/login', { method: 'POST', body: {} })).rejects.toMatchObject({
      message: 'Wrong email or password',
    });
    expect(listener).not.toHaveBeenCalled();
    stop();
  });

  it('answers 204 with undefined', async () => {
    respond(204);
    await expect(api('/webhooks/x', { method: 'DELETE' })).resolves.toBeUndefined();
  });

  describe('refresh through the cookie (contract §19)', () => {
    it('on a refused access token: one refresh for every call refused meanwhile, each sent again with the new token', async () => {
      sessionStore.write({ token: 'tok-old', user: { id: 'u' } });
      const { mock, refreshCalls } = tokenApi(['tok-new'], () => json(loginShape('tok-new')));
      const ended = vi.fn();
      const stop = onUnauthorized(ended);
      const results = await Promise.all([api('/a'), api('/b'), api('/c', { method: 'POST', body: { x: 1 } })]);
      expect(results).toEqual([
        { url: '/a', token: 'tok-new' },
        { url: '/b', token: 'tok-new' },
        { url: '/c', token: 'tok-new' },
      ]);
      expect(refreshCalls()).toHaveLength(1);
      const [, init] = refreshCalls()[0] as [string, RequestInit];
      expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin' });
      // No body and no JSON content type: the route takes none.
      expect(init.body).toBeUndefined();
      const retriedC = mock.mock.calls.filter(([url]) => url === '/c').map(([, i]) => (i as RequestInit).body);
      expect(retriedC).toEqual(['{"x":1}', '{"x":1}']);
      expect(sessionStore.read()).toEqual({ token: 'tok-new', user: { id: 'u' } });
      expect(sessionStore.mayRestore()).toBe(true);
      expect(ended).not.toHaveBeenCalled();
      stop();
    });

    it('a call refused after another one renewed the session is sent again without a second refresh', async () => {
      sessionStore.write({ token: 'tok-old', user: { id: 'u' } });
      const { refreshCalls } = tokenApi(['tok-new'], () => json(loginShape('tok-new')));
      await api('/a');
      // As if '/b' had left with the old token just before the renewal.
      sessionStore.write({ token: 'tok-old', user: { id: 'u' } });
      const late = api('/b');
      sessionStore.write({ token: 'tok-new', user: { id: 'u' } });
      await expect(late).resolves.toEqual({ url: '/b', token: 'tok-new' });
      expect(refreshCalls()).toHaveLength(1);
    });

    it('a refused refresh ends the session once, however many calls shared it', async () => {
      sessionStore.write({ token: 'tok-old', user: { id: 'u' } });
      sessionStore.markRestorable();
      const { refreshCalls } = tokenApi([], () => unauthenticated('Your session has ended; sign in again'));
      const ended = vi.fn();
      const stop = onUnauthorized(ended);
      const outcomes = await Promise.allSettled([api('/a'), api('/b')]);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
      expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({ status: 401 });
      expect(refreshCalls()).toHaveLength(1);
      expect(ended).toHaveBeenCalledTimes(1);
      expect(sessionStore.read()).toBeNull();
      expect(sessionStore.mayRestore()).toBe(false);
      stop();
    });

    it('a refresh that cannot reach the API ends the session too', async () => {
      sessionStore.write({ token: 'tok-old', user: { id: 'u' } });
      vi.stubGlobal(
        'fetch',
        vi.fn(async (input: RequestInfo | URL) => {
          if (urlOf(input) === '/auth/refresh') throw new TypeError('Failed to fetch');
          return unauthenticated();
        }),
      );
      await expect(api('/a')).rejects.toMatchObject({ status: 401 });
      expect(sessionStore.read()).toBeNull();
    });

    it('the routes of /auth are never retried: their 401 is the answer', async () => {
      sessionStore.write({ token: 'tok-old', user: { id: 'u' } });
      const { refreshCalls } = tokenApi([], () => json(loginShape('tok-new')));
      await expect(api('/auth/login', { method: 'POST', body: {} })).rejects.toMatchObject({ status: 401 });
      expect(refreshCalls()).toHaveLength(0);
      expect(sessionStore.read()?.token).toBe('tok-old');
    });

    it("a cookie that is now another user's (signed in in another tab) does not answer this tab's call", async () => {
      sessionStore.write({ token: 'tok-old', user: { id: 'alice' } });
      const { mock } = tokenApi(['tok-bob'], () => json(loginShape('tok-bob', 'bob')));
      const renewals: [unknown, unknown][] = [];
      const stop = onSessionRenewed((session, previous) => renewals.push([session.user, previous?.user]));
      await expect(api('/a')).rejects.toMatchObject({ status: 401 });
      expect(mock.mock.calls.filter(([url]) => url === '/a')).toHaveLength(1);
      expect(renewals).toEqual([[{ id: 'bob' }, { id: 'alice' }]]);
      stop();
    });

    it('downloads renew the session the same way', async () => {
      sessionStore.write({ token: 'tok-old', user: { id: 'u' } });
      const { mock, refreshCalls } = tokenApi(['tok-new'], () => json(loginShape('tok-new')));
      URL.createObjectURL = vi.fn(() => 'blob:x');
      URL.revokeObjectURL = vi.fn();
      // jsdom cannot follow the link; the save itself is the browser's.
      const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
      await download('/audit/export', 'audit.jsonl', { format: 'jsonl' });
      expect(refreshCalls()).toHaveLength(1);
      const sent = mock.mock.calls.filter(([url]) => urlOf(url).startsWith('/audit/export'));
      expect(sent.map(([, init]) => authorizationOf(init))).toEqual(['Bearer tok-old', 'Bearer tok-new']);
      expect(click).toHaveBeenCalledTimes(1);
      click.mockRestore();
    });
  });
});
