/**
 * The staff side of the API under load: `npm run bench:workflow` (WORKFLOW_SECONDS, default 30;
 * WORKFLOW_WARMUP_SECONDS, default 10).
 *
 * A throwaway database `imprimatur_bench_workflow_<random>` and Redis keys under
 * `imprimatur-bench-workflow-<random>`; the real API and the real worker each in a child process, with
 * OUTBOUND_ALLOW_HOSTS=127.0.0.1 and every reference URL on a loopback server of this process, so that the
 * worker's link checks of each new revision run for real without leaving the machine.
 *
 * Set-up through the API: 8 editors and 8 reviewers; 200 articles, two reviewers assigned to most, taken
 * through submit and start-review to under_review (the rest stay drafts, or submitted). Then CLIENTS (64)
 * clients on one keep-alive connection each, every one sending its next request a think time after the
 * previous one answered (WORKFLOW_THINK_MS): 40 desk clients (5 per editor account) and 24 board clients (3 per reviewer
 * account). Each client owns its articles, so that no two clients edit or sign the same one and a 409
 * stale_revision can only be a bug. A desk client lists, opens, edits (POST revisions on the base revision
 * it holds), comments, and now and then takes its article under review round withdraw → submit →
 * start-review. A board client lists its desk, opens what it reviews (the stored revision it would sign,
 * its comments), comments, and signs off with its password (argon2 on every sign-off, hence a small
 * share). Each article under review has two reviewers but only its owner signs, so the quorum of two is
 * never met and the articles stay under review for the whole run; a later approval replaces the earlier.
 *
 * The mix runs for WORKFLOW_WARMUP_SECONDS unrecorded, then WORKFLOW_SECONDS recorded (requests that
 * started in the window). Prints a markdown report on stdout (progress on stderr): per route p50/p95/p99,
 * the goal (p95 ≤ 50 ms, 0 errors), and where the CPU went. Exits 1 on any error: a 5xx, a network error
 * or any status but the expected one. The database and the Redis keys are removed at the end.
 *
 * Env: DATABASE_URL (only its server and credentials are used; default
 * postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL, WORKFLOW_SECONDS, WORKFLOW_WARMUP_SECONDS,
 * WORKFLOW_THINK_MS (mean pause between one client's requests, default 1000; 0 for a closed loop).
 */
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { Pool } from 'undici';
import { prepareDatabase } from '@imprimatur/database';
import {
  AppProcess,
  AppRole,
  cpuSecondsBetween,
  cpuSecondsByCommand,
  cpuSecondsOf,
  deleteKeys,
  freePort,
  machineCpuSeconds,
  percentile,
  serveApp,
} from './support';

const SECONDS = Number(process.env.WORKFLOW_SECONDS ?? 30);
/**
 * Mean pause between a client's requests (exponentially distributed, per client's seeded generator): the
 * time a person reads the answer before the next click. 0 makes every client send its next request at
 * once, a closed loop that measures capacity: then latency is 64 ÷ throughput by Little's law, whatever
 * the service does per request.
 */
const THINK_MS = Number(process.env.WORKFLOW_THINK_MS ?? 1000);
const WARM_UP_SECONDS = Number(process.env.WORKFLOW_WARMUP_SECONDS ?? 10);
const CLIENTS = 64;
const EDITORS = 8;
const REVIEWERS = 8;
const DESK_CLIENTS = 40;
const BOARD_CLIENTS = CLIENTS - DESK_CLIENTS;
/** Per desk client: two drafts and one article under review; per board client: three under review. */
const DESK_DRAFTS = 2;
const BOARD_ARTICLES = 3;
const ARTICLES = 200;
const SETUP_CONCURRENCY = 8;
const P95_GOAL_MS = 50;
const HOST = '127.0.0.1';
const ADMIN = { email: 'workflow-admin@imprimatur.test', password: 'workflow-admin-password' };
const PASSWORD = 'a-long-enough-password';
/** Shared by every database and run on the machine, so their CPU share is only this run's while nothing else runs. */
const SERVER_COMMANDS = ['postgres', 'redis-server'];

