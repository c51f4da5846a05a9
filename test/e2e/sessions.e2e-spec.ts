import { createHash } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { ADMIN, createUser, freshAddress, login, startApi, TestApi } from '../support/app';
import { sql } from '../support/db';

const COOKIE = 'imprimatur_refresh';

interface SetCookie {
  value: string;
  /** Attribute names in lower case → their value ('' for flags). */
  attributes: Map<string, string>;
}

/** The refresh cookie a response sets, parsed; null when it sets none. */
function refreshCookieOf(res: request.Response): SetCookie | null {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  const mine = (header ?? []).filter((line) => line.startsWith(`${COOKIE}=`));
  if (mine.length > 1) throw new Error(`the refresh cookie is set ${mine.length} times`);
  if (mine.length === 0) return null;
  const [pair, ...attributes] = mine[0].split(';').map((part) => part.trim());
  return {
    value: decodeURIComponent(pair.slice(COOKIE.length + 1)),
    attributes: new Map(
      attributes.map((a) => {
        const at = a.indexOf('=');
        return at < 0 ? [a.toLowerCase(), ''] : [a.slice(0, at).toLowerCase(), a.slice(at + 1)];
      }),
    ),
  };
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const UNAUTHENTICATED = { statusCode: 401, error: 'Unauthorized', code: 'unauthenticated' };

describe('sessions: refresh cookie, refresh, logout (contract §19, e2e)', () => {
  let api: TestApi;
  let db: Client;
  let adminToken: string;

  beforeAll(async () => {
    api = await startApi();
    db = await sql();
    adminToken = await login(api.http, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  const signIn = async (email: string, password: string, headers: Record<string, string> = {}) => {
    const res = await request(api.http)
      .post('/auth/login')
      .set({ 'x-forwarded-for': freshAddress(), ...headers })
      .send({ email, password })
      .expect(200);
    const cookie = refreshCookieOf(res);
    if (!cookie) throw new Error('login set no refresh cookie');
    return { res, cookie };
  };
  const refresh = (value?: string) => {
    const call = request(api.http).post('/auth/refresh').set('x-forwarded-for', freshAddress());
    return value === undefined ? call : call.set('cookie', `${COOKIE}=${value}`);
  };
  const logout = (value?: string) => {
    const call = request(api.http).post('/auth/logout').set('x-forwarded-for', freshAddress());
    return value === undefined ? call : call.set('cookie', `${COOKIE}=${value}`);
  };
  const editor = () => createUser(api.http, adminToken, { roles: ['editor'] });
  const tokenRow = async (value: string) =>
    (
      await db.query<{ family_id: string; revoked_reason: string | null; expires_at: Date; created_at: Date }>(
        'SELECT family_id, revoked_reason, expires_at, created_at FROM refresh_tokens WHERE token_hash = $1',
        [sha256(value)],
      )
    ).rows[0];
  const actionsFor = async (userId: string, since: number) =>
    (
      await db.query<{ action: string; actor_id: string | null; data: Record<string, unknown> }>(
        'SELECT action, actor_id, data FROM audit_log WHERE entity_id = $1 AND seq > $2 ORDER BY seq',
        [userId, since],
      )
    ).rows;
  const headSeq = async () => Number((await db.query('SELECT coalesce(max(seq), 0) AS s FROM audit_log')).rows[0].s);
  /** As if the rotation of this token had happened a minute ago: past the grace for tabs refreshing together. */
  const ageRotation = (value: string) =>
    db.query(`UPDATE refresh_tokens SET revoked_at = revoked_at - interval '1 minute' WHERE token_hash = $1`, [
      sha256(value),
    ]);

  it('login sets an HttpOnly, SameSite=Strict refresh cookie scoped to /auth for REFRESH_TTL_HOURS, storing only its hash', async () => {
    const user = await editor();
    const { res, cookie } = await signIn(user.email, user.password);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', user: { id: user.id } });
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.attributes.get('httponly')).toBe('');
    expect(cookie.attributes.get('samesite')).toBe('Strict');
    expect(cookie.attributes.get('path')).toBe('/auth');
    // Plain http, no X-Forwarded-Proto: a Secure cookie would never come back.
    expect(cookie.attributes.has('secure')).toBe(false);
    const maxAge = Number(cookie.attributes.get('max-age'));
    expect(maxAge).toBeGreaterThan(12 * 3600 - 60);
    expect(maxAge).toBeLessThanOrEqual(12 * 3600);
    expect(JSON.stringify(res.body)).not.toContain(cookie.value);

    const row = await tokenRow(cookie.value);
    expect(row).toMatchObject({ revoked_reason: null });
    const lifetime = (row.expires_at.getTime() - row.created_at.getTime()) / 3_600_000;
    expect(lifetime).toBeCloseTo(12, 1);
    const { rows } = await db.query(
      `SELECT 1 FROM refresh_tokens WHERE token_hash = $1 OR row_to_json(refresh_tokens)::text LIKE '%' || $1 || '%'`,
      [cookie.value],
    );
    expect(rows).toEqual([]);
  });

  it('sets the cookie Secure when the request came over https through the trusted proxy', async () => {
    const user = await editor();
    const { cookie } = await signIn(user.email, user.password, { 'x-forwarded-proto': 'https' });
    expect(cookie.attributes.has('secure')).toBe(true);
    const rotated = refreshCookieOf(await refresh(cookie.value).set('x-forwarded-proto', 'https').expect(200));
    expect(rotated?.attributes.has('secure')).toBe(true);
  });

  it('refresh answers a working access token in the shape of login, and rotates the cookie', async () => {
    const user = await editor();
    const { cookie } = await signIn(user.email, user.password);
    const since = await headSeq();
    const res = await refresh(cookie.value).expect(200);
    expect(res.body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresIn: 3600,
      user: expect.objectContaining({ id: user.id, email: user.email, roles: ['editor'] }),
    });
    const me = await request(api.http).get('/me').auth(res.body.accessToken, { type: 'bearer' }).expect(200);
    expect(me.body.id).toBe(user.id);

    const next = refreshCookieOf(res);
    expect(next).not.toBeNull();
    expect(next!.value).not.toBe(cookie.value);
    expect(Object.fromEntries(next!.attributes)).toMatchObject({ httponly: '', samesite: 'Strict', path: '/auth' });
    // The sign-in's lifetime: a refresh does not extend it.
    expect(Number(next!.attributes.get('max-age'))).toBeLessThanOrEqual(Number(cookie.attributes.get('max-age')));
    const [before, after] = [await tokenRow(cookie.value), await tokenRow(next!.value)];
    expect(before.revoked_reason).toBe('rotated');
    expect(after).toMatchObject({ family_id: before.family_id, revoked_reason: null });
    expect(after.expires_at.getTime()).toBe(before.expires_at.getTime());
    expect(await actionsFor(user.id, since)).toEqual([
      { action: 'auth.refresh', actor_id: user.id, data: { address: expect.any(String) } },
    ]);

    // The successor refreshes in turn.
    expect(refreshCookieOf(await refresh(next!.value).expect(200))).not.toBeNull();
  });

  it('a rotated cookie presented again later is a stolen copy: 401, and the whole session is revoked', async () => {
    const user = await editor();
    const { cookie: stolen } = await signIn(user.email, user.password);
    const other = await signIn(user.email, user.password);
    const rotated = refreshCookieOf(await refresh(stolen.value).expect(200))!;
    await ageRotation(stolen.value);
    const since = await headSeq();

    const replay = await refresh(stolen.value).expect(401);
    expect(replay.body).toMatchObject(UNAUTHENTICATED);
    expect(refreshCookieOf(replay)).toBeNull();
    // The legitimate holder's current cookie belongs to the same session: revoked with it.
    expect((await refresh(rotated.value).expect(401)).body).toMatchObject(UNAUTHENTICATED);
    expect((await tokenRow(rotated.value)).revoked_reason).toBe('reused');
    const audit = await actionsFor(user.id, since);
    expect(audit).toEqual([
      {
        action: 'auth.refresh_reused',
        actor_id: null,
        data: expect.objectContaining({ session: (await tokenRow(stolen.value)).family_id, revoked: 1 }),
      },
    ]);
    // Another sign-in of the same user is another session, untouched.
    expect(refreshCookieOf(await refresh(other.cookie.value).expect(200))).not.toBeNull();
  });

  it('tabs refreshing with the same cookie at once all get an access token; one rotation, no revocation', async () => {
    const user = await editor();
    const { cookie } = await signIn(user.email, user.password);
    const answers = await Promise.all([refresh(cookie.value), refresh(cookie.value), refresh(cookie.value)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const set = answers.map(refreshCookieOf).filter((c): c is SetCookie => c !== null);
    expect(set).toHaveLength(1);
    for (const answer of answers) {
      await request(api.http).get('/me').auth(answer.body.accessToken, { type: 'bearer' }).expect(200);
    }
    expect(refreshCookieOf(await refresh(set[0].value).expect(200))).not.toBeNull();
  });

  it('logout revokes the session and clears the cookie; refresh afterwards is 401', async () => {
    const user = await editor();
    const { cookie } = await signIn(user.email, user.password);
    const since = await headSeq();
    // No access token: the cookie is what is revoked.
    const res = await logout(cookie.value).expect(204);
    const cleared = refreshCookieOf(res);
    expect(cleared?.value).toBe('');
    expect(cleared?.attributes.get('path')).toBe('/auth');
    expect(new Date(cleared!.attributes.get('expires')!).getTime()).toBeLessThanOrEqual(Date.now());
    expect((await refresh(cookie.value).expect(401)).body).toMatchObject(UNAUTHENTICATED);
    expect((await tokenRow(cookie.value)).revoked_reason).toBe('logout');
    expect(await actionsFor(user.id, since)).toEqual([
      { action: 'auth.logout', actor_id: user.id, data: { address: expect.any(String), revoked: 1 } },
    ]);
  });

  it('logout without a cookie, or with one already revoked, is 204 and writes nothing', async () => {
    const user = await editor();
    const { cookie } = await signIn(user.email, user.password);
    await logout(cookie.value).expect(204);
    const since = await headSeq();
    await logout(cookie.value).expect(204);
    await logout().expect(204);
    await logout('not-a-token').expect(204);
    expect(await headSeq()).toBe(since);
  });

  it("deactivation revokes the user's sessions, and reactivation does not bring them back", async () => {
    const user = await editor();
    const first = await signIn(user.email, user.password);
    const second = await signIn(user.email, user.password);
    await request(api.http)
      .patch(`/users/${user.id}`)
      .auth(adminToken, { type: 'bearer' })
      .send({ active: false })
      .expect(200);
    expect((await refresh(first.cookie.value).expect(401)).body).toMatchObject(UNAUTHENTICATED);
    expect((await tokenRow(second.cookie.value)).revoked_reason).toBe('deactivated');
    await request(api.http)
      .patch(`/users/${user.id}`)
      .auth(adminToken, { type: 'bearer' })
      .send({ active: true })
      .expect(200);
    await refresh(second.cookie.value).expect(401);
  });

  it('a session whose token version moved on (however it did) refreshes no more', async () => {
    const user = await editor();
    const { cookie } = await signIn(user.email, user.password);
    await db.query('UPDATE users SET token_version = token_version + 1 WHERE id = $1', [user.id]);
    expect((await refresh(cookie.value).expect(401)).body).toMatchObject(UNAUTHENTICATED);
  });

  it('honours the expiry: a session past its end is 401', async () => {
    const user = await editor();
    const { cookie } = await signIn(user.email, user.password);
    await db.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [
      sha256(cookie.value),
    ]);
    expect((await refresh(cookie.value).expect(401)).body).toMatchObject(UNAUTHENTICATED);
  });

  it('no cookie, or one that is no token of ours, is 401 in the contract error body', async () => {
    const none = await refresh().expect(401);
    expect(none.body).toEqual({ ...UNAUTHENTICATED, message: expect.any(String) });
    expect((await refresh('x'.repeat(43)).expect(401)).body).toMatchObject(UNAUTHENTICATED);
    expect((await refresh('garbage').expect(401)).body).toMatchObject(UNAUTHENTICATED);
    // An access token is no refresh token.
    await request(api.http).post('/auth/refresh').auth(adminToken, { type: 'bearer' }).expect(401);
  });

  it('starts sessions for REFRESH_TTL_HOURS as configured', async () => {
    const short = await startApi({ REFRESH_TTL_HOURS: '2' });
    try {
      const res = await request(short.http)
        .post('/auth/login')
        .set('x-forwarded-for', freshAddress())
        .send(ADMIN)
        .expect(200);
      const maxAge = Number(refreshCookieOf(res)?.attributes.get('max-age'));
      expect(maxAge).toBeGreaterThan(2 * 3600 - 60);
      expect(maxAge).toBeLessThanOrEqual(2 * 3600);
    } finally {
      await short.close();
    }
  });
});
