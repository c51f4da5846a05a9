/**
 * The readers' hot path against a floor: `npm run bench:public`.
 *
 * 1. A throwaway database `imprimatur_bench_public_<random>` with 1,000 live documents in
 *    `public_articles`, as publishing writes them (~3.5 KB each).
 * 2. The real API (createApiApp: Fastify, the Nest pipeline, logs at warn, no OpenAPI docs) in a child
 *    process on its own loopback port, so that autocannon, in this process, does not share its event
 *    loop. After reading every document once (and a short unreported warm-up), autocannon with 64
 *    connections for BENCH_DURATION_S (default 10 s):
 *    - GET /public/articles/:slug, a different slug on every request → 200 with the document;
 *    - the same with the slug's own ETag in If-None-Match → 304.
 * 3. The API is stopped; a minimal `node:http` server in a child process serves the very bytes the API
 *    answered (same content-type, etag and cache-control; 304 on a matching If-None-Match) from a Map
 *    in memory, and gets the same two runs. The ratio API ÷ baseline says what the framework, the
 *    per-request work and the database lookup cost against a server that does nothing else.
 *
 * Latencies are recorded per response (autocannon's histogram keeps whole milliseconds). Each run also
 * reports the server's CPU time per request (its process.cpuUsage over the run, asked over IPC) and how
 * busy autocannon's event loop was (near 1: the load generator, not the server, is the bound). Prints a
 * JSON summary on stdout (progress on stderr); exits 1 when a 200 run saw an error or a non-2xx
 * answer, or a 304 run anything but 304s. The database and this run's Redis keys
 * (`imprimatur-bench-<random>:*`, SCAN + UNLINK) are removed at the end.
 *
 * Env: DATABASE_URL (only its server and credentials are used; default postgres://postgres@127.0.0.1:5432/postgres),
 * REDIS_URL, BENCH_DURATION_S.
 */
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '@imprimatur/config';
import { prepareDatabase } from '@imprimatur/database';
import { createApiApp } from '../apps/api/src/app.factory';
import { deleteKeys } from './support';

const ARTICLES = 1_000;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARM_UP_S = 2;
const CONNECTIONS = 64;
const HOST = '127.0.0.1';
const PATH = /^\/public\/articles\/([a-z0-9-]+)$/;

const log = (message: string) => process.stderr.write(`[bench:public] ${message}\n`);
const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------------------------------------
// Child roles.

type ChildMessage =
  | { type: 'documents'; documents: ServedDocument[]; contentType: string; cacheControl: string }
  | { type: 'cpu' }
  | { type: 'stop' };

/** CPU time this process has used so far (user + system), in microseconds. */
const cpuMicros = (): number => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

interface ServedDocument {
  slug: string;
  body: string;
  etag: string;
}

/** The API exactly as `main` builds it, on PORT/HOST from the environment. */
async function serveApi(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApiApp(config);
  // Every statement the API sends takes a connection from this pool: its acquisitions count the queries.
  let queries = 0;
  (app.get(DataSource).driver as unknown as { master: Pool }).master.on('acquire', () => queries++);
  await app.listen(config.port, config.host);
  process.on('message', (message: ChildMessage) => {
    if (message.type === 'cpu') process.send?.({ type: 'cpu', micros: cpuMicros(), queries });
    else if (message.type === 'stop') void app.close().then(() => process.exit(0));
  });
  process.send?.({ type: 'ready' });
}

