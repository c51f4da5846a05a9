import { Client } from 'pg';
import request from 'supertest';
import { renderArticleHtml } from '@imprimatur/domain/rendering/server';
import { formatPolicy, READER_POLICY } from '../../apps/api/src/http/security-headers';
import { startApi, TestApi } from '../support/app';
import { auth, Cast, cast, sampleContent } from '../support/articles';
import { verifyStoredChain } from '../support/db';
import { isolatedEnvironment } from '../support/isolated';

/**
 * Contract §14, the editorial policy: written by an admin, audited, shown to readers. A database of
 * its own, so that the default policy is there to see before this file changes it.
 */
describe('the editorial policy (e2e)', () => {
  let api: TestApi;
  let db: Client;
  let c: Cast;

  beforeAll(async () => {
    const env = await isolatedEnvironment('policy');
    api = await startApi(env);
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    c = await cast(api.http, 2);
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  const put = (body: unknown, token: string | null = c.admin) => {
    const call = request(api.http).put('/admin/editorial-policy');
    return (token ? call.set(auth(token)) : call).send(body as object);
  };

  const POLICY = [
    '## How we review',
    '',
    'Two members of the Medical Advisory Board approve every article [1].',
    '',
    '<script>alert("x")</script><a href="javascript:alert(1)">trap</a>',
  ].join('\n');

  it('has a default policy before an admin writes one, served with a validator', async () => {
    const res = await request(api.http).get('/public/editorial-policy').expect(200);
    expect(res.body).toEqual({ body: expect.any(String), bodyHtml: expect.any(String), updatedAt: expect.any(String) });
    expect(res.body.body).toContain('Medical Advisory Board');
    expect(res.body.bodyHtml).toContain('<h2 id="how-an-article-is-reviewed">How an article is reviewed</h2>');
    expect(res.body.bodyHtml).toBe(renderArticleHtml(res.body.body, { referenceCount: 0 }));
    expect(Number.isNaN(Date.parse(res.body.updatedAt))).toBe(false);
    expect(res.headers['cache-control']).toBe('public, max-age=60, must-revalidate');
    await request(api.http).get('/public/editorial-policy').set('if-none-match', res.headers.etag).expect(304);

    const page = await request(api.http).get('/read/editorial-policy').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<h1>Editorial policy</h1>');
    expect(page.text).toContain(res.body.bodyHtml);
  });

  it('is replaced by admins only, with a body that is Markdown text', async () => {
    await put({ body: POLICY }, null).expect(401);
    await put({ body: POLICY }, c.editor.token).expect(403);
    await put({ body: POLICY }, c.reviewers[0].token).expect(403);
    for (const bad of [
      {},
      { body: '' },
      { body: ' \n\t ' },
      { body: 5 },
      { body: POLICY, extra: true },
      { body: 'x'.repeat(50_001) },
    ]) {
      const res = await put(bad).expect(400);
      expect(res.body).toMatchObject({ code: 'validation_failed' });
    }
    const unchanged = await request(api.http).get('/public/editorial-policy').expect(200);
    expect(unchanged.body.body).not.toBe(POLICY);
  });

  it('renders the policy once, with the article renderer, audits it with its text, and shows it to readers', async () => {
    const before = await request(api.http).get('/public/editorial-policy').expect(200);
    const seq = Number((await db.query('SELECT coalesce(max(seq), 0) AS s FROM audit_log')).rows[0].s);

    const res = await put({ body: POLICY }).expect(200);
    expect(res.body).toEqual({
      body: POLICY,
      bodyHtml: renderArticleHtml(POLICY, { referenceCount: 0 }),
      updatedAt: expect.any(String),
    });
    expect(res.body.bodyHtml).toContain('<h2 id="how-we-review">How we review</h2>');
    expect(res.body.bodyHtml).not.toMatch(/<script|javascript:/);
    // It cites no references: a [1] in it is text, not a link.
    expect(res.body.bodyHtml).not.toContain('href="#ref-1"');
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThan(Date.parse(before.body.updatedAt));

    const got = await request(api.http).get('/public/editorial-policy').expect(200);
    expect(got.body).toEqual(res.body);
    expect(got.headers.etag).not.toBe(before.headers.etag);
    await request(api.http).get('/public/editorial-policy').set('if-none-match', before.headers.etag).expect(200);

    const entries = await db.query<{ action: string; actor_email: string; entity_type: string; data: unknown }>(
      'SELECT action, actor_email, entity_type, data FROM audit_log WHERE seq > $1 ORDER BY seq',
      [seq],
    );
    expect(entries.rows).toEqual([
      {
        action: 'editorial_policy.updated',
        actor_email: 'admin@imprimatur.test',
        entity_type: 'editorial_policy',
        data: { body: POLICY },
      },
    ]);
    expect(await verifyStoredChain(db)).toMatchObject({ valid: true });

    const page = await request(api.http).get('/read/editorial-policy').expect(200);
    expect(page.text).toContain(res.body.bodyHtml);
    expect(page.headers['content-security-policy']).toBe(formatPolicy(READER_POLICY));
  });

  it('is linked from every reader page, and /read/editorial-policy is always the policy', async () => {
    const link = '<a href="/read/editorial-policy">View editorial policy</a>';
    expect((await request(api.http).get('/read').expect(200)).text).toContain(link);
    expect((await request(api.http).get('/read/no-such-article').expect(404)).text).toContain(link);
    expect((await request(api.http).get('/read/editorial-policy').expect(200)).text).toContain(link);

    // No article can take the page's slug: asked for, it is refused; derived from a title, it moves on.
    const asked = await request(api.http)
      .post('/articles')
      .set(auth(c.editor.token))
      .send({ ...sampleContent({ title: 'What is an editorial policy?' }), slug: 'editorial-policy' });
    expect(asked.status).toBe(400);
    const derived = await request(api.http)
      .post('/articles')
      .set(auth(c.editor.token))
      .send(sampleContent({ title: 'Editorial policy' }))
      .expect(201);
    expect(derived.body.slug).not.toBe('editorial-policy');
    const page = await request(api.http).get('/read/editorial-policy').expect(200);
    expect(page.text).toContain('<h1>Editorial policy</h1>');
  });
});
