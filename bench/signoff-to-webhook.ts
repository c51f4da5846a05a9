/**
 * From the final sign-off to the subscriber's webhook: `npm run bench:webhook`.
 *
 * 1. A throwaway database `imprimatur_bench_webhook_<random>`, migrated; Redis keys under
 *    `imprimatur-bench-webhook-<random>` (the run's QUEUE_PREFIX: BullMQ and the link checker's keys).
 * 2. The real API (createApiApp) and the real worker (WorkerModule, as apps/worker/src/main.ts builds
 *    it) each in a child process of this file, with LOG_LEVEL=warn, OUTBOUND_ALLOW_HOSTS=127.0.0.1,
 *    LINK_CHECK_HOST_SPACING_MS=0 and a bootstrap admin. This process runs a local web on 127.0.0.1:
 *    every reference URL answers 200 (the DOI resolver and PubMed point there too, so nothing leaves
 *    loopback), and POST /hook is the subscriber: it verifies each delivery with `standardwebhooks`
 *    and records when it arrived.
 * 3. Through the API: the admin subscribes /hook to `article.published`, creates an editor and two
 *    reviewers; then ARTICLES (default 100) articles are prepared, PREPARE_CONCURRENCY (4) at a time:
 *    created with three references to the local web, reviewers assigned, submitted, review started,
 *    then wait until GET /articles/:id says checks.links = passed (the worker checks the links; nothing
 *    is pre-set), then the first sign-off.
 * 4. The final sign-offs, strictly one at a time on an otherwise idle system: the clock starts just
 *    before the final POST /articles/:id/signoffs is sent and stops when the verified webhook for that
 *    article has arrived; the next article starts SETTLE_MS after that. p50/p95/p99/max/mean over the
 *    articles, how many arrived, and where the time goes, from the rows the run wrote: approved_at,
 *    published_at, the outbox rows' dispatched_at (when a relay pass took them) and created_at (the
 *    fan-out transaction's start), the delivery attempt's `at` (wall clock; the API's and worker's
 *    timestamps have millisecond resolution).
 *
 * Prints a JSON summary on stdout (progress on stderr); exits 1 unless every webhook arrived, verified,
 * once. The database and the run's Redis keys (SCAN + UNLINK on its prefix) are removed at the end.
 *
 * Env: DATABASE_URL (only its server and credentials are used; default
 * postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL, BENCH_ARTICLES.
 */
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '@imprimatur/config';
import { prepareDatabase } from '@imprimatur/database';
import { createApiApp } from '../apps/api/src/app.factory';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { deleteKeys } from './support';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 100);
const PREPARE_CONCURRENCY = 4;
/** Pause between one article's webhook and the next final sign-off, so each starts on a quiet worker. */
const SETTLE_MS = 100;
const WEBHOOK_TIMEOUT_MS = 15_000;
const LINKS_TIMEOUT_MS = 30_000;
const WATCHDOG_MS = 5 * 60_000;
const HOST = '127.0.0.1';
const ADMIN = { email: 'bench-admin@imprimatur.test', password: 'bench-admin-password' };

const log = (message: string) => process.stderr.write(`[bench:webhook] ${message}\n`);
const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Child roles: the API and the worker, as their mains build them.

type Stop = { type: 'stop' };

async function serveApi(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApiApp(config);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as AddressInfo;
  process.on('message', (_message: Stop) => void app.close().then(() => process.exit(0)));
  process.send?.({ type: 'ready', port: address.port });
}

async function serveWorker(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  // close() lets the BullMQ workers finish their active jobs first.
  process.on('message', (_message: Stop) => void app.close().then(() => process.exit(0)));
  process.send?.({ type: 'ready', port: 0 });
}

// ---------------------------------------------------------------------------------------------
// Driver.

class Child {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  /** Forks this file in `role`; its stdout goes to our stderr, so that our stdout stays JSON. */
  static async start(role: 'api' | 'worker', env: NodeJS.ProcessEnv): Promise<Child> {
    const child = fork(__filename, [role], {
      env,
      execArgv: process.execArgv,
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.stdout?.pipe(process.stderr);
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
      child.once('message', (m: { port: number }) => resolve(m.port));
    });
    child.removeAllListeners('exit');
    return new Child(child, port);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.send({ type: 'stop' });
      setTimeout(() => this.child.kill('SIGKILL'), 10_000).unref();
    });
  }
}

interface Arrival {
  at: number;
  messageId: string;
}

