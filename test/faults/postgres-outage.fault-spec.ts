import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { auth, Cast, cast, sampleContent, signoff } from '../support/articles';
import { freePort, PrivateRedis, waitFor } from '../support/redis-server';
import { after } from '../support/web';
import { AppProcess } from './support/processes';
import { PrivatePostgres } from './support/private-postgres';

/**
 * Issue #16: PostgreSQL restarts (`pg_ctl stop -m fast`, then start) while editors write and readers
 * read. During the outage /health/ready says so and requests fail fast with 503 `unavailable` (never
 * a 500, never a hang); afterwards the API and the worker carry on without a restart, and every write is
 * either wholly there (answered 201) or not there at all.
 */
const OUTAGE_MS = 4_000;
/** A request during the outage: connection refused at once, or the pool's 5 s wait for a connection. */
const FAIL_FAST_MS = 6_000;
const READERS = 4;
const WRITERS = 4;

/** No references: the checks pass without asking a registry. */
const plain = (overrides: Record<string, unknown> = {}) =>
  sampleContent({ references: [], body: 'No citations.', summary: null, ...overrides });

interface Outcome {
  kind: 'read' | 'write';
  title?: string;
  status: number;
  code?: string;
  retryAfter: string | null;
  ms: number;
  at: number;
}

