import request from 'supertest';
import { ADMIN, createUser, login, startApi, TestApi, uniqueEmail } from '../support/app';

const ERROR_KEYS = ['code', 'error', 'message', 'statusCode'];

describe('users and role guards (e2e)', () => {
  let api: TestApi;
  let adminToken: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApi();
    adminToken = await login(api.http, ADMIN.email, ADMIN.password);
    for (const role of ['editor', 'reviewer'])
      tokens[role] = await (await createUser(api.http, adminToken, { roles: [role] })).token();
  });
  afterAll(() => api.close());

  it('creates a user (201) with the contract fields and no password or hash', async () => {
    const email = uniqueEmail('Reviewer');
    const res = await request(api.http)
      .post('/users')
      .auth(adminToken, { type: 'bearer' })
      .send({
        email: email.toUpperCase(),
        name: 'Dr Jane Roe',
        password: 'a-long-enough-password',
        roles: ['reviewer', 'editor'],
        credentials: 'MD, PhD',
        specialties: ['oncology'],
      })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: email.toLowerCase(),
      name: 'Dr Jane Roe',
      roles: ['editor', 'reviewer'],
      credentials: 'MD, PhD',
      specialties: ['oncology'],
      active: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const fetched = await request(api.http)
      .get(`/users/${res.body.id}`)
      .auth(adminToken, { type: 'bearer' })
      .expect(200);
    expect(fetched.body).toEqual(res.body);
  });

  it('refuses a duplicate email, whatever its case, with 409 duplicate', async () => {
    const user = await createUser(api.http, adminToken, { roles: ['editor'] });
    const res = await request(api.http)
      .post('/users')
      .auth(adminToken, { type: 'bearer' })
      .send({ email: user.email.toUpperCase(), name: 'Again', password: 'a-long-enough-password', roles: ['editor'] })
      .expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'duplicate' });
  });

  it('refuses unknown fields with 400 validation_failed naming them', async () => {
    const res = await request(api.http)
      .post('/users')
      .auth(adminToken, { type: 'bearer' })
      .send({
        email: uniqueEmail('x'),
        name: 'X',
        password: 'a-long-enough-password',
        roles: ['editor'],
        isAdmin: true,
      })
      .expect(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      code: 'validation_failed',
      details: { fields: { isAdmin: ['is not an allowed field'] } },
    });
  });

  it('reports every invalid field with its own messages', async () => {
    const res = await request(api.http)
      .post('/users')
      .auth(adminToken, { type: 'bearer' })
      .send({ email: 'not-an-email', name: '', password: 'short', roles: ['superuser'] })
      .expect(400);
    expect(Object.keys(res.body.details.fields).sort()).toEqual(['email', 'name', 'password', 'roles']);
    expect(res.body.details.fields.password.join(' ')).toMatch(/12/);
  });

  it('refuses a body over 1 MiB with 413 payload_too_large', async () => {
    const res = await request(api.http)
      .post('/users')
      .auth(adminToken, { type: 'bearer' })
      .set('content-type', 'application/json')
      .send(
        JSON.stringify({
          email: uniqueEmail('big'),
          name: 'x'.repeat(1024 * 1024),
          password: 'a-long-enough-password',
          roles: ['editor'],
        }),
      )
      .expect(413);
    expect(res.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      code: 'payload_too_large',
      message: expect.any(String),
    });
  });

  it('answers malformed JSON with 400 in the error format and no stack trace', async () => {
    const res = await request(api.http)
      .post('/users')
      .auth(adminToken, { type: 'bearer' })
      .set('content-type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(Object.keys(res.body).sort()).toEqual(ERROR_KEYS);
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(js|ts):\d+/);
  });

  it('answers unknown routes with 404 not_found in the error format', async () => {
    const res = await request(api.http).get('/no-such-route').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'not_found' });
  });

  it.each(['editor', 'reviewer'])('gives a %s 403 forbidden on every user-management route', async (role) => {
    const token = tokens[role];
    const someone = '00000000-0000-4000-8000-000000000000';
    const attempts = [
      request(api.http)
        .post('/users')
        .auth(token, { type: 'bearer' })
        .send({ email: uniqueEmail('x'), name: 'X', password: 'a-long-enough-password', roles: ['admin'] }),
      request(api.http).get('/users').auth(token, { type: 'bearer' }),
      request(api.http).get(`/users/${someone}`).auth(token, { type: 'bearer' }),
      request(api.http)
        .patch(`/users/${someone}`)
        .auth(token, { type: 'bearer' })
        .send({ roles: ['admin'] }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden', code: 'forbidden' });
    }
    // /me is for every role
    await request(api.http).get('/me').auth(token, { type: 'bearer' }).expect(200);
  });

  it('gives 401 on every user route without a token', async () => {
    for (const res of await Promise.all([
      request(api.http).get('/users'),
      request(api.http).post('/users').send({}),
      request(api.http).get('/me'),
    ])) {
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthenticated');
    }
  });

  it('updates only the given fields; null clears credentials', async () => {
    const user = await createUser(api.http, adminToken, { roles: ['reviewer'] });
    await request(api.http)
      .patch(`/users/${user.id}`)
      .auth(adminToken, { type: 'bearer' })
      .send({ credentials: 'MD', specialties: ['cardiology'] })
      .expect(200);
    const res = await request(api.http)
      .patch(`/users/${user.id}`)
      .auth(adminToken, { type: 'bearer' })
      .send({ name: 'Renamed', credentials: null })
      .expect(200);
    expect(res.body).toMatchObject({
      name: 'Renamed',
      credentials: null,
      specialties: ['cardiology'],
      roles: ['reviewer'],
    });
  });

  it('answers an unknown user with 404 and a malformed id with 400', async () => {
    const missing = await request(api.http)
      .get('/users/00000000-0000-4000-8000-000000000000')
      .auth(adminToken, { type: 'bearer' })
      .expect(404);
    expect(missing.body.code).toBe('not_found');
    const malformed = await request(api.http)
      .patch('/users/42')
      .auth(adminToken, { type: 'bearer' })
      .send({ name: 'x' })
      .expect(400);
    expect(malformed.body.code).toBe('validation_failed');
  });

  it('pages through users with a cursor, each user once', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await createUser(api.http, adminToken, { roles: ['editor'] })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await request(api.http)
        .get('/users')
        .query(cursor ? { limit: 2, cursor } : { limit: 2 })
        .auth(adminToken, { type: 'bearer' })
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((u: { id: string }) => u.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 500);
    expect(new Set(seen).size).toBe(seen.length);
    // Other test files add users meanwhile, so check inclusion and order rather than a total.
    expect(created.every((id) => seen.includes(id))).toBe(true);
    expect(created.map((id) => seen.indexOf(id))).toEqual(
      [...created.map((id) => seen.indexOf(id))].sort((a, b) => a - b),
    );
    expect(seen.length).toBeGreaterThanOrEqual(8);
  });

  it.each([
    ['limit=0', { limit: 0 }],
    ['limit=101', { limit: 101 }],
    ['limit=abc', { limit: 'abc' }],
    ['a malformed cursor', { cursor: 'not-a-cursor!' }],
    ['an unknown parameter', { sort: 'email' }],
  ])('refuses %s with 400 validation_failed', async (_, query) => {
    const res = await request(api.http).get('/users').query(query).auth(adminToken, { type: 'bearer' }).expect(400);
    expect(res.body.code).toBe('validation_failed');
  });
});
