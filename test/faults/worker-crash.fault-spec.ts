import type { IncomingMessage, ServerResponse } from 'node:http';
import { Client } from 'pg';
import request from 'supertest';
import { startApi, TestApi } from '../support/app';
import { auth, Cast, cast, createArticle, signoff } from '../support/articles';
import { isolatedEnvironment } from '../support/isolated';
import { freePort, PrivateRedis, waitFor } from '../support/redis-server';
import { after, collectJson, LocalWeb } from '../support/web';
import { AppProcess } from './support/processes';

/**
 * Issue #20: a worker SIGKILLed while ten articles' link checks are in flight. Another worker must
 * publish all ten, each exactly once, within 60 s: bounded by BullMQ's stalled-job detection (made
 * short here, as an operator may) and not by the result cache's single-flight locks, which the dead
 * worker held for every link it was fetching and which used to live
 * (LINK_CHECK_TIMEOUT_MS + LINK_CHECK_MAX_RETRY_AFTER_MS) × 3 + 5 s — 200 s with the settings below.
 */
const ARTICLES = 10;
/** How long each link takes to answer: long enough for the kill to land mid-request. */
const ANSWER_MS = 3_000;
const RECOVERY_BUDGET_MS = 60_000;

const ref = (url: string, title: string) => ({ type: 'research', title, source: 'Local web', year: 2024, url });

