import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import type { JobPayloads } from '@imprimatur/queue';
import { FAVICON_PATH } from '../../apps/api/src/reader/templates';
import { publishAsWorker, startApi, TestApi } from '../support/app';
import { approvedByBoard, Cast, cast, setWorkerChecks, underReview } from '../support/articles';
import { isolatedEnvironment } from '../support/isolated';

const WEB = resolve(__dirname, '..', '..', 'apps', 'web');

/**
 * Issue #19's small fixes to the reader pages: the index's summaries without citation markers (the
 * article's page keeps them as links), a citation that lands on a highlighted reference, and a favicon
 * that the reader pages' policy lets load.
 */
describe('reader pages: summaries, citation targets, favicon (e2e)', () => {
  // The web app's build as the API serves it, with the favicon where `vite build` copies public/ to.
  const webRoot = mkdtempSync(join(tmpdir(), 'imprimatur-web-'));
  let api: TestApi;
  let db: Client;
  let c: Cast;
  let slug: string;

  const SUMMARY = 'Statins lower **LDL cholesterol** in people over sixty [1, 3]; the benefit holds for a decade [2].';

  beforeAll(async () => {
    mkdirSync(join(webRoot, 'assets'));
    const icon = FAVICON_PATH.replace(/^\/app\//, '');
    copyFileSync(join(WEB, 'public', icon), join(webRoot, icon));
    const env = await isolatedEnvironment('reader_polish');
    api = await startApi({ ...env, WEB_ROOT: webRoot });
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    c = await cast(api.http, 2);
    const article = await underReview(c, { summary: SUMMARY });
    await setWorkerChecks(article.id, 'passed', db);
    await approvedByBoard(c, article.id);
    const { rows } = await db.query<{ payload: JobPayloads['article.approved'] }>(
      `SELECT payload FROM outbox WHERE name = 'article.approved' AND payload->>'articleId' = $1 ORDER BY id DESC LIMIT 1`,
      [article.id],
    );
    await expect(publishAsWorker(api, rows[0].payload)).resolves.toMatchObject({ published: true });
    slug = article.slug;
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  /** The index entry of the article: from its link to the end of its list item. */
  const indexEntry = (html: string) => {
    const start = html.indexOf(`<a href="/read/${slug}">`);
    expect(start).toBeGreaterThan(-1);
    return html.slice(start, html.indexOf('</li>', start));
  };

  it('shows summaries in the index as text, without markers or Markdown, on every request', async () => {
    for (let i = 0; i < 2; i++) {
      const entry = indexEntry((await request(api.http).get('/read').expect(200)).text);
      expect(entry).toContain(
        '<p>Statins lower LDL cholesterol in people over sixty; the benefit holds for a decade.</p>',
      );
      expect(entry).not.toMatch(/\[\d/);
      expect(entry).not.toContain('**');
    }
  });

  it("keeps the article page's markers as links to its references, and the meta description plain", async () => {
    const html = (await request(api.http).get(`/read/${slug}`).expect(200)).text;
    const summary = /<div class="summary">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    expect(summary).toContain('<a href="#ref-1">1</a>');
    expect(summary).toContain('<a href="#ref-3">3</a>');
    expect(summary).toContain('<a href="#ref-2">2</a>');
    expect(html).toContain(
      '<meta name="description" content="Statins lower LDL cholesterol in people over sixty; the benefit holds for a decade.">',
    );
  });

  it('gives every citation a reference to land on, highlighted with an outline where it lands', async () => {
    const html = (await request(api.http).get(`/read/${slug}`).expect(200)).text;
    const targets = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    const cited = targets.filter((t) => t.startsWith('ref-'));
    expect(new Set(cited)).toEqual(new Set(['ref-1', 'ref-2', 'ref-3']));
    // Every in-page link (citations, the skip link) has its element, once.
    for (const id of new Set(targets)) expect(html.split(`id="${id}"`)).toHaveLength(2);
    for (const id of cited) expect(html).toMatch(new RegExp(`<ol class="references">[\\s\\S]*<li id="${id}">`));
    // The reference jumped to is marked by more than colour: an outline in the brand colour (7:1 on white).
    const rule = /ol\.references li:target \{([^}]*)\}/.exec(html)?.[1] ?? '';
    expect(rule).toMatch(/outline: 3px solid var\(--brand\)/);
    expect(rule).toMatch(/background: var\(--target-bg\)/);
    expect(html).toMatch(/--brand: #0b5c8c;/);
  });

  it('links a favicon that the page may load and the server serves', async () => {
    for (const path of ['/read', `/read/${slug}`, '/read/no-such-article']) {
      const res = await request(api.http).get(path);
      expect(res.text).toContain(`<link rel="icon" type="image/svg+xml" href="${FAVICON_PATH}">`);
      // Same origin: the reader policy's img-src 'self' admits it (and admits no data: URL).
      expect(res.headers['content-security-policy']).toMatch(/(^|;)img-src 'self'(;|$)/);
    }
    const icon = await request(api.http).get(FAVICON_PATH).expect(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(String(icon.body)).toContain('<svg');
    // The web app links the same file: /app/ is Vite's base, public/ is copied to the build's root.
    expect(readFileSync(join(WEB, 'index.html'), 'utf8')).toContain(`href="${FAVICON_PATH.slice(4)}"`);
  });
});