/** The local web: reference pages that answer 200, and the subscriber, which verifies and timestamps each delivery. */
class LocalWeb {
  private readonly server: Server;
  port = 0;
  secret = '';
  /** articleId → its verified deliveries. */
  readonly arrivals = new Map<string, Arrival[]>();
  readonly rejected: string[] = [];
  referenceRequests = 0;
  private readonly waiters = new Map<string, (arrival: Arrival) => void>();

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
  }

  url(path: string): string {
    return `http://${HOST}:${this.port}${path}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, HOST, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Resolves with the arrival of `articleId`'s webhook (at once if it is already here). */
  arrivalOf(articleId: string, timeoutMs: number): Promise<Arrival | null> {
    const here = this.arrivals.get(articleId)?.[0];
    if (here) return Promise.resolve(here);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(articleId);
        resolve(null);
      }, timeoutMs);
      this.waiters.set(articleId, (arrival) => {
        clearTimeout(timer);
        this.waiters.delete(articleId);
        resolve(arrival);
      });
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'POST' && path === '/hook') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const at = performance.now();
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          const event = new Webhook(this.secret).verify(body, req.headers as Record<string, string>) as {
            type: string;
            data: { articleId: string };
          };
          if (event.type !== 'article.published') throw new Error(`unexpected event ${event.type}`);
          const arrival = { at, messageId: String(req.headers['webhook-id']) };
          const list = this.arrivals.get(event.data.articleId) ?? [];
          list.push(arrival);
          this.arrivals.set(event.data.articleId, list);
          this.waiters.get(event.data.articleId)?.(arrival);
          res.writeHead(204).end();
        } catch (error) {
          this.rejected.push((error as Error).message);
          res.writeHead(400).end();
        }
      });
      return;
    }
    if (path.startsWith('/ref/') || path.startsWith('/doi/') || path.startsWith('/pubmed/')) {
      this.referenceRequests++;
      req.resume();
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': '0' }).end();
      return;
    }
    req.resume();
    res.writeHead(404).end();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A thin JSON client for the API. */
class Api {
  constructor(private readonly origin: string) {}

  async call<T>(method: string, path: string, token: string | null, body: unknown, expected: number): Promise<T> {
    const res = await fetch(`${this.origin}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== expected)
      throw new Error(`${method} ${path} answered ${res.status} (expected ${expected}): ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  async login(email: string, password: string): Promise<string> {
    return (await this.call<{ accessToken: string }>('POST', '/auth/login', null, { email, password }, 200))
      .accessToken;
  }

  async user(admin: string, roles: string[], name: string): Promise<{ id: string; token: string; password: string }> {
    const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${randomBytes(3).toString('hex')}@imprimatur.test`;
    const password = 'a-long-enough-password';
    const { id } = await this.call<{ id: string }>('POST', '/users', admin, { email, password, name, roles }, 201);
    return { id, token: await this.login(email, password), password };
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createTcpServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface ArticleView {
  id: string;
  slug: string;
  state: string;
  currentContentHash: string;
  checks: { links: string };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

function stats(values: number[]): {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  min: number;
} {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / Math.max(1, sorted.length);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? 0),
    mean: round(mean),
    min: round(sorted[0] ?? 0),
  };
}

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}

type Milestone =
  | 'sent'
  | 'approved'
  | 'relayApproved'
  | 'published'
  | 'relayPublished'
  | 'fanOut'
  | 'relayDeliver'
  | 'attempt'
  | 'arrived';

interface Milestones {
  articleId: string;
  attempts: number;
  approved: number;
  relayApproved: number | null;
  published: number;
  relayPublished: number | null;
  fanOut: number | null;
  relayDeliver: number | null;
  attempt: number;
}

/** The path from the final sign-off to the subscriber, milestone to milestone. */
const STAGES = [
  [
    'signoff',
    'sent',
    'approved',
    'the sign-off request up to the approval in its transaction (HTTP, token check, sign-off, approval rule)',
  ],
  [
    'relayWakeApproved',
    'approved',
    'relayApproved',
    'rest of the sign-off transaction, commit, NOTIFY, the relay starts its pass',
  ],
  [
    'publishPickup',
    'relayApproved',
    'published',
    'relay enqueues article.approved (BullMQ addBulk), the publishing worker picks it up, publish transaction up to its timestamp',
  ],
  [
    'relayWakePublished',
    'published',
    'relayPublished',
    'rest of the publishing transaction (render, version, live row, outbox, audit), commit, NOTIFY, relay pass',
  ],
  [
    'fanOutPickup',
    'relayPublished',
    'fanOut',
    'relay enqueues article.published, the webhooks worker picks it up and starts the fan-out transaction',
  ],
  [
    'relayWakeDeliver',
    'fanOut',
    'relayDeliver',
    'fan-out transaction (one delivery row + its webhooks.deliver outbox row), commit, NOTIFY, relay pass',
  ],
  [
    'deliveryPickup',
    'relayDeliver',
    'attempt',
    'relay enqueues webhooks.deliver, the webhooks worker picks it up and claims the delivery (its lease)',
  ],
  ['post', 'attempt', 'arrived', 'signing and the HTTP POST on loopback, until the receiver has the whole body'],
  [
    'approvalToWebhook',
    'approved',
    'arrived',
    'all the stages after the sign-off: from the approval in its transaction to the verified webhook (the sign-off stage holds the argon2 password re-check of the e-signature)',
  ],
] as const satisfies readonly (readonly [string, Milestone, Milestone, string])[];