describe('PostgreSQL restarts under load (fault)', () => {
  const processes: AppProcess[] = [];
  let pg: PrivatePostgres;
  let redis: PrivateRedis;
  let env: Record<string, string>;
  let base: string;
  let c: Cast;

  beforeAll(async () => {
    pg = new PrivatePostgres(await freePort());
    await pg.init();
    redis = new PrivateRedis(await freePort());
    await redis.start();
    const port = await freePort();
    env = {
      DATABASE_URL: pg.url('imprimatur_outage'),
      QUEUE_PREFIX: `imprimatur-test-outage-${randomBytes(3).toString('hex')}`,
      REDIS_URL: redis.url,
      HOST: '127.0.0.1',
      PORT: String(port),
      REQUIRED_SIGNOFFS: '2',
    };
    base = `http://127.0.0.1:${port}`;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await redis?.stop();
    await pg?.destroy();
  });

  const start = (name: string, app: string) => {
    const child = AppProcess.start(name, app, env);
    processes.push(child);
    return child;
  };
  const ready = async () => (await fetch(`${base}/health/ready`).catch(() => null))?.status ?? 0;

  it('answers 503 fast while it is away, and recovers without a restart; no half-written change', async () => {
    const api = start('api', 'api');
    await waitFor(async () => api.running && (await ready()) === 200, 90_000, 'the API ready');
    const worker = start('worker', 'worker');
    await worker.waitForLog((e) => e.msg === 'worker started', 60_000, 'worker started');
    c = await cast(base, 2);

    // A published article for the readers.
    const created = await request(base).post('/articles').set(auth(c.editor.token)).send(plain()).expect(201);
    const id = (created.body as { id: string }).id;
    const slug = (created.body as { slug: string }).slug;
    await request(base)
      .put(`/articles/${id}/reviewers`)
      .set(auth(c.admin))
      .send({ reviewerIds: c.reviewers.map((r) => r.id) })
      .expect(200);
    await request(base).post(`/articles/${id}/submit`).set(auth(c.editor.token)).send({}).expect(200);
    await request(base).post(`/articles/${id}/start-review`).set(auth(c.reviewers[0].token)).expect(200);
    await waitFor(
      async () => {
        const { checks } = (await request(base).get(`/articles/${id}`).set(auth(c.admin))).body as {
          checks: Record<string, string>;
        };
        return checks.links === 'passed' && checks.evidence !== 'pending';
      },
      60_000,
      'the checks',
    );
    await signoff(c, id, 0, { decision: 'approve', revision: 1 }).expect(201);
    await signoff(c, id, 1, { decision: 'approve', revision: 1 }).expect(201);
    await waitFor(async () => (await fetch(`${base}/public/articles/${slug}`)).status === 200, 60_000, 'publication');

    const outcomes: Outcome[] = [];
    let stop = false;
    let n = 0;
    const timed = async (kind: Outcome['kind'], title: string | undefined, send: () => Promise<Response>) => {
      const at = Date.now();
      const res = await send();
      const text = await res.text();
      let code: string | undefined;
      try {
        code = (JSON.parse(text) as { code?: string }).code;
      } catch {
        code = undefined;
      }
      outcomes.push({
        kind,
        title,
        status: res.status,
        code,
        retryAfter: res.headers.get('retry-after'),
        ms: Date.now() - at,
        at,
      });
    };
    const reader = async () => {
      while (!stop) await timed('read', undefined, () => fetch(`${base}/public/articles/${slug}`));
    };
    const writer = async () => {
      while (!stop) {
        const title = `Outage ${n++}: can leiomyosarcoma be treated?`;
        await timed('write', title, () =>
          fetch(`${base}/articles`, {
            method: 'POST',
            headers: { authorization: `Bearer ${c.editor.token}`, 'content-type': 'application/json' },
            body: JSON.stringify(plain({ title })),
          }),
        );
        await after(20);
      }
    };
    const load = [...Array.from({ length: READERS }, reader), ...Array.from({ length: WRITERS }, writer)];
    await after(1_500);

    const stoppedAt = Date.now();
    await pg.stop('fast');
    const downAt = Date.now();
    const notReady = await waitFor(async () => ((await ready()) === 503 ? Date.now() : null), 5_000, 'ready 503');
    const report = (await (await fetch(`${base}/health/ready`)).json()) as { details?: Record<string, unknown> };
    await after(OUTAGE_MS);
    await pg.start();
    const upAt = Date.now();
    const readyAgain = await waitFor(async () => ((await ready()) === 200 ? Date.now() : null), 30_000, 'ready again');
    const firstWrite = await waitFor(
      async () => outcomes.find((o) => o.kind === 'write' && o.status === 201 && o.at >= upAt)?.at ?? null,
      30_000,
      'a write after the restart',
    );
    await after(1_000);
    stop = true;
    await Promise.all(load);

    const during = outcomes.filter((o) => o.at >= downAt && o.at + o.ms <= upAt);
    const failed = during.filter((o) => o.status !== 200 && o.status !== 201);
    console.log(
      `[fault] PostgreSQL stopped ${downAt - stoppedAt} ms, down ${upAt - downAt} ms under ${READERS} readers and ${WRITERS} writers: ` +
        `/health/ready 503 after ${notReady - downAt} ms, 200 again ${readyAgain - upAt} ms after the start; first write ${firstWrite - upAt} ms after; ` +
        `${during.length} requests during the outage (${failed.length} failed: ${JSON.stringify(countBy(failed.map((o) => `${o.status} ${o.code}`)))}), ` +
        `slowest ${Math.max(...during.map((o) => o.ms))} ms; ${outcomes.length} requests in all`,
    );
    expect(JSON.stringify(report.details)).toContain('database');
    expect(notReady - downAt).toBeLessThan(3_000);
    expect(readyAgain - upAt).toBeLessThan(10_000);
    // Fail fast and clearly: 503 unavailable, never a 500, never a hang.
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.filter((o) => o.status !== 503 || o.code !== 'unavailable')).toEqual([]);
    // Including a connection the server cut mid-transaction; each tells the client when to retry.
    expect(outcomes.filter((o) => o.status === 503 && o.retryAfter !== '2')).toEqual([]);
    expect(outcomes.filter((o) => o.status >= 500 && o.status !== 503)).toEqual([]);
    expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(FAIL_FAST_MS);

    // Whole or nothing: what was answered 201 is there with its one revision; nothing else is.
    const db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    try {
      const rows = await db.query<{ title: string; revisions: number }>(
        `SELECT a.title, (SELECT count(*)::int FROM revisions r WHERE r.article_id = a.id) AS revisions
           FROM articles a WHERE a.title LIKE 'Outage %'`,
      );
      const answered = outcomes.filter((o) => o.kind === 'write' && o.status === 201).map((o) => o.title);
      expect(rows.rows.map((r) => r.title).sort()).toEqual([...answered].sort());
      expect(rows.rows.every((r) => r.revisions === 1)).toBe(true);
      // The worker recovered too: every job written since the restart was relayed and finished.
      const since = [new Date(upAt)];
      await waitFor(
        async () => {
          const {
            rows: [r],
          } = await db.query<{ all: number; done: number }>(
            `SELECT count(*)::int AS all, count(finished_at)::int AS done FROM outbox WHERE created_at > $1`,
            since,
          );
          return r.all > 0 && r.all === r.done;
        },
        30_000,
        'the jobs written after the restart done',
      );
    } finally {
      await db.end();
    }
    expect(api.running).toBe(true);
    expect(worker.running).toBe(true);
  }, 240_000);
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
