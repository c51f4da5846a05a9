import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { Client } from 'pg';
import request from 'supertest';
import { prepareDatabase } from '@imprimatur/database';
import { MIGRATIONS } from '@imprimatur/migrations';
import { PUBLIC_ROUTE, ROUTE_ROLES } from '../../apps/api/src/http/access';
import { ADMIN, startApi, TestApi } from '../support/app';
import { sql } from '../support/db';

describe('operations (e2e)', () => {
  let api: TestApi;
  let db: Client;

  beforeAll(async () => {
    api = await startApi();
    db = await sql();
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  it('answers /health and /health/ready without a token', async () => {
    const live = await request(api.http).get('/health').expect(200);
    expect(live.body.status).toBe('ok');
    const ready = await request(api.http).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('reports not-ready (503, contract error body) when Redis is unreachable', async () => {
    // A port nothing listens on: an outage without touching the machine's Redis.
    const broken = await startApi({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const res = await request(broken.http).get('/health/ready').expect(503);
      expect(res.body).toMatchObject({
        statusCode: 503,
        code: 'unavailable',
        details: { error: { redis: { status: 'down' } } },
      });
      await request(broken.http).get('/health').expect(200);
    } finally {
      await broken.close();
    }
  });

  it('serves a valid OpenAPI 3 document at /docs-json with every route, and Swagger UI at /docs', async () => {
    const res = await request(api.http).get('/docs-json').expect(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('Imprimatur API');
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        'POST /auth/login',
        'POST /auth/refresh',
        'POST /auth/logout',
        'GET /me',
        'GET /me/tasks',
        'GET /me/notifications',
        'POST /me/notifications/read',
        'GET /me/preferences',
        'PATCH /me/preferences',
        'POST /users',
        'GET /users',
        'GET /users/{id}',
        'PATCH /users/{id}',
        'POST /articles',
        'GET /articles',
        'GET /articles/{id}',
        'POST /articles/{id}/revisions',
        'GET /articles/{id}/revisions',
        'GET /articles/{id}/revisions/{n}',
        'POST /articles/{id}/submit',
        'PUT /articles/{id}/reviewers',
        'POST /articles/{id}/start-review',
        'POST /articles/{id}/re-review',
        'POST /articles/{id}/withdraw',
        'POST /articles/{id}/signoffs',
        'POST /articles/{id}/conflicts',
        'POST /articles/{id}/archive',
        'POST /articles/{id}/comments',
        'GET /articles/{id}/comments',
        'POST /articles/{id}/comments/{commentId}/resolve',
        'GET /articles/{id}/checks',
        'POST /articles/{id}/checks/run',
        'POST /admin/staleness-scan',
        'GET /references/lookup',
        'POST /articles/{id}/unpublish',
        'GET /articles/{id}/history',
        'GET /articles/{id}/diff',
        'GET /public/articles',
        'GET /public/feed.json',
        'GET /public/articles/{slug}',
        'GET /public/articles/{slug}/versions',
        'GET /public/articles/{slug}/versions/{version}',
        'GET /public/editorial-policy',
        'PUT /admin/editorial-policy',
        'GET /read/editorial-policy',
        'GET /read',
        'GET /read/{slug}',
        'GET /.well-known/jwks.json',
        'GET /admin/publication-keys',
        'POST /admin/publication-keys/rotate',
        'GET /audit',
        'GET /audit/verify',
        'GET /audit/export',
        'GET /audit/head',
        'GET /audit/digests/keys',
        'POST /webhooks',
        'GET /webhooks',
        'DELETE /webhooks/{id}',
        'GET /webhooks/{id}/deliveries',
        'GET /health',
        'GET /health/ready',
      ].sort(),
    );
    expect(doc.components.schemas.ErrorBody.required).toEqual(
      expect.arrayContaining(['statusCode', 'error', 'code', 'message']),
    );
    expect(doc.paths['/users'].post.responses['409'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ErrorBody',
    );
    expect(doc.paths['/users'].post.security).toEqual([{ bearer: [] }]);
    const ui = await request(api.http).get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('declares an access policy on every route (deny by default)', () => {
    const modules = api.app.get(ModulesContainer);
    const scanner = new MetadataScanner();
    const reflector = api.app.get(Reflector);
    const undeclared: string[] = [];
    let handlers = 0;
    const controllers = [...modules.values()].flatMap((m) => [...m.controllers.values()]);
    for (const wrapper of controllers) {
      const instance = wrapper.instance;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const name of scanner.getAllMethodNames(proto)) {
        const handler = (proto as Record<string, () => unknown>)[name];
        if (!Reflect.getMetadata('method', handler) && Reflect.getMetadata('path', handler) === undefined) continue;
        handlers++;
        const targets = [handler, wrapper.metatype as () => unknown];
        const open = reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets);
        const roles = reflector.getAllAndOverride<string[]>(ROUTE_ROLES, targets);
        if (!open && !roles?.length) undeclared.push(`${wrapper.name}.${name}`);
      }
    }
    expect(handlers).toBeGreaterThanOrEqual(8);
    expect(undeclared).toEqual([]);
  });

  it('never lets a stack trace or internal message reach a client', async () => {
    const res = await request(api.http).get('/users/00000000-0000-4000-8000-000000000000').expect(401);
    expect(res.text).not.toMatch(/\.ts:\d+|\.js:\d+|node_modules/);
  });

  it('starts again on the same database without re-running migrations or duplicating the admin', async () => {
    expect(await prepareDatabase(process.env.DATABASE_URL ?? '')).toEqual([]);
    const second = await startApi();
    await second.close();
    const admins = await db.query('SELECT count(*)::int AS n FROM users WHERE email = $1', [ADMIN.email]);
    expect(admins.rows[0].n).toBe(1);
    const bootstraps = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE data->>'bootstrap' = 'true'`);
    expect(bootstraps.rows[0].n).toBe(1);
    const migrations = await db.query('SELECT count(*)::int AS n FROM migrations');
    expect(migrations.rows[0].n).toBe(MIGRATIONS.length);
  });

  it('echoes a sane x-request-id and makes one up otherwise', async () => {
    const given = await request(api.http).get('/health').set('x-request-id', 'trace-abc.123').expect(200);
    expect(given.headers['x-request-id']).toBe('trace-abc.123');
    const made = await request(api.http).get('/health').set('x-request-id', 'bad id with spaces').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('applies RATE_LIMIT_PER_MINUTE per client address when set', async () => {
    const limited = await startApi({ RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await request(limited.http).get('/me').set('x-forwarded-for', '198.19.1.1')).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      await request(limited.http).get('/me').set('x-forwarded-for', '198.19.1.2').expect(401);
      await request(limited.http).post('/auth/login').set('x-forwarded-for', '198.19.1.3').send(ADMIN).expect(200);
    } finally {
      await limited.close();
    }
  });
});
