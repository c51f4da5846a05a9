import { request as httpRequest, IncomingMessage, ServerResponse } from 'node:http';
import { Client } from 'pg';
import request from 'supertest';
import { auth, Cast, cast, sampleContent } from '../support/articles';
import { isolatedEnvironment } from '../support/isolated';
import { freePort, PrivateRedis, waitFor } from '../support/redis-server';
import { after, LocalWeb } from '../support/web';
import { AppProcess } from './support/processes';

/**
 * Issue #16: a deploy sends SIGTERM while the processes are busy. The API stops accepting, answers
 * every request it had accepted and exits within 20 s; the worker lets its active jobs finish, exits
 * 0, and what it had not started waits in Redis for the next worker: every job done exactly once.
 */
const STOP_BUDGET_MS = 20_000;
const WRITERS = 12;
const ARTICLES = 6;
const ANSWER_MS = 2_000;

interface Outcome {
  title: string;
  status: number | null;
  error: string | null;
  /** Answered (or failed) after the SIGTERM was sent. */
  late: boolean;
}

/** One request on a connection of its own (no keep-alive), so each outcome is that request's. */
function post(base: string, path: string, token: string, body: unknown): Promise<{ status: number }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      {
        method: 'POST',
        agent: false,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', connection: 'close' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('SIGTERM under load (fault)', () => {
  const web = new LocalWeb('127.0.0.1');
  const processes: AppProcess[] = [];
  let redis: PrivateRedis;
  let env: Record<string, string>;
  let base: string;
  let db: Client;
  let c: Cast;

  const start = (name: string, app: string) => {
    const child = AppProcess.start(name, app, env);
    processes.push(child);
    return child;
  };
  const startApi = async () => {
    const api = start('api', 'api');
    await waitFor(
      async () => api.running && (await fetch(`${base}/health`).catch(() => null))?.ok === true,
      60_000,
      'the API',
    );
    return api;
  };

  beforeAll(async () => {
    for (let i = 0; i < ARTICLES; i++)
      web.route(`/own/${i}`, async (_req: IncomingMessage, res: ServerResponse) => {
        await after(ANSWER_MS);
        res.writeHead(200).end();
      });
    await web.start();
    redis = new PrivateRedis(await freePort());
    await redis.start();
    const port = await freePort();
    env = {
      ...(await isolatedEnvironment('sigterm')),
      REDIS_URL: redis.url,
      HOST: '127.0.0.1',
      PORT: String(port),
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      LINK_CHECK_HOST_CONCURRENCY: '2',
      LINK_CHECK_HOST_SPACING_MS: '0',
      SHUTDOWN_GRACE_MS: '10000',
    };
    base = `http://127.0.0.1:${port}`;
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await db?.end();
    await web.stop();
    await redis?.stop();
  });

  it('the API answers every request it accepted and exits within 20 s; nothing is written that was not answered', async () => {
    const api = await startApi();
    c = await cast(base, 2);
    const outcomes: Outcome[] = [];
    let sentAt = 0;
    let stop = false;
    let n = 0;
    const writer = async () => {
      while (!stop) {
        const title = `Load ${n++}: can leiomyosarcoma be treated?`;
        try {
          const res = await post(base, '/articles', c.editor.token, sampleContent({ title }));
          outcomes.push({ title, status: res.status, error: null, late: sentAt > 0 });
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
          outcomes.push({ title, status: null, error: code, late: sentAt > 0 });
          // Refused: the server is no longer listening, so the deploy is under way.
          if (code === 'ECONNREFUSED') return;
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, () => writer());
    await waitFor(async () => outcomes.length >= 50, 30_000, 'load');
    sentAt = api.signal('SIGTERM');
    const exit = await api.exit(STOP_BUDGET_MS + 10_000);
    stop = true;
    await Promise.all(writers);

    const took = exit.at - sentAt;
    const created = outcomes.filter((o) => o.status === 201);
    const refused = outcomes.filter((o) => o.error === 'ECONNREFUSED');
    const other = outcomes.filter((o) => o.status !== 201 && o.error !== 'ECONNREFUSED');
    console.log(
      `[fault] API SIGTERMed under ${WRITERS} writers: exited ${(took / 1000).toFixed(1)} s later; ` +
        `${created.length} created (${created.filter((o) => o.late).length} answered after the signal), ` +
        `${refused.length} refused at connect, other: ${JSON.stringify(other.map((o) => o.status ?? o.error))}`,
    );
    expect(exit.killed).toBe(false);
    expect(exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(took).toBeLessThan(STOP_BUDGET_MS);
    expect(created.filter((o) => o.late).length).toBeGreaterThan(0);
    // Every writer ended at a closed door. Besides 201s, a request could only meet "closing, try elsewhere"
    // (503) or, had its connection been opened but not yet read when the server closed, a reset: never
    // a 500, and (below) never a write without its answer.
    expect(refused).toHaveLength(WRITERS);
    expect(other.filter((o) => o.status !== 503 && o.error !== 'ECONNRESET' && o.error !== 'EPIPE')).toEqual([]);
    // What was answered 201 is there, once; nothing is there that was not answered 201.
    const rows = await db.query<{ title: string }>(`SELECT title FROM articles WHERE title LIKE 'Load %'`);
    expect(rows.rows.map((r) => r.title).sort()).toEqual(created.map((o) => o.title).sort());
  }, 120_000);

  it('the worker finishes its active jobs, exits 0, and the next worker does the rest: each check once', async () => {
    const api = await startApi();
    const ids: string[] = [];
    for (let i = 0; i < ARTICLES; i++) {
      const created = await request(base)
        .post('/articles')
        .set(auth(c.editor.token))
        .send(
          sampleContent({
            title: `Checked ${i}`,
            references: [
              { type: 'research', title: `Own ${i}`, source: 'Local web', year: 2024, url: web.url(`/own/${i}`) },
            ],
            body: 'One [1].',
            summary: null,
          }),
        )
        .expect(201);
      ids.push((created.body as { id: string }).id);
    }
    const worker = start('worker 1', 'worker');
    await worker.waitForLog((e) => e.msg === 'worker started', 60_000, 'worker started');
    // Two links at a time (LINK_CHECK_HOST_CONCURRENCY): some checks are active, the rest wait.
    await waitFor(async () => web.inFlight >= 2, 30_000, 'link checks in flight');
    const started = () => Array.from({ length: ARTICLES }, (_, i) => web.count('HEAD', `/own/${i}`) > 0);
    const sent = worker.signal('SIGTERM');
    const exit = await worker.exit(STOP_BUDGET_MS + 10_000);
    const took = exit.at - sent;
    const passed = async () =>
      (
        await db.query<{ article_id: string }>(
          `SELECT article_id FROM check_results WHERE "check" = 'links' AND status = 'passed' AND article_id = ANY($1::uuid[])`,
          [ids],
        )
      ).rows.map((r) => r.article_id);
    const doneAtExit = await passed();
    const startedAtExit = started().filter(Boolean).length;
    console.log(
      `[fault] worker SIGTERMed with ${web.inFlight} links in flight: exit code ${exit.code} ${(took / 1000).toFixed(1)} s later; ` +
        `${doneAtExit.length}/${ARTICLES} checks done, ${startedAtExit} started`,
    );
    expect(exit).toMatchObject({ code: 0, signal: null, killed: false });
    expect(took).toBeLessThan(STOP_BUDGET_MS);
    expect(worker.entries().find((e) => e.outcome)).toMatchObject({ outcome: 'closed' });
    // Drained: every check it had started, it finished.
    expect(doneAtExit.length).toBe(startedAtExit);

    const next = start('worker 2', 'worker');
    await next.waitForLog((e) => e.msg === 'worker started', 60_000, 'worker started');
    await waitFor(async () => (await passed()).length === ARTICLES, 60_000, 'every check done');
    await after(1_000);
    const results = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM check_results WHERE "check" = 'links' AND article_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(results.rows[0].n).toBe(ARTICLES);
    // Each link was fetched once: the finished checks were not run again.
    expect(Array.from({ length: ARTICLES }, (_, i) => web.count('HEAD', `/own/${i}`))).toEqual(
      Array.from({ length: ARTICLES }, () => 1),
    );
    api.signal('SIGTERM');
    await api.exit(STOP_BUDGET_MS);
  }, 180_000);
});
