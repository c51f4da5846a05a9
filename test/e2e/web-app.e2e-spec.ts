import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startApi, TestApi } from '../support/app';

/** The web app's build as the API serves it (contract §11), from a small fixture instead of a real `vite build`. */
describe('web app at /app/ (e2e)', () => {
  const root = mkdtempSync(join(tmpdir(), 'imprimatur-web-'));
  const INDEX =
    '<!doctype html><html><head><script type="module" src="/app/assets/main-abc123.js"></script></head><body><div id="root"></div></body></html>';
  let api: TestApi;

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), INDEX);
    writeFileSync(join(root, 'assets', 'main-abc123.js'), 'console.log("imprimatur");\n');
    writeFileSync(join(root, 'assets', 'main-abc123.css'), 'body { margin: 0 }\n');
    api = await startApi({ WEB_ROOT: root });
  });
  afterAll(async () => {
    await api.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at /app/ with a content security policy, not cached', async () => {
    const res = await request(api.http).get('/app/').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toBe(INDEX);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers every screen URL (deep links, reloads) with index.html', async () => {
    for (const path of ['/app/articles/123', '/app/articles/123/edit?x=1', '/app/admin/audit', '/app/sign-in']) {
      const res = await request(api.http).get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toBe(INDEX);
    }
  });

  it('redirects /app to /app/', async () => {
    const res = await request(api.http).get('/app').expect(301);
    expect(res.headers.location).toBe('/app/');
  });

  it('serves built assets with their content type and long-lived caching', async () => {
    const js = await request(api.http).get('/app/assets/main-abc123.js').expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.text).toContain('imprimatur');
    expect(js.headers['cache-control']).toMatch(/immutable/);
    const css = await request(api.http).get('/app/assets/main-abc123.css').expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it('answers a missing file with 404, not with the app', async () => {
    await request(api.http).get('/app/assets/gone-000000.js').expect(404);
    const res = await request(api.http).get('/app/favicon.ico').expect(404);
    expect(res.text).not.toContain('<div id="root">');
  });

  it('leaves the API as it was: routes, auth, errors and the OpenAPI document', async () => {
    const health = await request(api.http).get('/health').expect(200);
    expect(health.headers['content-type']).toMatch(/^application\/json/);
    const unauthorised = await request(api.http).get('/articles').expect(401);
    expect(unauthorised.body).toMatchObject({ statusCode: 401, code: 'unauthenticated' });
    const missing = await request(api.http).get('/no-such-route').expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404, code: 'not_found' });
    const doc = await request(api.http).get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths).filter((path) => path.startsWith('/app'))).toEqual([]);
  });

  it('says to build the app when there is no build', async () => {
    const bare = await startApi({ WEB_ROOT: join(root, 'not-built') });
    try {
      const res = await request(bare.http).get('/app/desk').expect(503);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });
});