type StageName = (typeof STAGES)[number][0];

interface Timing {
  articleId: string;
  /** Wall clock (ms since the epoch) when the final sign-off was sent. */
  sentAt: number;
  /** From sending the final sign-off to its 201. */
  signoffMs: number;
  /** From sending the final sign-off to the verified webhook's arrival. */
  webhookMs: number;
}

async function main(): Promise<number> {
  const watchdog = setTimeout(() => {
    log(`did not finish within ${WATCHDOG_MS / 1000} s`);
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();

  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const suffix = randomBytes(4).toString('hex');
  const name = `imprimatur_bench_webhook_${suffix}`;
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const adminUrl = new URL(base.toString());
  adminUrl.pathname = '/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const queuePrefix = `imprimatur-bench-webhook-${suffix}`;
  const loadAverageAtStart = loadavg().map((l) => round(l, 2));
  const started = performance.now();

  const web = new LocalWeb();
  let api: Child | null = null;
  let worker: Child | null = null;
  const db = new Client({ connectionString: databaseUrl });
  try {
    log(`database ${name}, queue prefix ${queuePrefix}`);
    await prepareDatabase(databaseUrl);
    await db.connect();
    const pgVersion = (await db.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    await web.listen();

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DOCS_ENABLED: 'false',
      HOST,
      PORT: String(await freePort()),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      SECRETS_KEY: randomBytes(32).toString('base64'),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      OUTBOUND_ALLOW_HOSTS: HOST,
      LINK_CHECK_HOST_SPACING_MS: '0',
      DOI_RESOLVER_URL: web.url('/doi'),
      PUBMED_URL: web.url('/pubmed'),
      // Never the real registries (contract §16): a revision citing a DOI or PMID is looked up here.
      CROSSREF_API_URL: web.url('/crossref'),
      EUTILS_URL: web.url('/eutils'),
      PUBLIC_BASE_URL: 'https://medical.example',
    };
    [api, worker] = await Promise.all([Child.start('api', env), Child.start('worker', env)]);
    const origin = `http://${HOST}:${api.port}`;
    const http = new Api(origin);
    log(`API on ${origin}, worker up (${round((performance.now() - started) / 1000)} s)`);

    const admin = await http.login(ADMIN.email, ADMIN.password);
    const hook = await http.call<{ secret: string }>(
      'POST',
      '/webhooks',
      admin,
      { url: web.url('/hook'), events: ['article.published'] },
      201,
    );
    web.secret = hook.secret;
    const editor = await http.user(admin, ['editor'], 'Ed Itor');
    const reviewers = [
      await http.user(admin, ['reviewer'], 'Dr Board 0'),
      await http.user(admin, ['reviewer'], 'Dr Board 1'),
    ];

    // --- preparation: up to the first sign-off, a few articles at a time
    const prepareStarted = performance.now();
    const linkWaitsMs: number[] = [];
    const articles = await mapLimit(
      Array.from({ length: ARTICLES }, (_, i) => i),
      PREPARE_CONCURRENCY,
      async (i) => {
        const article = await http.call<ArticleView>('POST', '/articles', editor.token, content(web, i), 201);
        const path = `/articles/${article.id}`;
        await http.call('PUT', `${path}/reviewers`, admin, { reviewerIds: reviewers.map((r) => r.id) }, 200);
        await http.call('POST', `${path}/submit`, editor.token, {}, 200);
        await http.call('POST', `${path}/start-review`, reviewers[0].token, undefined, 200);
        const waitStarted = performance.now();
        for (;;) {
          const view = await http.call<ArticleView>('GET', path, admin, undefined, 200);
          if (view.checks.links === 'passed') break;
          if (view.checks.links !== 'pending') throw new Error(`links of ${article.slug} are ${view.checks.links}`);
          if (performance.now() - waitStarted > LINKS_TIMEOUT_MS)
            throw new Error(`links of ${article.slug} still pending after ${LINKS_TIMEOUT_MS} ms`);
          await sleep(50);
        }
        linkWaitsMs.push(performance.now() - waitStarted);
        const first = await http.call<{ article: ArticleView }>(
          'POST',
          `${path}/signoffs`,
          reviewers[0].token,
          // A signature re-enters the password (argon2 on every sign-off, as in production).
          {
            decision: 'approve',
            revision: 1,
            contentHash: article.currentContentHash,
            password: reviewers[0].password,
          },
          201,
        );
        if (first.article.state !== 'under_review')
          throw new Error(`${article.slug} is ${first.article.state} after one sign-off`);
        return article;
      },
    );
    const prepareSeconds = (performance.now() - prepareStarted) / 1000;
    log(
      `${ARTICLES} articles ready for their final sign-off in ${round(prepareSeconds)} s (${web.referenceRequests} reference requests)`,
    );
    if (web.arrivals.size > 0) throw new Error('a webhook arrived before any final sign-off');
    await sleep(1_000);

    // --- the measurement: one final sign-off at a time
    const timings: Timing[] = [];
    const missing: string[] = [];
    for (const article of articles) {
      const sentAt = performance.timeOrigin + performance.now();
      const t0 = performance.now();
      const final = await http.call<{ article: ArticleView }>(
        'POST',
        `/articles/${article.id}/signoffs`,
        reviewers[1].token,
        { decision: 'approve', revision: 1, contentHash: article.currentContentHash, password: reviewers[1].password },
        201,
      );
      const signoffMs = performance.now() - t0;
      if (final.article.state !== 'approved')
        throw new Error(`${article.slug} is ${final.article.state} after the final sign-off`);
      const arrival = await web.arrivalOf(article.id, WEBHOOK_TIMEOUT_MS);
      if (!arrival) {
        missing.push(article.id);
        continue;
      }
      timings.push({ articleId: article.id, sentAt, signoffMs, webhookMs: arrival.at - t0 });
      await sleep(SETTLE_MS);
    }
    // Late or repeated deliveries would show here.
    await sleep(1_000);
    const delivered = timings.length;
    const duplicates = [...web.arrivals.values()].filter((list) => list.length > 1).length;
    const latency = stats(timings.map((t) => t.webhookMs));
    log(
      `${delivered}/${ARTICLES} webhooks: p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms, max ${latency.max} ms, mean ${latency.mean} ms`,
    );

    // --- where the time went, from what the run wrote: wall-clock milliseconds since the epoch, taken
    // by the API and the worker (JavaScript dates, ms) or by PostgreSQL's now() (the transaction's start).
    const { rows } = await db.query<Milestones>(
      `SELECT a.id AS "articleId", wd.attempts,
         extract(epoch FROM a.approved_at)::float8 * 1000 AS approved,
         (SELECT extract(epoch FROM o.dispatched_at)::float8 * 1000 FROM outbox o WHERE o.name = 'article.approved' AND o.payload ->> 'articleId' = a.id::text) AS "relayApproved",
         extract(epoch FROM pv.published_at)::float8 * 1000 AS published,
         (SELECT extract(epoch FROM o.dispatched_at)::float8 * 1000 FROM outbox o WHERE o.name = 'article.published' AND o.payload ->> 'articleId' = a.id::text) AS "relayPublished",
         extract(epoch FROM od.created_at)::float8 * 1000 AS "fanOut",
         extract(epoch FROM od.dispatched_at)::float8 * 1000 AS "relayDeliver",
         extract(epoch FROM wa.at)::float8 * 1000 AS attempt
       FROM articles a
       JOIN published_versions pv ON pv.article_id = a.id AND pv.version = 1
       JOIN webhook_deliveries wd ON (wd.body::jsonb -> 'data' ->> 'articleId')::uuid = a.id
       LEFT JOIN outbox od ON od.name = 'webhooks.deliver' AND od.payload ->> 'deliveryId' = wd.id::text
       JOIN webhook_attempts wa ON wa.delivery_id = wd.id AND wa.attempt = 1
       WHERE a.id = ANY($1::uuid[])`,
      [timings.map((t) => t.articleId)],
    );
    const byArticle = new Map(rows.map((r) => [r.articleId, r]));
    const stages: Record<StageName, number[]> = Object.fromEntries(
      STAGES.map(([stage]) => [stage, []]),
    ) as unknown as Record<StageName, number[]>;
    let retried = 0;
    for (const t of timings) {
      const row = byArticle.get(t.articleId);
      if (!row) continue;
      if (row.attempts > 1) retried++;
      const at: Record<Milestone, number | null> = { ...row, sent: t.sentAt, arrived: t.sentAt + t.webhookMs };
      for (const [stage, from, to] of STAGES) {
        const a = at[from];
        const b = at[to];
        if (a !== null && b !== null) stages[stage].push(b - a);
      }
    }

    const cpu = cpus();
    const problems: string[] = [];
    if (delivered !== ARTICLES)
      problems.push(
        `${ARTICLES - delivered} webhooks did not arrive within ${WEBHOOK_TIMEOUT_MS} ms: ${missing.join(', ')}`,
      );
    if (web.rejected.length > 0)
      problems.push(`${web.rejected.length} deliveries failed verification: ${web.rejected.slice(0, 3).join('; ')}`);
    if (duplicates > 0) problems.push(`${duplicates} articles were delivered more than once`);
    if (retried > 0) problems.push(`${retried} deliveries needed more than one attempt`);

    const summary = {
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}`,
      loadAverageAtStart,
      node: process.version,
      postgres: pgVersion,
      setup: {
        processes:
          'API and worker each in a child process; the driver, reference pages and webhook receiver in the parent',
        articles: ARTICLES,
        referencesPerArticle: 3,
        preparation: `${PREPARE_CONCURRENCY} articles at a time`,
        finalSignoffs: `sequential: one at a time, the next ${SETTLE_MS} ms after the previous webhook arrived`,
        env: {
          LOG_LEVEL: 'warn',
          OUTBOUND_ALLOW_HOSTS: HOST,
          LINK_CHECK_HOST_SPACING_MS: 0,
          QUEUE_PREFIX: queuePrefix,
        },
      },
      preparationSeconds: round(prepareSeconds),
      /** After start-review, until GET /articles/:id said checks.links = passed (polled every 50 ms). */
      linkCheckWaitMs: stats(linkWaitsMs),
      /** Articles whose webhook arrived and verified (standardwebhooks), and deliveries that failed verification. */
      arrived: web.arrivals.size,
      rejectedDeliveries: web.rejected.length,
      /** From sending the final sign-off to the verified webhook's arrival. */
      signoffToWebhookMs: latency,
      /** The final sign-off's own HTTP round trip (the approval transaction). */
      signoffRequestMs: stats(timings.map((t) => t.signoffMs)),
      /** Consecutive milestones of each article's path; the medians add up to about the median total. */
      stagesMs: Object.fromEntries(STAGES.map(([stage, , , what]) => [stage, { what, ...stats(stages[stage]) }])),
      totalSeconds: round((performance.now() - started) / 1000),
      problems,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await Promise.all([api, worker].map((child) => child?.stop().catch(() => undefined) ?? Promise.resolve()));
    await web.close().catch(() => undefined);
    await db.end().catch(() => undefined);
    const pg = new Client({ connectionString: adminUrl.toString() });
    await pg.connect();
    await pg.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await pg.end();
    const deleted = await deleteKeys(redisUrl, queuePrefix).catch(() => -1);
    log(`dropped ${name}; deleted ${deleted} Redis keys under ${queuePrefix}`);
  }
}

/** An article in the seed's shape whose three references all point at the local web. */
function content(web: LocalWeb, i: number) {
  return {
    title: `Can leiomyosarcoma be treated? Bench ${i + 1}`,
    summary: 'Localised disease is treated with surgery; advanced disease with chemotherapy [1].',
    body: [
      '## From the Guidelines',
      '',
      'Complete surgical removal with clear margins is the standard treatment for localised leiomyosarcoma [1].',
      'Radiotherapy may be added for large or high-grade tumours [1, 2].',
      '',
      '## From the Research',
      '',
      'Doxorubicin-based chemotherapy remains the first-line option for advanced disease [2-3].',
    ].join('\n'),
    references: [
      {
        type: 'guideline',
        title: 'Soft tissue sarcoma: clinical practice guideline',
        source: 'Annals of Oncology',
        year: 2021,
        url: web.url(`/ref/${i + 1}/guideline`),
      },
      {
        type: 'research',
        title: 'Chemotherapy for advanced leiomyosarcoma',
        source: 'Frontiers in Oncology',
        year: 2023,
        url: web.url(`/ref/${i + 1}/chemotherapy`),
      },
      {
        type: 'research',
        title: 'Trabectedin after doxorubicin',
        source: 'Lancet Oncology',
        year: 2022,
        url: web.url(`/ref/${i + 1}/trabectedin`),
      },
    ],
    specialties: ['oncology'],
    changeNote: 'first draft',
  };
}

if (require.main !== module) {
  // imported: do nothing
} else if (process.argv[2] === 'api') {
  serveApi().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else if (process.argv[2] === 'worker') {
  serveWorker().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
