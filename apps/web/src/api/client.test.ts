import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, errorMessage, onUnauthorized, sessionStore } from './client';

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

describe('api client', () => {
  afterEach(() => sessionStore.clear());

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
});
