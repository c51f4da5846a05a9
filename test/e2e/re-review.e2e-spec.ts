import { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { ReviewDueScanService } from '@imprimatur/checks';
import { startApi, startWorker, TestApi } from '../support/app';
import { auth, Cast, cast, createArticle, sampleContent, signoff } from '../support/articles';
import { isolatedEnvironment } from '../support/isolated';
import { waitFor } from '../support/redis-server';
import { collectJson, LocalWeb } from '../support/web';

const today = () => new Date().toISOString().slice(0, 10);
const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('periodic re-review of live articles (e2e)', () => {
  const web = new LocalWeb('127.0.0.1');
  const published: { type: string; data: Record<string, unknown> }[] = [];
  let env: Record<string, string>;
  let api: TestApi;
  let worker: INestApplicationContext;
  let db: Client;
  let c: Cast;

  beforeAll(async () => {
    await web
      .routePrefix('/ref/', (_req, res) => res.writeHead(200).end())
      .route('/hook', collectJson(published))
      .start();
    env = {
      ...(await isolatedEnvironment('rereview')),
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      LINK_CHECK_HOST_SPACING_MS: '0',
      REQUIRED_SIGNOFFS: '2',
      SIGNOFF_REAUTH: 'false',
      AUTO_RE_REVIEW: 'true',
      REVIEW_INTERVAL_DAYS: '365',
    };
    api = await startApi(env);
    worker = await startWorker(env);
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    c = await cast(api.http, 2);
    await request(api.http)
      .post('/webhooks')
      .set(auth(c.admin))
      .send({ url: web.url('/hook'), events: ['article.published'] })
      .expect(201);
  });

  afterAll(async () => {
    await db?.end();
    await worker?.close();
    await api?.close();
    await web.stop();
  });

  const http = () => request(api.http);
  const view = async (id: string) =>
    (await http().get(`/articles/${id}`).set(auth(c.admin)).expect(200)).body as {
      state: string;
      publishedVersion: number | null;
      reviewDue: boolean;
      lastUpdated: string | null;
      lastReviewed: string | null;
      nextReviewDue: string | null;
      signoffs: unknown[];
      checks: Record<string, string>;
    };

  async function bothApprove(id: string, revision: number) {
    await waitFor(async () => (await view(id)).checks.links === 'passed', 20_000, 'links');
    await signoff(c, id, 0, { decision: 'approve', revision }).expect(201);
    await signoff(c, id, 1, { decision: 'approve', revision }).expect(201);
  }

  /** A live article (version 1) whose review dates are set as if it had been reviewed long ago. */
  async function liveSinceLongAgo() {
    const references = [
      {
        type: 'guideline',
        title: 'Sarcoma guideline',
        source: 'Annals of Oncology',
        year: 2021,
        url: web.url('/ref/g'),
      },
      { type: 'research', title: 'Doxorubicin trial', source: 'Lancet Oncology', year: 2022, url: web.url('/ref/r') },
      { type: 'research', title: 'Trabectedin study', source: 'Lancet Oncology', year: 2022, url: web.url('/ref/t') },
    ];
    const article = await createArticle(c, sampleContent({ references }));
    await http()
      .put(`/articles/${article.id}/reviewers`)
      .set(auth(c.admin))
      .send({ reviewerIds: c.reviewers.map((r) => r.id) })
      .expect(200);
    await http().post(`/articles/${article.id}/submit`).set(auth(c.editor.token)).send({}).expect(200);
    await http().post(`/articles/${article.id}/start-review`).set(auth(c.reviewers[0].token)).expect(200);
    await bothApprove(article.id, 1);
    await waitFor(async () => (await view(article.id)).publishedVersion === 1, 20_000, 'version 1');
    await db.query(`UPDATE articles SET last_reviewed = '2025-01-10', next_review_due = '2026-01-10' WHERE id = $1`, [
      article.id,
    ]);
    return article;
  }

  it('reopens the live revision for review and publishes the same content with new review dates', async () => {
    const article = await liveSinceLongAgo();
    const v1 = (await http().get(`/public/articles/${article.slug}`).expect(200)).body as Record<string, unknown>;

    // Only admins open a re-review, and only of a live, approved revision.
    await http().post(`/articles/${article.id}/re-review`).set(auth(c.editor.token)).expect(403);
    const opened = await http().post(`/articles/${article.id}/re-review`).set(auth(c.admin)).expect(200);
    expect(opened.body).toMatchObject({ state: 'under_review', currentRevision: 1, signoffs: [] });
    expect((await http().post(`/articles/${article.id}/re-review`).set(auth(c.admin)).expect(409)).body.code).toBe(
      'invalid_transition',
    );
    const dismissed = await http()
      .get('/audit')
      .query({ articleId: article.id, action: 'signoff.dismissed' })
      .set(auth(c.admin))
      .expect(200);
    expect(dismissed.body.items.map((e: { data: { reason: string } }) => e.data.reason)).toEqual([
      're_review',
      're_review',
    ]);
    // The reviewers see it as a re-review in their tasks, and were told.
    const tasks = (await http().get('/me/tasks').set(auth(c.reviewers[1].token)).expect(200)).body.items as {
      kind: string;
      articleId: string;
    }[];
    expect(tasks.find((t) => t.articleId === article.id)?.kind).toBe('re_review');
    const told = (await http().get('/me/notifications').set(auth(c.reviewers[1].token)).expect(200)).body.items as {
      kind: string;
      articleId: string;
    }[];
    expect(told.some((n) => n.articleId === article.id && n.kind === 'article.review_due')).toBe(true);
    // Readers still get version 1 meanwhile.
    expect((await http().get(`/public/articles/${article.slug}`).expect(200)).body.version).toBe(1);

    await bothApprove(article.id, 1);
    await waitFor(async () => (await view(article.id)).publishedVersion === 2, 20_000, 'version 2');
    const after = await view(article.id);
    expect(after).toMatchObject({
      state: 'approved',
      reviewDue: false,
      lastReviewed: today(),
      nextReviewDue: addDays(today(), 365),
      lastUpdated: v1.lastUpdated,
    });
    const v2 = (await http().get(`/public/articles/${article.slug}`).expect(200)).body as Record<string, unknown>;
    expect(v2).toMatchObject({
      version: 2,
      revision: 1,
      contentHash: v1.contentHash,
      lastUpdated: v1.lastUpdated,
      lastReviewed: today(),
      significance: 'editorial',
    });
    const hook = await waitFor(
      async () => published.find((e) => e.data.articleId === article.id && e.data.version === 2),
      20_000,
      'the article.published webhook of version 2',
    );
    expect(hook.data).toMatchObject({ revision: 1, reReview: true, significance: 'editorial' });
  });

  it('opens the re-review itself at the review-due scan (AUTO_RE_REVIEW)', async () => {
    const article = await liveSinceLongAgo();
    await worker.get(ReviewDueScanService).scan(new Date());
    const seen = await view(article.id);
    expect(seen).toMatchObject({ state: 'under_review', reviewDue: true, signoffs: [] });
    const opened = await http()
      .get('/audit')
      .query({ articleId: article.id, action: 'article.re_review_opened' })
      .set(auth(c.admin))
      .expect(200);
    expect(opened.body.items).toHaveLength(1);
    expect(opened.body.items[0]).toMatchObject({ actor: null, data: { trigger: 'review_due_scan', revision: 1 } });
  });
});