const log = (message: string) => process.stderr.write(`[bench:workflow] ${message}\n`);
const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Reference pages on loopback: every URL answers 200, so link checks pass without the internet. */
class LocalWeb {
  private readonly server: Server;
  port = 0;
  requests = 0;

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
    this.requests++;
    req.resume();
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': '0' }).end();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

interface RouteStats {
  ms: number[];
  statuses: Map<number, number>;
  errors: number;
}

/** Requests by route template; only those that started inside the measured window are kept. */
class Recorder {
  readonly routes = new Map<string, RouteStats>();
  readonly errorSamples: string[] = [];
  windowStart = Number.POSITIVE_INFINITY;
  networkErrors = 0;
  fiveXx = 0;
  /** Every unexpected answer, warm-up included: the exit code counts them all. */
  errorsAnyPhase = 0;

  private entry(route: string): RouteStats {
    let entry = this.routes.get(route);
    if (!entry) {
      entry = { ms: [], statuses: new Map(), errors: 0 };
      this.routes.set(route, entry);
    }
    return entry;
  }

  add(route: string, started: number, status: number, ms: number, error: string | null): void {
    if (error !== null) {
      this.errorsAnyPhase++;
      if (status >= 500) this.fiveXx++;
      if (this.errorSamples.length < 10) this.errorSamples.push(`${route}: ${error}`);
    }
    if (started < this.windowStart) return;
    const entry = this.entry(route);
    entry.ms.push(ms);
    entry.statuses.set(status, (entry.statuses.get(status) ?? 0) + 1);
    if (error !== null) entry.errors++;
  }

  network(route: string, started: number, error: unknown): void {
    this.networkErrors++;
    this.errorsAnyPhase++;
    if (this.errorSamples.length < 10) this.errorSamples.push(`${route}: ${(error as Error).message}`);
    if (started >= this.windowStart) this.entry(route).errors++;
  }
}

class RequestFailed extends Error {}

/** One staff member's connection: a bearer token and the recorder every answer goes to. */
class Api {
  constructor(
    private readonly pool: Pool,
    private readonly recorder: Recorder,
    readonly token: string | null,
  ) {}

  as(token: string): Api {
    return new Api(this.pool, this.recorder, token);
  }