/** The floor: the same bytes and headers from a Map, nothing else (no routing, validation, logging, database). */
function serveBaseline(): void {
  const port = Number(process.env.PORT);
  const bySlug = new Map<string, { body: Buffer; etag: string }>();
  let contentType = '';
  let cacheControl = '';
  const server = createServer((req, res) => {
    const slug = PATH.exec(req.url ?? '')?.[1];
    const doc = slug === undefined ? undefined : bySlug.get(slug);
    if (!doc) {
      res.writeHead(404).end();
      return;
    }
    res.setHeader('etag', doc.etag);
    res.setHeader('cache-control', cacheControl);
    if (req.headers['if-none-match'] === doc.etag) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { 'content-type': contentType, 'content-length': doc.body.length }).end(doc.body);
  });
  server.keepAliveTimeout = 30_000;
  process.on('message', (message: ChildMessage) => {
    if (message.type === 'documents') {
      for (const d of message.documents) bySlug.set(d.slug, { body: Buffer.from(d.body), etag: d.etag });
      contentType = message.contentType;
      cacheControl = message.cacheControl;
      server.listen(port, HOST, () => process.send?.({ type: 'ready' }));
    } else if (message.type === 'cpu') {
      process.send?.({ type: 'cpu', micros: cpuMicros() });
    } else {
      server.closeAllConnections();
      server.close(() => process.exit(0));
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Driver.

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

class Child {
  private constructor(
    private readonly child: ChildProcess,
    readonly origin: string,
  ) {}

  /** Forks this file in `role`; its stdout goes to our stderr, so that our stdout stays JSON. */
  static async start(role: 'api' | 'baseline', env: NodeJS.ProcessEnv, first?: ChildMessage): Promise<Child> {
    const port = await freePort();
    const child = fork(__filename, [role], {
      env: { ...env, PORT: String(port), HOST },
      execArgv: process.execArgv,
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.stdout?.pipe(process.stderr);
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
      child.once('message', () => resolve());
      if (first) child.send(first);
    });
    child.removeAllListeners('exit');
    return new Child(child, `http://${HOST}:${port}`);
  }

  /** The server's CPU time so far, in microseconds, and the database queries it made (the baseline: none). */
  cpu(): Promise<{ micros: number; queries: number }> {
    return new Promise((resolve) => {
      const onMessage = (m: { type: string; micros?: number; queries?: number }) => {
        if (m.type !== 'cpu') return;
        this.child.off('message', onMessage);
        resolve({ micros: m.micros ?? 0, queries: m.queries ?? 0 });
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'cpu' });
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

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

interface RunResult {
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  throughputMiBPerSecond: number;
  /** The server process's CPU time per request (user + system), and its share of one core over the run. */
  serverCpu: { microsPerRequest: number; coreShare: number };
  /** Share of the run the bench process's event loop (autocannon) was busy: near 1, the load generator is the bound. */
  loadGeneratorBusy: number;
  /** Database queries the server made during the run (pool acquisitions). */
  databaseQueries: number;
}

/** autocannon, 64 connections, slug k = the k-th request mod 1,000; with `conditional`, that slug's ETag in If-None-Match. */
async function load(
  server: Child,
  documents: ServedDocument[],
  seconds: number,
  conditional: boolean,
): Promise<RunResult> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let i = 0;
  const cpuBefore = await server.cpu();
  const loop = performance.eventLoopUtilization();
  const started = performance.now();
  const result = await new Promise<Omit<RunResult, 'serverCpu' | 'loadGeneratorBusy' | 'databaseQueries'>>(
    (resolve, reject) => {
      const instance = autocannon(
        {
          url: server.origin,
          connections: CONNECTIONS,
          duration: seconds,
          requests: [
            {
              method: 'GET',
              setupRequest: (req) => {
                const doc = documents[i++ % documents.length];
                return {
                  ...req,
                  path: `/public/articles/${doc.slug}`,
                  headers: conditional ? { ...req.headers, 'if-none-match': doc.etag } : req.headers,
                };
              },
            },
          ],
        },
        (error, result) => {
          if (error) return reject(error instanceof Error ? error : new Error(String(error)));
          latencies.sort((a, b) => a - b);
          resolve({
            requests: latencies.length,
            requestsPerSecond: Math.round(latencies.length / (result.duration || seconds)),
            latencyMs: {
              p50: round(percentile(latencies, 50)),
              p90: round(percentile(latencies, 90)),
              p99: round(percentile(latencies, 99)),
              max: round(latencies[latencies.length - 1] ?? 0),
            },
            statusCodes,
            errors: result.errors,
            timeouts: result.timeouts,
            throughputMiBPerSecond: round(result.throughput.average / 1024 / 1024, 1),
          });
        },
      );
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        latencies.push(responseTime);
        statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      });
    },
  );
  const loadGeneratorBusy = round(performance.eventLoopUtilization(loop).utilization);
  const elapsedMicros = (performance.now() - started) * 1000;
  const cpuAfter = await server.cpu();
  const cpu = cpuAfter.micros - cpuBefore.micros;
  return {
    ...result,
    databaseQueries: cpuAfter.queries - cpuBefore.queries,
    serverCpu: {
      microsPerRequest: Math.round(cpu / Math.max(1, result.requests)),
      coreShare: round(cpu / elapsedMicros),
    },
    loadGeneratorBusy,
  };
}

/** The 200 run and the 304 run against one server, after an unreported warm-up. */
async function scenarios(
  label: string,
  server: Child,
  documents: ServedDocument[],
): Promise<{ ok200: RunResult; notModified304: RunResult }> {
  await load(server, documents, WARM_UP_S, false);
  const ok200 = await load(server, documents, DURATION_S, false);
  log(
    `${label} 200: ${ok200.requestsPerSecond} req/s, p50 ${ok200.latencyMs.p50} ms, p99 ${ok200.latencyMs.p99} ms; server ${ok200.serverCpu.microsPerRequest} µs CPU/request, ${ok200.databaseQueries} database queries, autocannon busy ${ok200.loadGeneratorBusy}`,
  );
  const notModified304 = await load(server, documents, DURATION_S, true);
  log(
    `${label} 304: ${notModified304.requestsPerSecond} req/s, p50 ${notModified304.latencyMs.p50} ms, p99 ${notModified304.latencyMs.p99} ms; server ${notModified304.serverCpu.microsPerRequest} µs CPU/request, ${notModified304.databaseQueries} database queries, autocannon busy ${notModified304.loadGeneratorBusy}`,
  );
  return { ok200, notModified304 };
}

function problemsOf(label: string, runs: { ok200: RunResult; notModified304: RunResult }): string[] {
  const problems: string[] = [];
  const { ok200, notModified304 } = runs;
  const non2xx = Object.entries(ok200.statusCodes).filter(([code]) => !code.startsWith('2'));
  if (ok200.errors > 0 || ok200.timeouts > 0 || non2xx.length > 0) {
    problems.push(
      `${label} 200 run: ${ok200.errors} errors, ${ok200.timeouts} timeouts, status codes ${JSON.stringify(ok200.statusCodes)}`,
    );
  }
  // Every document was read once before the runs: with the read cache, a 304 never needs the database.
  if (notModified304.databaseQueries > 0) {
    problems.push(`${label} 304 run: ${notModified304.databaseQueries} database queries`);
  }
  if (notModified304.errors > 0 || notModified304.requests !== (notModified304.statusCodes['304'] ?? 0)) {
    problems.push(
      `${label} 304 run: ${notModified304.errors} errors, status codes ${JSON.stringify(notModified304.statusCodes)}`,
    );
  }
  return problems;
}

async function main(): Promise<number> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const suffix = randomBytes(4).toString('hex');
  const name = `imprimatur_bench_public_${suffix}`;
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const adminUrl = new URL(base.toString());
  adminUrl.pathname = '/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const queuePrefix = `imprimatur-bench-public-${suffix}`;

  const loadAverageAtStart = loadavg().map((l) => round(l));
  let child: Child | null = null;
  const db = new Client({ connectionString: databaseUrl });
  try {
    log(`database ${name}`);
    await prepareDatabase(databaseUrl);
    await db.connect();
    const pgVersion = (await db.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    // Live documents as publishing writes them; the read path never looks further than this table.
    await db.query(
      `INSERT INTO users (email, name, password_hash, roles) VALUES ('bench@imprimatur.test', 'Bench', 'x', '{editor}')`,
    );
    await db.query(
      `INSERT INTO articles (slug, state, author_id, current_revision, current_content_hash, title)
       SELECT 'article-' || g, 'approved', (SELECT id FROM users LIMIT 1), 1, repeat('0', 64), 'Article ' || g
       FROM generate_series(1, $1) g`,
      [ARTICLES],
    );
    const body = '## From the Guidelines\n\n' + 'Surgery with clear margins is the standard [1]. '.repeat(60);
    await db.query(
      `INSERT INTO public_articles (slug, article_id, version, document, etag, updated_at)
       SELECT a.slug, a.id, 1, jsonb_build_object('slug', a.slug, 'title', a.title, 'version', 1, 'body', $1::text, 'bodyHtml', '<p>' || $1::text || '</p>',
              'references', '[]'::jsonb, 'reviewStatus', 'approved'), '"' || md5(a.slug) || '-1"', now()
       FROM articles a`,
      [body],
    );
    await db.query('ANALYZE public_articles');
    // The statement PublicationsRepository.liveBySlug runs.
    const plan = await db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, COSTS OFF) SELECT * FROM public_articles WHERE slug = 'article-500'`,
    );
    const planLines = plan.rows.map((r) => r['QUERY PLAN'].trim());
    log(`plan: ${planLines.join(' | ')}`);

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DOCS_ENABLED: 'false',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      SECRETS_KEY: randomBytes(32).toString('base64'),
    };

    // --- the API
    child = await Child.start('api', env);
    log(`API on ${child.origin}`);
    const documents: ServedDocument[] = [];
    const headerSets = new Set<string>();
    let responseHeaders: Record<string, string> = {};
    for (let n = 1; n <= ARTICLES; n++) {
      const res = await fetch(`${child.origin}/public/articles/article-${n}`);
      if (res.status !== 200) throw new Error(`GET article-${n} answered ${res.status}: ${await res.text()}`);
      const etag = res.headers.get('etag') ?? '';
      headerSets.add(`${res.headers.get('content-type')} | ${res.headers.get('cache-control')}`);
      documents.push({ slug: `article-${n}`, body: await res.text(), etag });
      if (n === 500) responseHeaders = Object.fromEntries(res.headers);
    }
    if (headerSets.size !== 1)
      throw new Error(`the API answered with differing headers: ${[...headerSets].join('; ')}`);
    const contentType = responseHeaders['content-type'];
    const cacheControl = responseHeaders['cache-control'];
    const api = await scenarios('API', child, documents);
    await child.stop();
    child = null;

    // --- the floor, one after the other on the same cores
    child = await Child.start('baseline', env, { type: 'documents', documents, contentType, cacheControl });
    log(`baseline on ${child.origin}`);
    const probe = await fetch(`${child.origin}/public/articles/article-500`);
    if ((await probe.text()) !== documents[499].body || probe.headers.get('etag') !== documents[499].etag)
      throw new Error('the baseline does not serve the API bytes');
    const baselineHeaders = Object.fromEntries(probe.headers);
    const baseline = await scenarios('baseline', child, documents);
    await child.stop();
    child = null;

    const cpu = cpus();
    const problems = [...problemsOf('API', api), ...problemsOf('baseline', baseline)];
    const ratio = (a: RunResult, b: RunResult) => ({
      requestsPerSecond: round(a.requestsPerSecond / b.requestsPerSecond),
      p50: round(a.latencyMs.p50 / b.latencyMs.p50),
      p99: round(a.latencyMs.p99 / b.latencyMs.p99),
    });
    const summary = {
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}`,
      /** 1, 5 and 15 minutes, before the run: other work on the machine shares the 2 cores. */
      loadAverageAtStart,
      node: process.version,
      postgres: pgVersion,
      articles: ARTICLES,
      documentBytes: Buffer.byteLength(documents[499].body),
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      queryPlan: planLines,
      headers: { api: responseHeaders, baseline: baselineHeaders },
      api,
      baseline,
      /** API ÷ baseline: req/s below 1 is the share of the floor the API reaches; latencies above 1 are how many times slower. */
      ratio: {
        ok200: ratio(api.ok200, baseline.ok200),
        notModified304: ratio(api.notModified304, baseline.notModified304),
      },
      problems,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await child?.stop().catch(() => undefined);
    await db.end().catch(() => undefined);
    const admin = new Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.end();
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
} else if (process.argv[2] === 'baseline') {
  serveBaseline();
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
