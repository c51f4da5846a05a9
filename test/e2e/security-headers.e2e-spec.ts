import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startApi, TestApi } from '../support/app';

type Http = ReturnType<typeof request>;

/** Security headers on every kind of response: API JSON, errors, 404s, reader pages, /docs, /app/. */
describe('security headers (e2e)', () => {
  const root = mkdtempSync(join(tmpdir(), 'imprimatur-web-'));
  let api: TestApi;

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(
      join(root, 'index.html'),
      '<!doctype html><html><head><script type="module" src="/app/assets/main-abc123.js"></script></head><body></body></html>',
    );
    writeFileSync(join(root, 'assets', 'main-abc123.js'), 'console.log("imprimatur");\n');
    api = await startApi({ WEB_ROOT: root });
  });
  afterAll(async () => {
    await api.close();
    rmSync(root, { recursive: true, force: true });
  });

  const API_CSP = "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'";

  /** What every response carries, whatever it is. */
  const expectBaseline = (res: request.Response) => {
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': expect.stringMatching(/^(no-referrer|same-origin|strict-origin-when-cross-origin)$/),
    });
    expect(res.headers['content-security-policy']).toMatch(/(^|;)\s*frame-ancestors 'none'(;|$)/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  };

  it.each([
    ['API JSON', (h: Http) => h.get('/health'), 200],
    ['a public read', (h: Http) => h.get('/public/articles'), 200],
    ['401', (h: Http) => h.get('/me'), 401],
    ['400', (h: Http) => h.get('/public/articles?limit=0'), 400],
    ['404 of an unknown route', (h: Http) => h.get('/no-such-route'), 404],
    ['an unknown method', (h: Http) => h.delete('/health'), 404],
    ['414', (h: Http) => h.get(`/public/articles?q=${'a'.repeat(9000)}`), 414],
    ['415', (h: Http) => h.post('/auth/login').type('form').send({ a: 'b' }), 415],
    ['a malformed URL', (h: Http) => h.get('/read/%E0%A4%A'), 400],
  ])('%s: nosniff, no framing, a referrer policy and the API content security policy', async (_, send, status) => {
    const res = await send(request(api.http)).expect(status);
    expectBaseline(res);
    expect(res.headers['content-security-policy']).toBe(API_CSP);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it("adds helmet's other headers to what the API answers", async () => {
    const res = await request(api.http).get('/health').expect(200);
    expect(res.headers).toMatchObject({
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'strict-transport-security': expect.stringMatching(/^max-age=\d+/),
      'x-permitted-cross-domain-policies': 'none',
    });
  });

  it('serves the reader pages with a policy that runs no script at all', async () => {
    for (const [path, status] of [
      ['/read', 200],
      ['/read/no-such-article', 404],
    ] as const) {
      const res = await request(api.http).get(path).expect(status);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expectBaseline(res);
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("script-src 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      // The page's own <style> block is inline; nothing else may load.
      expect(csp).toContain("style-src 'unsafe-inline'");
      expect(res.text).toContain('<style>');
    }
  });

  it('keeps Swagger UI working at /docs: its own scripts, inline styles, data: images, no inline script', async () => {
    const ui = await request(api.http).get('/docs').redirects(1).expect(200);
    expectBaseline(ui);
    const csp = ui.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("img-src 'self' data:");
    // Every script of the page is a file (so script-src 'self' admits it), and each is served.
    const scripts = [...ui.text.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(inline.trim()).toBe('');
      const src = /src=["']([^"']+)["']/.exec(attributes)?.[1] ?? '';
      const file = await request(api.http).get(new URL(src, 'http://x/docs').pathname).expect(200);
      expect(file.headers['x-content-type-options']).toBe('nosniff');
    }
    await request(api.http).get('/docs-json').expect(200).expect('x-content-type-options', 'nosniff');
  });

  it('leaves the web app its own policy at /app/ and adds the rest', async () => {
    const app = await request(api.http).get('/app/').expect(200);
    expectBaseline(app);
    expect(app.headers['content-security-policy']).toContain("script-src 'self'");
    expect(app.headers['content-security-policy']).toContain("connect-src 'self'");
    const asset = await request(api.http).get('/app/assets/main-abc123.js').expect(200);
    expectBaseline(asset);
    const missing = await request(api.http).get('/app/assets/gone-000000.js').expect(404);
    expectBaseline(missing);
  });
});
