import * as argon2 from 'argon2';
import request from 'supertest';
import { ADMIN, createUser, freshAddress, login, startApi, TestApi } from '../support/app';
import { sql } from '../support/db';

/** Password checks that failed for an email: each writes one auth.login_failed entry. */
async function failedLoginsOf(email: string): Promise<number> {
  const client = await sql();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_log WHERE action = 'auth.login_failed' AND data->>'email' = $1`,
      [email],
    );
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

describe('authentication (e2e)', () => {
  let api: TestApi;
  let adminToken: string;

  beforeAll(async () => {
    // Low limits so that throttling shows within a few requests.
    api = await startApi({
      LOGIN_FAILURES_PER_ACCOUNT: '3',
      LOGIN_FAILURES_PER_ACCOUNT_TOTAL: '6',
      LOGIN_FAILURES_PER_ADDRESS: '5',
      LOGIN_THROTTLE_WINDOW_SECONDS: '600',
    });
    adminToken = await login(api.http, ADMIN.email, ADMIN.password);
  });
  afterAll(() => api.close());

  it('logs in with the right password and returns a bearer token and the user, never a hash', async () => {
    const res = await request(api.http)
      .post('/auth/login')
      .set('x-forwarded-for', freshAddress())
      .send(ADMIN)
      .expect(200);
    expect(res.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 3600,
      user: { email: ADMIN.email, roles: ['admin'], active: true },
    });
    expect(res.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
    const me = await request(api.http).get('/me').auth(res.body.accessToken, { type: 'bearer' }).expect(200);
    expect(me.body.email).toBe(ADMIN.email);
  });

  it('hashes passwords at 19 MiB, 2 passes, 1 lane, and re-makes an older hash at the next successful login', async () => {
    const user = await createUser(api.http, adminToken, { roles: ['editor'] });
    const client = await sql();
    try {
      const stored = async () =>
        (
          await client.query<{ h: string; u: Date }>(
            'SELECT password_hash AS h, updated_at AS u FROM users WHERE id = $1',
            [user.id],
          )
        ).rows[0];
      expect((await stored()).h).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      // An account from before: the library's default settings.
      const old = await argon2.hash(user.password, { type: argon2.argon2id });
      expect(old).toMatch(/\$m=65536,p=4,t=3\$/);
      await client.query('UPDATE users SET password_hash = $2 WHERE id = $1', [user.id, old]);
      const before = await stored();

      await login(api.http, user.email, user.password);
      const after = await stored();
      expect(after.h).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      expect(await argon2.verify(after.h, user.password)).toBe(true);
      expect(after.u.getTime()).toBe(before.u.getTime());
      await login(api.http, user.email, user.password);
      expect((await stored()).h).toBe(after.h);

      const { rows } = await client.query<{ data: Record<string, unknown> }>(
        `SELECT data FROM audit_log WHERE action = 'auth.login' AND entity_id = $1 ORDER BY seq`,
        [user.id],
      );
      expect(rows.map((r) => r.data.passwordRehashed ?? false)).toEqual([true, false]);
    } finally {
      await client.end();
    }
  });

  it('accepts the email in any case and with spaces around it', async () => {
    await request(api.http)
      .post('/auth/login')
      .set('x-forwarded-for', freshAddress())
      .send({ email: `  ${ADMIN.email.toUpperCase()} `, password: ADMIN.password })
      .expect(200);
  });

  it('answers a wrong password and an unknown email alike with 401 unauthenticated', async () => {
    const wrong = await request(api.http)
      .post('/auth/login')
      .set('x-forwarded-for', freshAddress())
      .send({ email: ADMIN.email, password: 'not-the-password' })
      .expect(401);
    const unknown = await request(api.http)
      .post('/auth/login')
      .set('x-forwarded-for', freshAddress())
      .send({ email: 'nobody@imprimatur.test', password: 'whatever-it-is' })
      .expect(401);
    expect(wrong.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'unauthenticated',
      message: 'Email or password is wrong',
    });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('refuses a deactivated user at login and rejects their earlier token on the next request', async () => {
    const editor = await createUser(api.http, adminToken, { roles: ['editor'] });
    const token = await editor.token();
    await request(api.http).get('/me').auth(token, { type: 'bearer' }).expect(200);

    await request(api.http)
      .patch(`/users/${editor.id}`)
      .auth(adminToken, { type: 'bearer' })
      .send({ active: false })
      .expect(200);

    const rejected = await request(api.http).get('/me').auth(token, { type: 'bearer' }).expect(401);
    expect(rejected.body.code).toBe('unauthenticated');
    await request(api.http)
      .post('/auth/login')
      .set('x-forwarded-for', freshAddress())
      .send({ email: editor.email, password: editor.password })
      .expect(401);

    // Reactivation lets them log in again, but the token from before the deactivation stays dead.
    await request(api.http)
      .patch(`/users/${editor.id}`)
      .auth(adminToken, { type: 'bearer' })
      .send({ active: true })
      .expect(200);
    await request(api.http).get('/me').auth(token, { type: 'bearer' }).expect(401);
    const fresh = await editor.token();
    await request(api.http).get('/me').auth(fresh, { type: 'bearer' }).expect(200);
  });

  it('rejects missing, malformed and forged tokens with 401', async () => {
    await request(api.http).get('/me').expect(401);
    await request(api.http).get('/me').set('authorization', 'Basic abc').expect(401);
    await request(api.http).get('/me').auth('not.a.jwt', { type: 'bearer' }).expect(401);
    const [header, payload] = adminToken.split('.');
    await request(api.http).get('/me').auth(`${header}.${payload}.forgedsignature`, { type: 'bearer' }).expect(401);
  });

  it('throttles failed logins per account and address with 429 and Retry-After, even with the right password', async () => {
    const editor = await createUser(api.http, adminToken, { roles: ['editor'] });
    const attacker = freshAddress();
    for (let i = 0; i < 3; i++) {
      await request(api.http)
        .post('/auth/login')
        .set('x-forwarded-for', attacker)
        .send({ email: editor.email, password: 'wrong-password!' })
        .expect(401);
    }
    const limited = await request(api.http)
      .post('/auth/login')
      .set('x-forwarded-for', attacker)
      .send({ email: editor.email, password: editor.password })
      .expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(600);
  });

  it('does not lock the owner out from another address when one address guesses at their account', async () => {
    const editor = await createUser(api.http, adminToken, { roles: ['editor'] });
    const attacker = freshAddress();
    for (let i = 0; i < 3; i++) {
      await request(api.http)
        .post('/auth/login')
        .set('x-forwarded-for', attacker)
        .send({ email: editor.email, password: 'wrong-password!' })
        .expect(401);
    }
    // The attacker keeps hammering; refused attempts take no slot of the account's total.
    for (let i = 0; i < 5; i++) {
      await request(api.http)
        .post('/auth/login')
        .set('x-forwarded-for', attacker)
        .send({ email: editor.email, password: 'wrong-password!' })
        .expect(429);
    }
    await request(api.http)
      .post('/auth/login')
      .set('x-forwarded-for', freshAddress())
      .send({ email: editor.email, password: editor.password })
      .expect(200);
  });

  it('caps failed logins for one account across all addresses', async () => {
    const editor = await createUser(api.http, adminToken, { roles: ['editor'] });
    for (let i = 0; i < 6; i++) {
      await request(api.http)
        .post('/auth/login')
        .set('x-forwarded-for', freshAddress())
        .send({ email: editor.email, password: 'wrong-password!' })
        .expect(401);
    }
    const limited = await request(api.http)
      .post('/auth/login')
      .set('x-forwarded-for', freshAddress())
      .send({ email: editor.email, password: editor.password })
      .expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'rate_limited' });
  });

  it('lets at most the limit of 50 parallel wrong-password logins reach the password check', async () => {
    const editor = await createUser(api.http, adminToken, { roles: ['editor'] });
    const address = freshAddress();
    const before = await failedLoginsOf(editor.email);
    const statuses = await Promise.all(
      Array.from({ length: 50 }, () =>
        request(api.http)
          .post('/auth/login')
          .set('x-forwarded-for', address)
          .send({ email: editor.email, password: 'wrong-password!' })
          .then((r) => r.status),
      ),
    );
    // A 401 is an attempt whose password was checked; a 429 never reached argon2.
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(47);
    expect((await failedLoginsOf(editor.email)) - before).toBe(3);
  });

  it('serves parallel right-password logins of one account from one address without a deadlock', async () => {
    // Each success settles the counters its attempt reserved while other attempts reserve theirs: both
    // must lock the rows in one order (a soak saw 40P01 in two sign-offs by one reviewer).
    const editor = await createUser(api.http, adminToken, { roles: ['editor'] });
    const address = freshAddress();
    const statuses: number[] = [];
    for (let round = 0; round < 6; round++)
      statuses.push(
        ...(await Promise.all(
          Array.from({ length: 3 }, () =>
            request(api.http)
              .post('/auth/login')
              .set('x-forwarded-for', address)
              .send({ email: editor.email, password: editor.password })
              .then((r) => r.status),
          ),
        )),
      );
    expect(statuses).toEqual(Array.from({ length: 18 }, () => 200));
  });

  it('throttles failed logins per client address across accounts', async () => {
    const address = freshAddress();
    for (let i = 0; i < 5; i++) {
      await request(api.http)
        .post('/auth/login')
        .set('x-forwarded-for', address)
        .send({ email: `stranger${i}@imprimatur.test`, password: 'wrong-password!' })
        .expect(401);
    }
    await request(api.http).post('/auth/login').set('x-forwarded-for', address).send(ADMIN).expect(429);
    // Another address is not affected.
    await request(api.http).post('/auth/login').set('x-forwarded-for', freshAddress()).send(ADMIN).expect(200);
  });

  it('a successful login clears the counter of its account and address', async () => {
    const editor = await createUser(api.http, adminToken, { roles: ['editor'] });
    const address = freshAddress();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2; i++) {
        await request(api.http)
          .post('/auth/login')
          .set('x-forwarded-for', address)
          .send({ email: editor.email, password: 'wrong-password!' })
          .expect(401);
      }
      await request(api.http)
        .post('/auth/login')
        .set('x-forwarded-for', address)
        .send({ email: editor.email, password: editor.password })
        .expect(200);
    }
  });
});