describe('a worker killed mid-check (fault)', () => {
  const web = new LocalWeb('127.0.0.1');
  let redis: PrivateRedis;
  let env: Record<string, string>;
  let api: TestApi;
  let db: Client;
  let c: Cast;
  const workers: AppProcess[] = [];
  const hooks: { type: string; data: { articleId: string } }[] = [];

  beforeAll(async () => {
    const slow = async (_req: IncomingMessage, res: ServerResponse) => {
      await after(ANSWER_MS);
      res.writeHead(200).end();
    };
    // One URL every article cites (shared through the result cache) and one of each article's own.
    web.route('/shared', slow);
    for (let i = 0; i < ARTICLES; i++) web.route(`/own/${i}`, slow);
    web.route('/hook', collectJson(hooks));
    await web.start();
    redis = new PrivateRedis(await freePort());
    await redis.start();
    env = {
      ...(await isolatedEnvironment('crash')),
      REDIS_URL: redis.url,
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      LINK_CHECK_TIMEOUT_MS: '5000',
      LINK_CHECK_RETRIES: '2',
      LINK_CHECK_MAX_RETRY_AFTER_MS: '60000',
      LINK_CHECK_HOST_CONCURRENCY: '32',
      LINK_CHECK_HOST_SPACING_MS: '0',
      REQUIRED_SIGNOFFS: '2',
      // A dead worker's jobs run elsewhere within about lock + interval (BullMQ's defaults: 30 s + 30 s).
      WORKER_LOCK_DURATION_MS: '4000',
      WORKER_STALLED_INTERVAL_MS: '2000',
    };
    api = await startApi(env);
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
    await Promise.all(workers.map((w) => w.stop()));
    await db?.end();
    await api?.close();
    await web.stop();
    await redis?.stop();
  });

  /** Signed off by the whole board before any worker runs: only the links check stands between it and publication. */
  async function signedOff(i: number) {
    const article = await createArticle(c, {
      references: [ref(web.url('/shared'), 'Shared'), ref(web.url(`/own/${i}`), `Own ${i}`)],
      body: 'One [1]. Two [2].',
      summary: null,
    });
    await request(api.http)
      .put(`/articles/${article.id}/reviewers`)
      .set(auth(c.admin))
      .send({ reviewerIds: c.reviewers.map((r) => r.id) })
      .expect(200);
    await request(api.http).post(`/articles/${article.id}/submit`).set(auth(c.editor.token)).send({}).expect(200);
    await request(api.http).post(`/articles/${article.id}/start-review`).set(auth(c.reviewers[0].token)).expect(200);
    await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    const last = await signoff(c, article.id, 1, { decision: 'approve', revision: 1 }).expect(201);
    expect(last.body.article).toMatchObject({ state: 'under_review', checks: { links: 'pending' } });
    return article.id;
  }

  const publishedCount = async (ids: string[]) =>
    (
      await db.query<{ n: number }>(
        'SELECT count(DISTINCT article_id)::int AS n FROM published_versions WHERE article_id = ANY($1::uuid[])',
        [ids],
      )
    ).rows[0].n;

  it('lets another worker publish all ten, each exactly once, within 60 s', async () => {
    const ids: string[] = [];
    for (let i = 0; i < ARTICLES; i++) ids.push(await signedOff(i));

    const first = AppProcess.start('worker 1', 'worker', env);
    workers.push(first);
    await first.waitForLog((e) => e.msg === 'worker started', 60_000, 'worker started');
    // Mid-check: the shared link and several articles' own links are being fetched right now.
    const own = () =>
      Array.from({ length: ARTICLES }, (_, i) => web.count('HEAD', `/own/${i}`)).reduce((a, b) => a + b, 0);
    await waitFor(
      async () => web.count('HEAD', '/shared') === 1 && own() >= 3 && web.inFlight >= 4,
      60_000,
      'link checks in flight',
    );
    expect(await publishedCount(ids)).toBe(0);
    const inFlight = web.inFlight;
    const killedAt = first.signal('SIGKILL');
    expect((await first.exit(5_000)).signal).toBe('SIGKILL');

    const second = AppProcess.start('worker 2', 'worker', env);
    workers.push(second);
    await second.waitForLog((e) => e.msg === 'worker started', 60_000, 'worker started');
    const secondReadyMs = Date.now() - killedAt;
    await waitFor(
      async () => (await publishedCount(ids)) === ARTICLES,
      Math.max(RECOVERY_BUDGET_MS - (Date.now() - killedAt), 1_000),
      `all ${ARTICLES} articles published`,
    );
    const recoveryMs = Date.now() - killedAt;
    console.log(
      `[fault] worker SIGKILLed with ${inFlight} link requests in flight; ${ARTICLES}/${ARTICLES} published ${(recoveryMs / 1000).toFixed(1)} s after the kill ` +
        `(second worker ready after ${(secondReadyMs / 1000).toFixed(1)} s; budget ${RECOVERY_BUDGET_MS / 1000} s)`,
    );
    expect(recoveryMs).toBeLessThan(RECOVERY_BUDGET_MS);

    // Give a late duplicate (a re-run of a job the dead worker had finished) the time to show.
    await after(3_000);
    const versions = await db.query<{ article_id: string; n: number }>(
      'SELECT article_id, count(*)::int AS n FROM published_versions WHERE article_id = ANY($1::uuid[]) GROUP BY article_id',
      [ids],
    );
    expect(versions.rows).toHaveLength(ARTICLES);
    expect(versions.rows.every((r) => r.n === 1)).toBe(true);
    const checks = await db.query<{ status: string }>(
      `SELECT status FROM check_results WHERE "check" = 'links' AND article_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(checks.rows.map((r) => r.status)).toEqual(Array.from({ length: ARTICLES }, () => 'passed'));
    const states = await db.query<{ state: string; published_version: number }>(
      'SELECT state, published_version FROM articles WHERE id = ANY($1::uuid[])',
      [ids],
    );
    // 'approved' is the last workflow state; publication shows as the published version.
    expect(states.rows).toEqual(Array.from({ length: ARTICLES }, () => ({ state: 'approved', published_version: 1 })));
    const eachOnce = Object.fromEntries(ids.map((id) => [id, 1]));
    const perArticle = async (sql: string) =>
      Object.fromEntries((await db.query<{ id: string; n: number }>(sql, [ids])).rows.map((r) => [r.id, r.n]));
    // Approved once and published once per article (the audit trail and the events webhooks hear of).
    expect(
      await perArticle(
        `SELECT article_id AS id, count(*)::int AS n FROM audit_log WHERE action = 'article.published' AND article_id = ANY($1::uuid[]) GROUP BY article_id`,
      ),
    ).toEqual(eachOnce);
    expect(
      await perArticle(
        `SELECT payload->>'articleId' AS id, count(*)::int AS n FROM outbox WHERE name = 'article.approved' AND payload->>'articleId' = ANY($1::text[]) GROUP BY 1`,
      ),
    ).toEqual(eachOnce);
    expect(
      await perArticle(
        `SELECT payload->>'articleId' AS id, count(*)::int AS n FROM outbox WHERE name = 'article.published' AND payload->>'articleId' = ANY($1::text[]) GROUP BY 1`,
      ),
    ).toEqual(eachOnce);
    // One delivery per event and subscription, delivered, and heard once by the subscriber.
    await waitFor(async () => hooks.length >= ARTICLES, 30_000, 'every event delivered');
    const deliveries = await db.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM webhook_deliveries GROUP BY status',
    );
    expect(deliveries.rows).toEqual([{ status: 'delivered', n: ARTICLES }]);
    expect(hooks.map((h) => h.data.articleId).sort()).toEqual([...ids].sort());
    // The cache still made one request per URL and worker: the dead one's, and one after it.
    expect(web.count('HEAD', '/shared')).toBeLessThanOrEqual(2);
  }, 180_000);
});