  /** Sends one request and records it under `route`; throws RequestFailed unless it answered `expected`. */
  async call<T>(route: string, method: string, path: string, body: unknown, expected: number): Promise<T> {
    const started = performance.now();
    let status: number;
    let text: string;
    try {
      const res = await this.pool.request({
        method,
        path,
        headers: {
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (error) {
      this.recorder.network(route, started, error);
      throw new RequestFailed(`${method} ${path}: ${(error as Error).message}`);
    }
    const ms = performance.now() - started;
    const error = status === expected ? null : `${method} ${path} answered ${status}: ${text.slice(0, 300)}`;
    this.recorder.add(route, started, status, ms, error);
    if (error !== null) throw new RequestFailed(error);
    return (text ? JSON.parse(text) : null) as T;
  }
}

interface ArticleView {
  id: string;
  state: string;
  currentRevision: number;
  currentContentHash: string;
}

interface Person {
  id: string;
  email: string;
  token: string;
}

function content(web: LocalWeb, tag: string, revision: number) {
  const page = tag.replace(/\W+/g, '-');
  return {
    title: `Can leiomyosarcoma be treated? ${tag}`,
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
    // The same URLs in every revision of an article, as in most real edits: the worker's per-URL cache
    // answers them after the first check.
    references: [
      {
        type: 'guideline',
        title: 'Soft tissue sarcoma guideline',
        source: 'Annals of Oncology',
        year: 2021,
        url: web.url(`/ref/${page}/a`),
      },
      {
        type: 'research',
        title: 'Chemotherapy for advanced leiomyosarcoma',
        source: 'Frontiers in Oncology',
        year: 2023,
        url: web.url(`/ref/${page}/b`),
      },
      {
        type: 'research',
        title: 'Trabectedin after doxorubicin',
        source: 'Lancet Oncology',
        year: 2022,
        url: web.url(`/ref/${page}/c`),
      },
    ],
    specialties: ['oncology'],
    changeNote: `revision ${revision}`,
  };
}

/** A small seeded generator (mulberry32), so that every run draws the same mix. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Action = () => Promise<unknown>;

/** Picks one of `actions` with probability proportional to its weight. */
/** A person's pause before the next request, drawn from `next`. */
function think(next: () => number): Promise<void> | undefined {
  if (THINK_MS <= 0) return undefined;
  return sleep(-THINK_MS * Math.log(1 - next()));
}

function weighted(next: () => number, actions: readonly [number, Action][]): Action {
  const total = actions.reduce((s, [w]) => s + w, 0);
  let r = next() * total;
  for (const [w, action] of actions) {
    r -= w;
    if (r < 0) return action;
  }
  return actions[actions.length - 1][1];
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** An article a client owns, with what it knows of it: its own writes are the only ones, so this stays true. */
interface Owned {
  id: string;
  tag: string;
  state: string;
  revision: number;
  contentHash: string;
  /** Reviewers assigned, by whom the desk client's review round is started. */
  reviewers: Person[];
  lastCommentId: string | null;
}

async function main(): Promise<number> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const suffix = randomBytes(4).toString('hex');
  const name = `imprimatur_bench_workflow_${suffix}`;
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const adminUrl = new URL(base.toString());
  adminUrl.pathname = '/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const queuePrefix = `imprimatur-bench-workflow-${suffix}`;
  const loadAverageAtStart = loadavg().map((l) => round(l, 2));

  const web = new LocalWeb();
  const recorder = new Recorder();
  let api: AppProcess | null = null;
  let worker: AppProcess | null = null;
  let pool: Pool | null = null;
  const db = new Client({ connectionString: databaseUrl });
  try {
    log(`database ${name}, queue prefix ${queuePrefix}; ${WARM_UP_SECONDS} s warm-up, ${SECONDS} s measured`);
    await prepareDatabase(databaseUrl);
    await db.connect();
    await web.listen();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DOCS_ENABLED: 'false',
      HOST,
      PORT: String(await freePort(HOST)),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      SECRETS_KEY: randomBytes(32).toString('base64'),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      REQUIRED_SIGNOFFS: '2',
      OUTBOUND_ALLOW_HOSTS: HOST,
      LINK_CHECK_HOST_SPACING_MS: '0',
      DOI_RESOLVER_URL: web.url('/doi'),
      PUBMED_URL: web.url('/pubmed'),
      CROSSREF_API_URL: web.url('/crossref'),
      EUTILS_URL: web.url('/eutils'),
      PUBLIC_BASE_URL: 'https://medical.example',
    };
    const starting = [AppProcess.start(__filename, 'api', env), AppProcess.start(__filename, 'worker', env)] as const;
    const settled = await Promise.allSettled(starting);
    // Whichever one started is stopped in `finally`, even when the other did not start.
    api = settled[0].status === 'fulfilled' ? settled[0].value : null;
    worker = settled[1].status === 'fulfilled' ? settled[1].value : null;
    for (const result of settled) if (result.status === 'rejected') throw result.reason;
    const [apiChild, workerChild] = await Promise.all(starting);
    // One connection per client (closed loop: a client never has two requests in flight).
    pool = new Pool(`http://${HOST}:${apiChild.port}`, { connections: CLIENTS, pipelining: 1 });
    const anonymous = new Api(pool, recorder, null);

    // --- set-up, through the API (recorded under the set-up phase, so not in the report's table)
    const login = async (email: string, password: string) =>
      (
        await anonymous.call<{ accessToken: string }>(
          'POST /auth/login',
          'POST',
          '/auth/login',
          { email, password },
          200,
        )
      ).accessToken;
    const admin = anonymous.as(await login(ADMIN.email, ADMIN.password));
    const person = async (role: 'editor' | 'reviewer', i: number): Promise<Person> => {
      const email = `${role}-${i}-${suffix}@imprimatur.test`;
      const { id } = await admin.call<{ id: string }>(
        'POST /users',
        'POST',
        '/users',
        {
          email,
          password: PASSWORD,
          name: role === 'editor' ? `Ed Desk ${i}` : `Dr Board ${i}`,
          roles: [role],
          ...(role === 'reviewer' ? { credentials: 'MD' } : {}),
        },
        201,
      );
      return { id, email, token: await login(email, PASSWORD) };
    };
    const editors: Person[] = [];
    const reviewers: Person[] = [];
    // Sequential: each creation and login is an argon2 hash or verify, and they would only queue.
    for (let i = 0; i < EDITORS; i++) editors.push(await person('editor', i));
    for (let i = 0; i < REVIEWERS; i++) reviewers.push(await person('reviewer', i));

    type Plan = {
      tag: string;
      editor: Person;
      reviewers: Person[];
      target: 'draft' | 'submitted' | 'under_review';
      owner: { kind: 'desk' | 'board'; client: number } | null;
    };
    const plans: Plan[] = [];
    const pair = (i: number) => [reviewers[i % REVIEWERS], reviewers[(i + 1) % REVIEWERS]];
    for (let c = 0; c < DESK_CLIENTS; c++) {
      const editor = editors[c % EDITORS];
      for (let d = 0; d < DESK_DRAFTS; d++)
        plans.push({
          tag: `desk ${c}.${d}`,
          editor,
          reviewers: [],
          target: 'draft',
          owner: { kind: 'desk', client: c },
        });
      plans.push({
        tag: `desk ${c}.r`,
        editor,
        reviewers: pair(c),
        target: 'under_review',
        owner: { kind: 'desk', client: c },
      });
    }
    for (let b = 0; b < BOARD_CLIENTS; b++) {
      for (let k = 0; k < BOARD_ARTICLES; k++)
        plans.push({
          tag: `board ${b}.${k}`,
          editor: editors[(b + k) % EDITORS],
          // The owner first: it is the one that signs.
          reviewers: pair(b % REVIEWERS),
          target: 'under_review',
          owner: { kind: 'board', client: b },
        });
    }
    // The rest wait, submitted, for a review nobody starts: they fill the reviewers' task lists.
    for (let i = 0; plans.length < ARTICLES; i++)
      plans.push({
        tag: `queue ${i}`,
        editor: editors[i % EDITORS],
        reviewers: pair(i),
        target: 'submitted',
        owner: null,
      });

    const desk: Owned[][] = Array.from({ length: DESK_CLIENTS }, () => []);
    const board: Owned[][] = Array.from({ length: BOARD_CLIENTS }, () => []);
    const allIds: string[] = [];
    const setupStarted = performance.now();
    await inBatches(plans, SETUP_CONCURRENCY, async (plan) => {
      const editor = anonymous.as(plan.editor.token);
      let article = await editor.call<ArticleView>(
        'POST /articles',
        'POST',
        '/articles',
        content(web, plan.tag, 1),
        201,
      );
      const path = `/articles/${article.id}`;
      if (plan.reviewers.length > 0)
        await admin.call(
          'PUT /articles/:id/reviewers',
          'PUT',
          `${path}/reviewers`,
          { reviewerIds: plan.reviewers.map((r) => r.id) },
          200,
        );
      if (plan.target !== 'draft')
        article = await editor.call<ArticleView>('POST /articles/:id/submit', 'POST', `${path}/submit`, {}, 200);
      if (plan.target === 'under_review')
        article = await anonymous
          .as(plan.reviewers[0].token)
          .call<ArticleView>('POST /articles/:id/start-review', 'POST', `${path}/start-review`, undefined, 200);
      allIds.push(article.id);
      if (!plan.owner) return;
      (plan.owner.kind === 'desk' ? desk : board)[plan.owner.client].push({
        id: article.id,
        tag: plan.tag,
        state: article.state,
        revision: article.currentRevision,
        contentHash: article.currentContentHash,
        reviewers: plan.reviewers,
        lastCommentId: null,
      });
    });
    // Set-up finishes in any order: sorted, the seeded clients open the same articles in every run.
    allIds.sort();
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    log(`set-up: ${plans.length} articles in ${round(setupSeconds)} s`);

    // --- the clients
    const failures: string[] = [];
    let stopAt = 0;

    const deskClient = async (c: number) => {
      const me = editors[c % EDITORS];
      const http = anonymous.as(me.token);
      const next = random(1_000 + c);
      const own = desk[c];
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
      const anyArticle = () => `/articles/${pick(allIds)}`;
      const edit = async () => {
        const article = pick(own);
        const revision = await http.call<{ number: number; contentHash: string }>(
          'POST /articles/:id/revisions',
          'POST',
          `/articles/${article.id}/revisions`,
          { ...content(web, article.tag, article.revision + 1), baseRevision: article.revision },
          201,
        );
        article.revision = revision.number;
        article.contentHash = revision.contentHash;
      };
      const comment = async () => {
        const article = pick(own);
        const reply = article.lastCommentId !== null && next() < 0.3;
        const created = await http.call<{ id: string }>(
          'POST /articles/:id/comments',
          'POST',
          `/articles/${article.id}/comments`,
          reply
            ? { body: 'Clarified in the latest revision.', parentId: article.lastCommentId }
            : { body: 'Check this dose against the guideline.', anchor: { quote: 'Radiotherapy may be added' } },
          201,
        );
        article.lastCommentId = created.id;
      };
      // Round the article that has reviewers: under_review → withdraw → draft → submit → submitted → start-review.
      const roundTrip = async () => {
        const article = own.find((a) => a.reviewers.length > 0);
        if (!article) return;
        const path = `/articles/${article.id}`;
        let view: ArticleView;
        if (article.state === 'under_review')
          view = await http.call<ArticleView>(
            'POST /articles/:id/withdraw',
            'POST',
            `${path}/withdraw`,
            undefined,
            200,
          );
        else if (article.state === 'draft')
          view = await http.call<ArticleView>('POST /articles/:id/submit', 'POST', `${path}/submit`, {}, 200);
        else
          view = await http
            .as(article.reviewers[0].token)
            .call<ArticleView>('POST /articles/:id/start-review', 'POST', `${path}/start-review`, undefined, 200);
        article.state = view.state;
      };
      const actions: [number, Action][] = [
        [6, () => http.call('GET /articles', 'GET', '/articles', undefined, 200)],
        [
          3,
          () =>
            http.call(
              'GET /articles?state=',
              'GET',
              `/articles?state=${pick(['draft', 'under_review'])}`,
              undefined,
              200,
            ),
        ],
        [4, () => http.call('GET /articles?authorId=', 'GET', `/articles?authorId=${me.id}`, undefined, 200)],
        [
          2,
          () => http.call('GET /articles?q=', 'GET', `/articles?q=${encodeURIComponent(`desk ${c}.`)}`, undefined, 200),
        ],
        [1, () => http.call('GET /articles?reviewDue=true', 'GET', '/articles?reviewDue=true', undefined, 200)],
        [5, () => http.call('GET /me/tasks', 'GET', '/me/tasks', undefined, 200)],
        [3, () => http.call('GET /me/notifications', 'GET', '/me/notifications?unread=true', undefined, 200)],
        [8, () => http.call('GET /articles/:id', 'GET', anyArticle(), undefined, 200)],
        [7, () => http.call('GET /articles/:id', 'GET', `/articles/${pick(own).id}`, undefined, 200)],
        [
          10,
          () => http.call('GET /articles/:id/revisions', 'GET', `/articles/${pick(own).id}/revisions`, undefined, 200),
        ],
        [
          10,
          () => http.call('GET /articles/:id/comments', 'GET', `/articles/${pick(own).id}/comments`, undefined, 200),
        ],
        [20, edit],
        [12, comment],
        [3, roundTrip],
      ];
      while (performance.now() < stopAt) {
        await think(next);
        if (performance.now() >= stopAt) break;
        try {
          await weighted(next, actions)();
        } catch (error) {
          failures.push(`desk ${c}: ${(error as Error).message}`);
          // What this client knows of its articles may be wrong now: read them again before going on.
          for (const article of own) {
            const view = await http
              .call<ArticleView>('GET /articles/:id', 'GET', `/articles/${article.id}`, undefined, 200)
              .catch(() => null);
            if (view) Object.assign(article, { state: view.state, revision: view.currentRevision });
          }
        }
      }
    };

    const boardClient = async (b: number) => {
      const me = reviewers[b % REVIEWERS];
      const http = anonymous.as(me.token);
      const next = random(2_000 + b);
      const own = board[b];
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
      const comment = async () => {
        const article = pick(own);
        const reply = article.lastCommentId !== null && next() < 0.3;
        const created = await http.call<{ id: string }>(
          'POST /articles/:id/comments',
          'POST',
          `/articles/${article.id}/comments`,
          reply
            ? { body: 'Agreed; no further concerns.', parentId: article.lastCommentId }
            : { body: 'Is the margin recommendation graded?', anchor: { quote: 'clear margins' } },
          201,
        );
        article.lastCommentId = created.id;
      };
      const signOff = async () => {
        const article = pick(own);
        await http.call(
          'POST /articles/:id/signoffs',
          'POST',
          `/articles/${article.id}/signoffs`,
          { decision: 'approve', revision: article.revision, contentHash: article.contentHash, password: PASSWORD },
          201,
        );
      };
      const actions: [number, Action][] = [
        [
          10,
          () =>
            http.call(
              'GET /articles?reviewerId=&state=',
              'GET',
              `/articles?reviewerId=${me.id}&state=under_review`,
              undefined,
              200,
            ),
        ],
        [3, () => http.call('GET /articles?state=', 'GET', '/articles?state=submitted', undefined, 200)],
        [8, () => http.call('GET /me/tasks', 'GET', '/me/tasks', undefined, 200)],
        [4, () => http.call('GET /me/notifications', 'GET', '/me/notifications?unread=true', undefined, 200)],
        [15, () => http.call('GET /articles/:id', 'GET', `/articles/${pick(own).id}`, undefined, 200)],
        [
          10,
          () => {
            const article = pick(own);
            return http.call(
              'GET /articles/:id/revisions/:n',
              'GET',
              `/articles/${article.id}/revisions/${article.revision}`,
              undefined,
              200,
            );
          },
        ],
        [
          5,
          () => http.call('GET /articles/:id/revisions', 'GET', `/articles/${pick(own).id}/revisions`, undefined, 200),
        ],
        [
          12,
          () => http.call('GET /articles/:id/comments', 'GET', `/articles/${pick(own).id}/comments`, undefined, 200),
        ],
        [20, comment],
        // About 1 % of all requests: a reviewer signs once after reading a good deal, and each signature's
        // argon2 verify costs ~30 ms of CPU (19 MiB, 2 passes, 1 lane) here, so more would be a password benchmark.
        [2, signOff],
      ];
      while (performance.now() < stopAt) {
        await think(next);
        if (performance.now() >= stopAt) break;
        try {
          await weighted(next, actions)();
        } catch (error) {
          failures.push(`board ${b}: ${(error as Error).message}`);
        }
      }
    };

    const runClients = (seconds: number) => {
      stopAt = performance.now() + seconds * 1000;
      return Promise.all([
        ...Array.from({ length: DESK_CLIENTS }, (_, c) => deskClient(c)),
        ...Array.from({ length: BOARD_CLIENTS }, (_, b) => boardClient(b)),
      ]);
    };

    log(`warm-up: ${WARM_UP_SECONDS} s`);
    await runClients(WARM_UP_SECONDS);
    const warmUpFailures = failures.length;

    log(`measuring: ${SECONDS} s`);
    const self = process.pid;
    const cpuBefore = {
      machine: machineCpuSeconds(),
      api: apiChild.cpuSeconds(),
      worker: workerChild.cpuSeconds(),
      bench: cpuSecondsOf(self),
      servers: cpuSecondsByCommand(SERVER_COMMANDS),
    };
    const elu = performance.eventLoopUtilization();
    const windowStart = performance.now();
    recorder.windowStart = windowStart;
    const progress = setInterval(() => {
      const total = [...recorder.routes.values()].reduce((s, e) => s + e.ms.length, 0);
      log(`${round((performance.now() - windowStart) / 1000, 0)} s: ${total} requests, ${failures.length} failures`);
    }, 10_000);
    await runClients(SECONDS);
    clearInterval(progress);
    const windowSeconds = (performance.now() - windowStart) / 1000;
    const benchLoop = performance.eventLoopUtilization(elu).utilization;
    const machineAfter = machineCpuSeconds();
    const cpu = {
      machineBusy: machineAfter.busy - cpuBefore.machine.busy,
      machineTotal: machineAfter.total - cpuBefore.machine.total,
      api: apiChild.cpuSeconds() - cpuBefore.api,
      worker: workerChild.cpuSeconds() - cpuBefore.worker,
      bench: cpuSecondsOf(self) - cpuBefore.bench,
      servers: cpuSecondsBetween(cpuBefore.servers, cpuSecondsByCommand(SERVER_COMMANDS)),
    };
    const loadAverageAtEnd = loadavg().map((l) => round(l, 2));

    const dbCounts = (
      await db.query<{ revisions: number; comments: number; signoffs: number; audit: number }>(
        `SELECT (SELECT count(*)::int FROM revisions) AS revisions, (SELECT count(*)::int FROM comments) AS comments,
                (SELECT count(*)::int FROM signoffs) AS signoffs, (SELECT count(*)::int FROM audit_log) AS audit`,
      )
    ).rows[0];

    // --- report
    const rows = [...recorder.routes.entries()].sort(([a], [b]) => a.localeCompare(b));
    const total = rows.reduce((s, [, e]) => s + e.ms.length, 0);
    const errors = rows.reduce((s, [, e]) => s + e.errors, 0);
    const all = rows.flatMap(([, e]) => e.ms).sort((a, b) => a - b);
    const over = rows
      .filter(
        ([, e]) =>
          percentile(
            [...e.ms].sort((a, b) => a - b),
            95,
          ) > P95_GOAL_MS,
      )
      .map(([r]) => r);
    const cpuModel = cpus()[0]?.model.trim() ?? 'CPU';
    const share = (seconds: number) => `${round((100 * seconds) / windowSeconds, 0)} %`;
    const out: string[] = [
      `## Workflow: ${CLIENTS} staff clients, ${THINK_MS > 0 ? `mean think time ${THINK_MS} ms` : 'no think time (closed loop)'}, ${SECONDS} s (${new Date().toISOString()})`,
      '',
      `Machine ${cpus().length} × ${cpuModel}, load average at start ${loadAverageAtStart.join(' / ')}, at end ${loadAverageAtEnd.join(' / ')}; Node ${process.version}.`,
      `Set-up ${round(setupSeconds)} s (${plans.length} articles, ${EDITORS} editors, ${REVIEWERS} reviewers); warm-up ${WARM_UP_SECONDS} s (${warmUpFailures} failures); measured ${round(windowSeconds)} s.`,
      '',
      `Requests: ${total} (${round(total / windowSeconds, 0)}/s); errors: ${errors} (any phase: unexpected answers ${recorder.errorsAnyPhase}, of them 5xx ${recorder.fiveXx}, network ${recorder.networkErrors}; failed client steps ${failures.length}). Goal p95 ≤ ${P95_GOAL_MS} ms on every route and 0 errors: ${over.length === 0 && recorder.errorsAnyPhase === 0 && failures.length === 0 ? 'met' : `not met${over.length > 0 ? ` (over: ${over.join(', ')})` : ''}`}.`,
      '',
      '| route | requests | share | statuses | p50 ms | p95 ms | p99 ms | max ms |',
      '|---|---:|---:|---|---:|---:|---:|---:|',
    ];
    for (const [route, e] of rows) {
      const sorted = [...e.ms].sort((a, b) => a - b);
      out.push(
        `| ${route} | ${e.ms.length} | ${round((100 * e.ms.length) / total)} % | ${[...e.statuses].map(([s, n]) => `${s}×${n}`).join(' ')} | ${round(percentile(sorted, 50))} | ${round(percentile(sorted, 95))} | ${round(percentile(sorted, 99))} | ${round(sorted[sorted.length - 1] ?? 0)} |`,
      );
    }
    out.push(
      `| **all** | ${total} | 100 % | | ${round(percentile(all, 50))} | ${round(percentile(all, 95))} | ${round(percentile(all, 99))} | ${round(all[all.length - 1] ?? 0)} |`,
      '',
      `CPU over the window (of ${cpus().length} cores; 100 % = one core): machine busy ${share(cpu.machineBusy)} of ${share(cpu.machineTotal)}; API ${share(cpu.api)}, worker ${share(cpu.worker)}, this load generator ${share(cpu.bench)} (its event loop ${round(benchLoop * 100, 0)} % busy), PostgreSQL and Redis ${share(cpu.servers)}, anything else on the machine ${share(cpu.machineBusy - cpu.api - cpu.worker - cpu.bench - cpu.servers)}.`,
      `Rows at the end: ${dbCounts.revisions} revisions, ${dbCounts.comments} comments, ${dbCounts.signoffs} sign-offs, ${dbCounts.audit} audit entries; reference requests served ${web.requests}.`,
    );
    if (recorder.errorSamples.length > 0)
      out.push('', 'First errors:', ...recorder.errorSamples.map((e) => `- ${e.replace(/\n/g, ' ')}`));
    process.stdout.write(`${out.join('\n')}\n`);
    return recorder.errorsAnyPhase === 0 && failures.length === 0 ? 0 : 1;
  } finally {
    await pool?.close().catch(() => undefined);
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

const role = process.argv[2] as AppRole | undefined;
if (require.main !== module) {
  // imported: do nothing
} else if (role === 'api' || role === 'worker') {
  serveApp(role).catch((error: unknown) => {
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
