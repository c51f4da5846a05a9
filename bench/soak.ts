/**
 * The soak: `node -r ./bench/register.cjs bench/soak.ts` (SOAK_MINUTES, default 10).
 *
 * A throwaway database `imprimatur_bench_soak_<random>` and Redis keys under `imprimatur-bench-soak-<random>`;
 * the real API and the real worker each in a child process of this file (so that each one's RSS is its own),
 * with OUTBOUND_ALLOW_HOSTS=127.0.0.1. This process serves the loopback web: reference pages (200, so every
 * revision's link check runs against it) and the webhook receiver (verified with `standardwebhooks`).
 *
 * For SOAK_MINUTES, at once: PUBLISHERS pipelines take articles from creation to two sign-offs (the worker
 * checks links, publishes, and fans the webhook out); WRITERS editors add revisions and comments to drafts of
 * their own; READERS read the published articles through the public API and the reader pages. Every request's
 * status and latency is recorded per route; the API's and the worker's RSS are read from /proc every 10 s, and
 * every 30 s each runs a full GC (--expose-gc) and reports the heap still in use (the leak detector; RSS follows
 * V8's heap sizing).
 * After the load a drain of up to DRAIN_MS, then: queue depth over every queue and outbox rows pending.
 *
 * Prints a markdown report on stdout (progress on stderr); exits 1 on any 5xx, a missing or duplicate
 * webhook, or work left in the queues or the outbox. The database and the Redis keys are removed at the end.
 */
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { Logger } from 'nestjs-pino';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '@imprimatur/config';
import { prepareDatabase } from '@imprimatur/database';
import { redisOptions } from '@imprimatur/queue/connection';
import { QUEUE_NAMES } from '@imprimatur/queue/jobs';
import { createApiApp } from '../apps/api/src/app.factory';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { deleteKeys } from './support';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const PUBLISHERS = 2;
const WRITERS = 2;
const READERS = 4;
const RSS_EVERY_MS = 10_000;
const DRAIN_MS = 30_000;
const LINKS_TIMEOUT_MS = 60_000;
const HOST = '127.0.0.1';
const ADMIN = { email: 'soak-admin@imprimatur.test', password: 'soak-admin-password' };

const log = (message: string) => process.stderr.write(`[bench:soak] ${message}\n`);
const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Stop = { type: 'stop' };
/** Asks a child for its live heap: a full collection first, so that what is left is what is still referenced. */
type HeapAsk = { type: 'heap' };
type ChildMessage = Stop | HeapAsk;
const HEAP_EVERY_MS = 30_000;

/** The parent's messages: stop the app, or report the heap after a full GC (the child runs with --expose-gc). */
function answerParent(close: () => Promise<void>): void {
  process.on('message', (message: ChildMessage) => {
    if (message.type === 'heap') {
      (globalThis as { gc?: () => void }).gc?.();
      process.send?.({ type: 'heap', bytes: process.memoryUsage().heapUsed });
      return;
    }
    void close().then(() => process.exit(0));
  });
}

async function serveApi(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApiApp(config);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as AddressInfo;
  answerParent(() => app.close());
  process.send?.({ type: 'ready', port: address.port });
}

async function serveWorker(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  answerParent(() => app.close());
  process.send?.({ type: 'ready', port: 0 });
}

class Child {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get pid(): number {
    return this.child.pid ?? 0;
  }

  static async start(role: 'api' | 'worker', env: NodeJS.ProcessEnv): Promise<Child> {
    const child = fork(__filename, [role], {
      env,
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.stdout?.pipe(process.stderr);
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
      child.once('message', (m: { type: 'ready'; port: number }) => resolve(m.port));
    });
    child.removeAllListeners('exit');
    return new Child(child, port);
  }

  /** Resident set size in MiB, from /proc (the child's own, not its parent's). */
  rssMiB(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  }

