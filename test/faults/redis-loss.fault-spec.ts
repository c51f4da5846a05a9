import type { IncomingMessage, ServerResponse } from 'node:http';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import request from 'supertest';
import { redisOptions } from '@imprimatur/queue';
import { startApi, TestApi } from '../support/app';
import { approvedByBoard, auth, Cast, cast, createArticle } from '../support/articles';
import { isolatedEnvironment } from '../support/isolated';
import { freePort, PrivateRedis, waitFor } from '../support/redis-server';
import { TestSmtp } from '../support/smtp';
import { after, LocalWeb } from '../support/web';
import { AppProcess } from './support/processes';

/**
 * Issue #16: Redis restarts without its data while work is queued and delayed — a publication
 * scheduled for later, a webhook retry, a links check in flight, emails retried after 451s. The
 * worker notices the missing marker key, re-issues every unfinished job from the outbox and
 * registers the schedules again; each effect then happens exactly once.
 */
const SLOW_LINK_MS = 6_000;
const RETRY_MS = 8_000;
const LOSS_CHECK_MS = 500;

const ref = (url: string, title: string) => ({ type: 'research', title, source: 'Local web', year: 2024, url });

interface Hook {
  id: string;
  type: string;
  articleId: string;
  status: number;
}

describe('Redis comes back empty (fault)', () => {
  const web = new LocalWeb('127.0.0.1');
  const smtp = new TestSmtp();
  const hooks: Hook[] = [];
  let redis: PrivateRedis;
  let env: Record<string, string>;
  let api: TestApi;
  let worker: AppProcess | undefined;
  let db: Client;
  let c: Cast;

  beforeAll(async () => {
    web.route('/fast', (_req: IncomingMessage, res: ServerResponse) => res.writeHead(200).end());
    web.route('/slow', async (_req: IncomingMessage, res: ServerResponse) => {
      await after(SLOW_LINK_MS);
      res.writeHead(200).end();
    });
    // The first delivery of every event fails, so that its retry waits (delayed) in Redis.
    const seen = new Set<string>();
    web.route('/hook', (req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const id = String(req.headers['webhook-id']);
        const parsed = JSON.parse(body) as { type: string; data: { articleId: string } };
        const status = seen.has(id) ? 200 : 500;
        seen.add(id);
        hooks.push({ id, type: parsed.type, articleId: parsed.data.articleId, status });
        res.writeHead(status).end();
      });
    });
    await web.start();
    await smtp.start();
    redis = new PrivateRedis(await freePort());
    await redis.start();
    env = {
      ...(await isolatedEnvironment('redis-loss')),
      REDIS_URL: redis.url,
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      LINK_CHECK_TIMEOUT_MS: String(SLOW_LINK_MS * 2),
      WEBHOOK_BACKOFF_MS: String(RETRY_MS),
      REDIS_LOSS_CHECK_MS: String(LOSS_CHECK_MS),
      SMTP_URL: smtp.url,
      REQUIRED_SIGNOFFS: '2',
      WORKER_LOCK_DURATION_MS: '4000',
      WORKER_STALLED_INTERVAL_MS: '2000',
    };
    api = await startApi(env);
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    c = await cast(api.http, 2);
  });

  afterAll(async () => {
    await worker?.stop();
    await db?.end();
    await api?.close();
    await smtp.stop();
    await web.stop();
    await redis?.stop();
  });

  async function assigned(url: string, title: string) {
    const article = await createArticle(c, { references: [ref(url, title)], body: 'One [1].', summary: null });
    await request(api.http)
      .put(`/articles/${article.id}/reviewers`)
      .set(auth(c.admin))
      .send({ reviewerIds: c.reviewers.map((r) => r.id) })
      .expect(200);
    return article.id;
  }

  async function signedOff(id: string, submit: Record<string, unknown> = {}) {
    await request(api.http).post(`/articles/${id}/submit`).set(auth(c.editor.token)).send(submit).expect(200);
    await request(api.http).post(`/articles/${id}/start-review`).set(auth(c.reviewers[0].token)).expect(200);
    await approvedByBoard(c, id);
  }

  const count = async (sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(sql, params)).rows[0].n;
  const versions = (id: string) =>
    count('SELECT count(*)::int AS n FROM published_versions WHERE article_id = $1', [id]);
  const unfinished = () =>
    count('SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NOT NULL AND finished_at IS NULL');

  it('re-issues every unfinished job from the outbox and registers the schedules again; each effect happens once', async () => {
    await request(api.http)
      .post('/webhooks')
      .set(auth(c.admin))
      .send({ url: web.url('/hook'), events: ['article.published'] })
      .expect(201);
    // Emails are refused (451) until after the loss: their retries wait in Redis.
    smtp.failNext(10_000, 451);
    worker = AppProcess.start('worker', 'worker', env);
    await worker.waitForLog((e) => e.msg === 'Redis epoch marked; no unfinished jobs to re-issue', 60_000, 'marker');

    // Published, its webhook delivery failed once: the retry is delayed RETRY_MS in Redis.
    const live = await assigned(web.url('/fast'), 'Fast');
    await signedOff(live);
    await waitFor(async () => (await versions(live)) === 1, 30_000, 'the first article published');
    await waitFor(async () => hooks.length === 1, 30_000, 'the first delivery attempt');
    // Approved for later: the publication waits (delayed) in Redis.
    const scheduled = await assigned(web.url('/fast'), 'Scheduled');
    const publishAt = new Date(Date.now() + 8_000).toISOString();
    await signedOff(scheduled, { publishAt });
    await waitFor(
      async () =>
        (await count(`SELECT count(*)::int AS n FROM articles WHERE id = $1 AND state = 'approved'`, [scheduled])) ===
        1,
      30_000,
      'the scheduled article approved',
    );
    // Its links check is being fetched right now.
    const checking = await assigned(web.url('/slow'), 'Slow');
    await request(api.http).post(`/articles/${checking}/submit`).set(auth(c.editor.token)).send({}).expect(200);
    await waitFor(async () => web.count('HEAD', '/slow') >= 1, 30_000, 'the slow link fetched');
    expect(await versions(scheduled)).toBe(0);
    const mails = await count(`SELECT count(*)::int AS n FROM outbox WHERE name = 'notifications.email'`);
    expect(mails).toBeGreaterThanOrEqual(4);
    expect(smtp.received).toHaveLength(0);
    const before = await unfinished();
    // In Redis, not finished: the delayed publication, the delayed retry, the active check, retried emails.
    const kinds = await db.query<{ name: string }>(
      'SELECT DISTINCT name FROM outbox WHERE dispatched_at IS NOT NULL AND finished_at IS NULL ORDER BY name',
    );
    expect(kinds.rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['article.approved', 'checks.links', 'notifications.email', 'webhooks.deliver']),
    );

    // Restarted without persistence: every job, delayed job and schedule is gone.
    const lostAt = Date.now();
    await redis.stop();
    await redis.start();
    const sweep = await worker.waitForLog(
      (e) => e.msg === 'Redis lost its data; re-issued the unfinished jobs from the outbox',
      30_000,
      'the sweep',
    );
    const sweptMs = Date.now() - lostAt;
    expect(sweep.reissued).toBeGreaterThanOrEqual(4);
    smtp.failNext(0);

    await waitFor(async () => (await versions(scheduled)) === 1, 40_000, 'the scheduled article published');
    await waitFor(
      async () =>
        (await count(
          `SELECT count(*)::int AS n FROM check_results WHERE article_id = $1 AND "check" = 'links' AND status = 'passed'`,
          [checking],
        )) === 1,
      40_000,
      'the slow links check passed',
    );
    await waitFor(
      async () => (await count(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'delivered'`)) === 2,
      40_000,
      'both events delivered',
    );
    await waitFor(
      async () =>
        smtp.received.length >= mails &&
        (await count(`SELECT count(*)::int AS n FROM notifications WHERE email_status = 'sent'`)) >= mails,
      40_000,
      'every email sent',
    );
    await waitFor(async () => (await unfinished()) === 0, 30_000, 'every job finished');
    const recoveredMs = Date.now() - lostAt;
    console.log(
      `[fault] Redis restarted empty with ${before} unfinished jobs; swept ${(sweptMs / 1000).toFixed(1)} s after ` +
        `(REDIS_LOSS_CHECK_MS ${LOSS_CHECK_MS}), re-issued ${String(sweep.reissued)}; everything done ${(recoveredMs / 1000).toFixed(1)} s after the loss`,
    );

    // A late duplicate (a job that ran both before and after the loss) has the time to show.
    await after(3_000);
    expect(await versions(live)).toBe(1);
    expect(await versions(scheduled)).toBe(1);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'article.published' AND article_id = ANY($1::uuid[])`,
        [[live, scheduled]],
      ),
    ).toBe(2);
    expect(
      await count(`SELECT count(*)::int AS n FROM check_results WHERE article_id = $1 AND "check" = 'links'`, [
        checking,
      ]),
    ).toBe(1);
    // Each event: one failed attempt, then one success; never a second success.
    const successes = hooks.filter((h) => h.status === 200);
    expect(successes.map((h) => h.articleId).sort()).toEqual([live, scheduled].sort());
    expect(new Set(successes.map((h) => h.id)).size).toBe(2);
    expect(hooks.filter((h) => h.articleId === live)).toHaveLength(2);
    // One email per notification that asked for one (Message-ID is the notification's).
    const sent = await db.query<{ id: string }>(`SELECT id FROM notifications WHERE email_status = 'sent'`);
    const ids = smtp.received.map((m) => m.messageId);
    expect(ids).toHaveLength(new Set(ids).size);
    expect(ids.sort()).toEqual(sent.rows.map((r) => `<notification-${r.id}@imprimatur>`).sort());
    expect(await count('SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL')).toBe(0);

    // The schedules are back: six on maintenance and mail together, one on audit.
    const config = { connection: { ...redisOptions(redis.url, 'worker') }, prefix: env.QUEUE_PREFIX };
    const queues = ['maintenance', 'mail', 'audit'].map((name) => new Queue(name, config));
    try {
      const schedulers = await Promise.all(queues.map((q) => q.getJobSchedulers()));
      expect(schedulers.map((list) => list.map((s) => s.key).sort())).toEqual([
        ['overdue-scan', 'prune', 'recheck-published-evidence', 'recheck-published-links', 'review-due-scan'],
        ['daily-digest'],
        ['audit-digest'],
      ]);
    } finally {
      await Promise.all(queues.map((q) => q.close()));
    }
  }, 180_000);
});
