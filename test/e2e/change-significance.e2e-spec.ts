import { Client } from 'pg';
import request from 'supertest';
import type { JobPayloads } from '@imprimatur/queue';
import { publishAsWorker, startApi, TestApi } from '../support/app';
import { auth, Cast, cast, sampleContent, setWorkerChecks, signoff, underReview } from '../support/articles';
import { isolatedEnvironment } from '../support/isolated';

/**
 * Contract §15 and §14: an editorial fix of a live article needs EDITORIAL_SIGNOFFS approvals and keeps
 * the review dates; a clinical change needs the whole quorum; readers see every version's significance.
 * A database of its own, with no worker: the approvals are published as the worker would.
 */
describe('change significance (e2e)', () => {
  let api: TestApi;
  let db: Client;
  let c: Cast;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    const env = await isolatedEnvironment('significance');
    api = await startApi({ ...env, REQUIRED_SIGNOFFS: '2', EDITORIAL_SIGNOFFS: '1' });
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    c = await cast(api.http, 2);
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  const publishLatestApproval = async (articleId: string) => {
    const { rows } = await db.query<{ payload: JobPayloads['article.approved'] }>(
      `SELECT payload FROM outbox WHERE name = 'article.approved' AND payload->>'articleId' = $1 ORDER BY id DESC LIMIT 1`,
      [articleId],
    );
    await expect(publishAsWorker(api, rows[0].payload)).resolves.toMatchObject({ published: true });
  };
  const revise = async (articleId: string, base: number, body: string, changeNote: string) => {
    const content = sampleContent({ body, changeNote });
    const res = await request(api.http)
      .post(`/articles/${articleId}/revisions`)
      .set(auth(c.editor.token))
      .send({ ...content, title: fixedTitle, baseRevision: base })
      .expect(201);
    await request(api.http).post(`/articles/${articleId}/submit`).set(auth(c.editor.token)).send({}).expect(200);
    await request(api.http).post(`/articles/${articleId}/start-review`).set(auth(c.reviewers[0].token)).expect(200);
    await setWorkerChecks(articleId, 'passed', db);
    return res.body as { number: number; changeClass: string | null; changes: { kind: string }[] };
  };
  let fixedTitle = '';

  it('publishes an editorial fix with one approval, keeping the review dates; a clinical change needs the board', async () => {
    const original = sampleContent();
    fixedTitle = original.title;
    const article = await underReview(c, { title: fixedTitle, body: original.body });
    await setWorkerChecks(article.id, 'passed', db);
    await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    await signoff(c, article.id, 1, { decision: 'approve', revision: 1 }).expect(201);
    await publishLatestApproval(article.id);
    // As if the board had last reviewed it in January: an editorial fix must not move these.
    await db.query(`UPDATE articles SET last_reviewed = '2026-01-15', next_review_due = '2027-01-15' WHERE id = $1`, [
      article.id,
    ]);

    // A spelling fix: editorial against the live revision.
    const editorial = await revise(
      article.id,
      1,
      original.body.replace('localised leiomyosarcoma', 'localized leiomyosarcoma'),
      'Spelling.',
    );
    expect(editorial).toMatchObject({ number: 2, changeClass: 'editorial' });
    const view = await request(api.http).get(`/articles/${article.id}`).set(auth(c.admin)).expect(200);
    expect(view.body).toMatchObject({ changeClass: 'editorial', currentRevision: 2 });
    const one = await signoff(c, article.id, 0, { decision: 'approve', revision: 2 }).expect(201);
    expect(one.body.article.state).toBe('approved');
    await publishLatestApproval(article.id);

    const live = await request(api.http).get(`/public/articles/${article.slug}`).expect(200);
    expect(live.body).toMatchObject({
      version: 2,
      significance: 'editorial',
      changeSummary: 'Spelling.',
      lastReviewed: '2026-01-15',
      nextReviewDue: '2027-01-15',
      lastUpdated: today,
    });

    // A drug changed: clinical, so one approval is not enough.
    const clinical = await revise(
      article.id,
      2,
      original.body
        .replace('localised leiomyosarcoma', 'localized leiomyosarcoma')
        .replace('Doxorubicin-based', 'Ifosfamide-based'),
      'First-line drug changed.',
    );
    expect(clinical.changeClass).toBe('clinical');
    expect(clinical.changes.map((ch) => ch.kind)).toContain('drug');
    const held = await signoff(c, article.id, 0, { decision: 'approve', revision: 3 }).expect(201);
    expect(held.body.article.state).toBe('under_review');
    const live2 = await request(api.http).get(`/public/articles/${article.slug}`).expect(200);
    expect(live2.body).toMatchObject({ version: 2, updateInReview: true });

    const versions = await request(api.http).get(`/public/articles/${article.slug}/versions`).expect(200);
    expect(
      versions.body.items.map((v: { version: number; significance: string; changeSummary: string | null }) => [
        v.version,
        v.significance,
        v.changeSummary,
      ]),
    ).toEqual([
      [1, 'clinical', 'first draft'],
      [2, 'editorial', 'Spelling.'],
    ]);
    const feed = await request(api.http).get('/public/feed.json').expect(200);
    const item = feed.body.items.find((i: { url: string }) => i.url.endsWith(`/read/${article.slug}`));
    expect(item._imprimatur).toEqual({ significance: 'editorial', changeSummary: 'Spelling.' });
    const events = await db.query<{ payload: { significance: string } }>(
      `SELECT payload FROM outbox WHERE name = 'article.published' AND payload->>'articleId' = $1 ORDER BY id`,
      [article.id],
    );
    expect(events.rows.map((r) => r.payload.significance)).toEqual(['clinical', 'editorial']);

    const page = await request(api.http).get(`/read/${article.slug}`).expect(200);
    const changes = page.text.slice(page.text.indexOf('Changes to this article'));
    expect(changes).toContain('Editorial update');
    expect(changes).toContain('Spelling.');
    expect(changes).toContain('Clinical update');
    expect(changes.indexOf('Editorial update')).toBeLessThan(changes.indexOf('Clinical update'));
  });
});