  /** Heap in use after a full GC, in MiB: growth here (unlike RSS, which follows V8's heap sizing) is a leak. */
  heapAfterGcMiB(): Promise<number> {
    return new Promise((resolve) => {
      const onMessage = (m: { type: string; bytes?: number }) => {
        if (m.type !== 'heap') return;
        this.child.off('message', onMessage);
        resolve((m.bytes ?? 0) / 1024 / 1024);
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'heap' } satisfies HeapAsk);
    });
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

/** Reference pages and the webhook subscriber, on loopback. */
class LocalWeb {
  private readonly server: Server;
  port = 0;
  secret = '';
  /** articleId → verified deliveries of article.published. */
  readonly deliveries = new Map<string, number>();
  rejected = 0;
  referenceRequests = 0;

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

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'POST' && path === '/hook') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        try {
          const event = new Webhook(this.secret).verify(
            Buffer.concat(chunks).toString('utf8'),
            req.headers as Record<string, string>,
          ) as { type: string; data: { articleId: string } };
          if (event.type !== 'article.published') throw new Error(event.type);
          this.deliveries.set(event.data.articleId, (this.deliveries.get(event.data.articleId) ?? 0) + 1);
          res.writeHead(204).end();
        } catch {
          this.rejected++;
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

/** Every request, by route template: statuses and latencies. */
class Recorder {
  readonly routes = new Map<string, { ms: number[]; statuses: Map<number, number> }>();
  networkErrors = 0;

  add(route: string, status: number, ms: number): void {
    const entry = this.routes.get(route) ?? { ms: [], statuses: new Map<number, number>() };
    entry.ms.push(ms);
    entry.statuses.set(status, (entry.statuses.get(status) ?? 0) + 1);
    this.routes.set(route, entry);
  }
}

class Api {
  constructor(
    private readonly origin: string,
    private readonly recorder: Recorder,
  ) {}

  /** Sends one request and records it under `route`; throws unless it answered `expected`. */
  async call<T>(
    route: string,
    method: string,
    path: string,
    token: string | null,
    body: unknown,
    expected: number,
  ): Promise<T> {
    const t0 = performance.now();
    let res: Response;
    try {
      res = await fetch(`${this.origin}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      this.recorder.networkErrors++;
      throw error;
    }
    const text = await res.text();
    this.recorder.add(route, res.status, performance.now() - t0);
    if (res.status !== expected)
      throw new Error(`${method} ${path} answered ${res.status} (expected ${expected}): ${text.slice(0, 300)}`);
    return (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
  }

  async login(email: string, password: string): Promise<string> {
    return (
      await this.call<{ accessToken: string }>(
        'POST /auth/login',
        'POST',
        '/auth/login',
        null,
        { email, password },
        200,
      )
    ).accessToken;
  }

  async user(admin: string, roles: string[], name: string): Promise<{ id: string; token: string; password: string }> {
    const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${randomBytes(3).toString('hex')}@imprimatur.test`;
    const password = 'a-long-enough-password';
    const { id } = await this.call<{ id: string }>(
      'POST /users',
      'POST',
      '/users',
      admin,
      { email, password, name, roles },
      201,
    );
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
  currentRevision: number;
  currentContentHash: string;
  publishedVersion: number | null;
  checks: { links: string };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** Least-squares slope of y over x. */
function slope(points: readonly [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

/** Per process, a markdown row of a memory series in MiB: first, last, max and the slopes (MiB/min). */
function trendRows(samples: readonly { t: number; api: number; worker: number }[]): string[] {
  return (['api', 'worker'] as const).map((role) => {
    const points = samples.map((s) => [s.t / 60, s[role]] as [number, number]);
    const half = points.slice(Math.floor(points.length / 2));
    const max = Math.max(...points.map(([, y]) => y));
    return `| ${role} | ${round(points[0][1])} | ${round(points[points.length - 1][1])} | ${round(max)} | ${round(slope(points), 2)} | ${round(slope(half), 2)} |`;
  });
}

function content(web: LocalWeb, tag: string, revision: number) {
  return {
    title: `Can leiomyosarcoma be treated? Soak ${tag}`,
    summary: 'Localised disease is treated with surgery; advanced disease with chemotherapy [1].',
    body: [
      '## From the Guidelines',
      '',
      `Complete surgical removal with clear margins is the standard treatment for localised leiomyosarcoma [1] (revision ${revision}).`,
      'Radiotherapy may be added for large or high-grade tumours [1, 2].',
      '',
      '## From the Research',
      '',
      'Doxorubicin-based chemotherapy remains the first-line option for advanced disease [2-3].',
    ].join('\n'),
    references: [
      {
        type: 'guideline',
        title: 'Soft tissue sarcoma guideline',
        source: 'Annals of Oncology',
        year: 2021,
        url: web.url(`/ref/${tag}/${revision}/a`),
      },
      {
        type: 'research',
        title: 'Chemotherapy for advanced leiomyosarcoma',
        source: 'Frontiers in Oncology',
        year: 2023,
        url: web.url(`/ref/${tag}/${revision}/b`),
      },
      {
        type: 'research',
        title: 'Trabectedin after doxorubicin',
        source: 'Lancet Oncology',
        year: 2022,
        url: web.url(`/ref/${tag}/${revision}/c`),
      },
    ],
    specialties: ['oncology'],
    changeNote: `revision ${revision}`,
  };
}

async function main(): Promise<number> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const suffix = randomBytes(4).toString('hex');
  const name = `imprimatur_bench_soak_${suffix}`;
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const adminUrl = new URL(base.toString());
  adminUrl.pathname = '/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const queuePrefix = `imprimatur-bench-soak-${suffix}`;
  const loadAverageAtStart = loadavg().map((l) => round(l, 2));

  const web = new LocalWeb();
  const recorder = new Recorder();
  let api: Child | null = null;
  let worker: Child | null = null;
  const db = new Client({ connectionString: databaseUrl });
  const queues: Queue[] = [];
  try {
    log(`database ${name}, queue prefix ${queuePrefix}, ${MINUTES} min`);
    await prepareDatabase(databaseUrl);
    await db.connect();
    await web.listen();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      // warn would log every 404 of a reader polling for a publication.
      LOG_LEVEL: 'error',
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
      CROSSREF_API_URL: web.url('/crossref'),
      EUTILS_URL: web.url('/eutils'),
      PUBLIC_BASE_URL: 'https://medical.example',
    };
    [api, worker] = await Promise.all([Child.start('api', env), Child.start('worker', env)]);
    const processes = { api, worker };
    const http = new Api(`http://${HOST}:${api.port}`, recorder);

    const admin = await http.login(ADMIN.email, ADMIN.password);
    const hook = await http.call<{ secret: string }>(
      'POST /webhooks',
      'POST',
      '/webhooks',
      admin,
      { url: web.url('/hook'), events: ['article.published'] },
      201,
    );
    web.secret = hook.secret;
    const reviewers = [
      await http.user(admin, ['reviewer'], 'Dr Soak 0'),
      await http.user(admin, ['reviewer'], 'Dr Soak 1'),
    ];
    const editors = await Promise.all(
      Array.from({ length: PUBLISHERS + WRITERS }, (_, i) => http.user(admin, ['editor'], `Ed Soak ${i}`)),
    );

    const started = performance.now();
    const deadline = started + MINUTES * 60_000;
    const rss: { t: number; api: number; worker: number }[] = [];
    const sampleRss = () =>
      rss.push({
        t: (performance.now() - started) / 1000,
        api: processes.api.rssMiB(),
        worker: processes.worker.rssMiB(),
      });
    sampleRss();
    const sampler = setInterval(sampleRss, RSS_EVERY_MS);
    const heap: { t: number; api: number; worker: number }[] = [];
    const sampleHeap = async () => {
      const t = (performance.now() - started) / 1000;
      const [api, worker] = await Promise.all([processes.api.heapAfterGcMiB(), processes.worker.heapAfterGcMiB()]);
      heap.push({ t, api, worker });
    };
    await sampleHeap();
    const heapSampler = setInterval(() => void sampleHeap(), HEAP_EVERY_MS);

    const published: string[] = [];
    /** Articles signed off by both reviewers, by id → slug: each must be published and delivered once. */
    const approved = new Map<string, string>();
    const failures: string[] = [];
    const fail = (who: string, error: unknown) => {
      failures.push(`${who}: ${(error as Error).message}`);
      log(`${who}: ${(error as Error).message}`);
    };

    const waitLinks = async (path: string, token: string): Promise<ArticleView> => {
      const waitStarted = performance.now();
      for (;;) {
        const view = await http.call<ArticleView>('GET /articles/:id', 'GET', path, token, undefined, 200);
        if (view.checks.links === 'passed') return view;
        if (view.checks.links !== 'pending') throw new Error(`links of ${path} are ${view.checks.links}`);
        if (performance.now() - waitStarted > LINKS_TIMEOUT_MS) throw new Error(`links of ${path} still pending`);
        await sleep(200);
      }
    };

    // Each pipeline: one article at a time from creation to its final sign-off, then the next.
    const publisher = async (p: number) => {
      const editor = editors[p];
      for (let n = 0; performance.now() < deadline; n++) {
        try {
          const tag = `p${p}-${n}`;
          const article = await http.call<ArticleView>(
            'POST /articles',
            'POST',
            '/articles',
            editor.token,
            content(web, tag, 1),
            201,
          );
          const path = `/articles/${article.id}`;
          await http.call(
            'PUT /articles/:id/reviewers',
            'PUT',
            `${path}/reviewers`,
            admin,
            { reviewerIds: reviewers.map((r) => r.id) },
            200,
          );
          await http.call('POST /articles/:id/submit', 'POST', `${path}/submit`, editor.token, {}, 200);
          await http.call(
            'POST /articles/:id/start-review',
            'POST',
            `${path}/start-review`,
            reviewers[0].token,
            undefined,
            200,
          );
          const view = await waitLinks(path, reviewers[0].token);
          await http.call(
            'POST /articles/:id/comments',
            'POST',
            `${path}/comments`,
            reviewers[0].token,
            { body: 'Looks right to me.' },
            201,
          );
          for (const reviewer of reviewers) {
            await http.call(
              'POST /articles/:id/signoffs',
              'POST',
              `${path}/signoffs`,
              reviewer.token,
              { decision: 'approve', revision: 1, contentHash: view.currentContentHash, password: reviewer.password },
              201,
            );
          }
          approved.set(article.id, article.slug);
          void waitPublished(article.slug);
        } catch (error) {
          fail(`publisher ${p}`, error);
          await sleep(1_000);
        }
      }
    };

    // Readers learn of a publication by reading it, as a reader would.
    const waitPublished = async (slug: string) => {
      for (let i = 0; i < 120; i++) {
        const res = await fetch(`http://${HOST}:${processes.api.port}/public/articles/${slug}`).catch(() => null);
        if (res?.status === 200) {
          await res.arrayBuffer();
          published.push(slug);
          return;
        }
        await res?.arrayBuffer();
        await sleep(250);
      }
      failures.push(`${slug} was not readable 30 s after its final sign-off`);
    };

    // An editor keeps revising a draft of their own and commenting on it; each revision gets its checks.
    const writer = async (w: number) => {
      const editor = editors[PUBLISHERS + w];
      try {
        const tag = `w${w}`;
        const article = await http.call<ArticleView>(
          'POST /articles',
          'POST',
          '/articles',
          editor.token,
          content(web, tag, 1),
          201,
        );
        const path = `/articles/${article.id}`;
        let revision = 1;
        while (performance.now() < deadline) {
          await http.call(
            'POST /articles/:id/revisions',
            'POST',
            `${path}/revisions`,
            editor.token,
            { ...content(web, tag, revision + 1), baseRevision: revision },
            201,
          );
          revision++;
          await http.call(
            'POST /articles/:id/comments',
            'POST',
            `${path}/comments`,
            editor.token,
            { body: `Note on revision ${revision}.` },
            201,
          );
          await http.call('GET /articles/:id/comments', 'GET', `${path}/comments`, editor.token, undefined, 200);
          await http.call('GET /articles/:id/revisions', 'GET', `${path}/revisions`, editor.token, undefined, 200);
          await sleep(500);
        }
      } catch (error) {
        fail(`writer ${w}`, error);
      }
    };

    const reader = async (r: number) => {
      for (let i = r; performance.now() < deadline; i++) {
        try {
          if (published.length === 0) {
            await http.call('GET /read', 'GET', '/read', null, undefined, 200);
            await sleep(500);
            continue;
          }
          const slug = published[i % published.length];
          await http.call('GET /public/articles/:slug', 'GET', `/public/articles/${slug}`, null, undefined, 200);
          await http.call('GET /read/:slug', 'GET', `/read/${slug}`, null, undefined, 200);
          if (i % 10 === 0) await http.call('GET /read', 'GET', '/read', null, undefined, 200);
          if (i % 10 === 5) await http.call('GET /public/articles', 'GET', '/public/articles', null, undefined, 200);
        } catch (error) {
          fail(`reader ${r}`, error);
          await sleep(500);
        }
      }
    };

    const progress = setInterval(() => {
      const total = [...recorder.routes.values()].reduce((s, e) => s + e.ms.length, 0);
      const last = rss[rss.length - 1];
      log(
        `${round((performance.now() - started) / 1000, 0)} s: ${total} requests, ${approved.size} approved, ${published.length} published, ${[...web.deliveries.values()].reduce((s, n) => s + n, 0)} webhooks, RSS api ${round(last.api)} / worker ${round(last.worker)} MiB`,
      );
    }, 30_000);
    await Promise.all([
      ...Array.from({ length: PUBLISHERS }, (_, p) => publisher(p)),
      ...Array.from({ length: WRITERS }, (_, w) => writer(w)),
      ...Array.from({ length: READERS }, (_, r) => reader(r)),
    ]);
    const loadSeconds = (performance.now() - started) / 1000;
    clearInterval(progress);

    // --- drain: until every approved article was delivered and nothing is left to do, or DRAIN_MS.
    for (const queueName of QUEUE_NAMES)
      queues.push(new Queue(queueName, { prefix: queuePrefix, connection: redisOptions(redisUrl, 'worker') }));
    /** Per queue: jobs left to run, and the next runs of repeatable (scheduled maintenance) jobs, which always wait as delayed. */
    const depth = async () =>
      Promise.all(
        queues.map(async (q) => {
          const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
          const delayed = await q.getDelayed();
          const scheduled = delayed.filter((job) => Boolean(job.repeatJobKey)).length;
          const left = {
            waiting: c.waiting ?? 0,
            active: c.active ?? 0,
            delayed: (c.delayed ?? 0) - scheduled,
            prioritized: c.prioritized ?? 0,
            'waiting-children': c['waiting-children'] ?? 0,
            scheduled,
          };
          return [q.name, left] as const;
        }),
      );
    const outboxPending = async () =>
      (
        await db.query<{ undispatched: number; unfinished: number }>(
          `SELECT count(*) FILTER (WHERE dispatched_at IS NULL)::int AS undispatched,
                  count(*) FILTER (WHERE finished_at IS NULL)::int AS unfinished FROM outbox`,
        )
      ).rows[0];
    const drainStarted = performance.now();
    let counts = await depth();
    let outbox = await outboxPending();
    const sum = (c: typeof counts) =>
      c.reduce((s, [, v]) => s + v.waiting + v.active + v.delayed + v.prioritized + v['waiting-children'], 0);
    while (performance.now() - drainStarted < DRAIN_MS) {
      const delivered = [...approved.keys()].every((id) => web.deliveries.has(id));
      if (delivered && sum(counts) === 0 && outbox.undispatched === 0 && outbox.unfinished === 0) break;
      await sleep(500);
      counts = await depth();
      outbox = await outboxPending();
    }
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    await sleep(1_000); // a late duplicate delivery would show up here
    clearInterval(sampler);
    clearInterval(heapSampler);
    await sampleHeap();
    sampleRss();

    // --- report
    const rows = [...recorder.routes.entries()].sort(([a], [b]) => a.localeCompare(b));
    const statusTotals = new Map<number, number>();
    for (const [, e] of rows) for (const [s, n] of e.statuses) statusTotals.set(s, (statusTotals.get(s) ?? 0) + n);
    const total = rows.reduce((s, [, e]) => s + e.ms.length, 0);
    const fiveXx = [...statusTotals].filter(([s]) => s >= 500).reduce((s, [, n]) => s + n, 0);
    const missing = [...approved.keys()].filter((id) => !web.deliveries.has(id));
    const duplicates = [...web.deliveries.values()].filter((n) => n > 1).length;
    const dbCounts = (
      await db.query<{ articles: number; revisions: number; comments: number; published: number; audit: number }>(
        `SELECT (SELECT count(*)::int FROM articles) AS articles, (SELECT count(*)::int FROM revisions) AS revisions,
                (SELECT count(*)::int FROM comments) AS comments, (SELECT count(*)::int FROM published_versions) AS published,
                (SELECT count(*)::int FROM audit_log) AS audit`,
      )
    ).rows[0];

    const out: string[] = [];
    const cpu = cpus();
    out.push(
      `## Soak: ${MINUTES} min (${new Date().toISOString()})`,
      '',
      `Machine ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, load average at start ${loadAverageAtStart.join(' / ')}, at end ${loadavg()
        .map((l) => round(l, 2))
        .join(
          ' / ',
        )}; Node ${process.version}. Load ${round(loadSeconds)} s: ${PUBLISHERS} publishing pipelines, ${WRITERS} writing editors, ${READERS} readers.`,
      '',
      `Requests: ${total}; by status: ${[...statusTotals]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s} × ${n}`)
        .join(', ')}; 5xx: ${fiveXx}; network errors: ${recorder.networkErrors}; failed steps: ${failures.length}.`,
      '',
      `Articles approved ${approved.size}, readable ${published.length}; webhooks verified ${[...web.deliveries.values()].reduce((s, n) => s + n, 0)} (missing ${missing.length}, duplicated ${duplicates}, rejected ${web.rejected}); reference requests ${web.referenceRequests}.`,
      `Rows at the end: ${dbCounts.articles} articles, ${dbCounts.revisions} revisions, ${dbCounts.comments} comments, ${dbCounts.published} published versions, ${dbCounts.audit} audit entries.`,
      '',
      '| route | requests | statuses | p50 ms | p95 ms | p99 ms | max ms |',
      '|---|---:|---|---:|---:|---:|---:|',
    );
    for (const [route, e] of rows) {
      const sorted = [...e.ms].sort((a, b) => a - b);
      out.push(
        `| ${route} | ${e.ms.length} | ${[...e.statuses].map(([s, n]) => `${s}×${n}`).join(' ')} | ${round(percentile(sorted, 50))} | ${round(percentile(sorted, 95))} | ${round(percentile(sorted, 99))} | ${round(sorted[sorted.length - 1] ?? 0)} |`,
      );
    }
    out.push(
      '',
      `RSS (MiB, every ${RSS_EVERY_MS / 1000} s, ${rss.length} samples):`,
      '',
      '| process | first | last | max | slope MiB/min | slope over 2nd half MiB/min |',
      '|---|---:|---:|---:|---:|---:|',
    );
    out.push(...trendRows(rss));
    out.push(
      '',
      `Heap in use after a full GC (MiB, every ${HEAP_EVERY_MS / 1000} s and after the drain, ${heap.length} samples):`,
      '',
      '| process | first | last | max | slope MiB/min | slope over 2nd half MiB/min |',
      '|---|---:|---:|---:|---:|---:|',
    );
    out.push(...trendRows(heap));
    out.push(
      '',
      `After a drain of ${round(drainSeconds)} s: queue depth (waiting+active+delayed+prioritized+waiting-children over ${QUEUE_NAMES.length} queues) ${sum(counts)}${
        sum(counts) > 0
          ? ` (${counts
              .filter(([, v]) => v.waiting + v.active + v.delayed + v.prioritized + v['waiting-children'] > 0)
              .map(([q, v]) => `${q} ${JSON.stringify(v)}`)
              .join('; ')})`
          : ''
      }; next runs of repeatable jobs waiting as delayed ${counts.reduce((s, [, v]) => s + v.scheduled, 0)} (not work left); outbox rows not dispatched ${outbox.undispatched}, not finished ${outbox.unfinished}.`,
    );
    if (failures.length > 0) out.push('', 'Failed steps:', ...failures.slice(0, 10).map((f) => `- ${f}`));
    process.stdout.write(`${out.join('\n')}\n`);

    const ok =
      fiveXx === 0 &&
      recorder.networkErrors === 0 &&
      failures.length === 0 &&
      missing.length === 0 &&
      duplicates === 0 &&
      web.rejected === 0 &&
      sum(counts) === 0 &&
      outbox.undispatched === 0 &&
      outbox.unfinished === 0;
    return ok ? 0 : 1;
  } finally {
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
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
