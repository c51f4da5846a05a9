/**
 * Link checker benchmark: how many links the workers check per second, whether every host's limit
 * holds while they do, and how that compares with linkinator at the same total concurrency.
 *
 * Ten HTTP servers, one per loopback address 127.0.0.11 … 127.0.0.20 (ten host names for the
 * limiter), answer every request 200 after 20 ms, in a child process (bench/link-hosts.ts) so the
 * checker has this process to itself. Revisions have 10 links each, all on one host, and arrive
 * grouped by host (revisions 0–9 cite host 1, 10–19 host 2 …), as articles cite the same sites. Each
 * revision is a BullMQ job on a real queue, run by a Worker with the worker's CHECK_JOBS_AT_ONCE,
 * through the production path: checkLinks (every link at once) → SharedResultCache → LinkChecker →
 * HostLimiter on Redis → SafeHttpClient. The database write that ends a real check is left out.
 *
 * Scenarios (after an unreported warm-up, as a long-running worker is warm):
 * - `host-4`: 1,000 distinct links, 4 in flight per host, no spacing (ceiling 2,000 links/s).
 * - `linkinator`: the same 1,000 links on one page, linkinator (HEAD, no per-host limit) at
 *   concurrency 40, the total the limiter allows in `host-4`.
 * - `host-2-spacing-100`: 1,000 links, 2 per host, 100 ms between starts (ceiling ~100 links/s).
 * - `production`: 100 links at the defaults (2 per host, 250 ms).
 * - `cache`: 1,000 checks of the same 10 URLs: the shared cache must fetch each URL once.
 *
 * Prints a JSON summary; exits 1 when a host saw more requests in flight than its limit, a link was
 * not ok, or a URL was fetched more than once. Traffic stays on loopback; the Redis keys live under a
 * random `imprimatur-bench-*` prefix and are deleted (SCAN + UNLINK on that prefix) at the end.
 *
 * Run: npm run bench:links   (REDIS_URL, default redis://127.0.0.1:6379; LINKS_BENCH_ONLY=host-4,linkinator)
 */
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { check as linkinatorCheck, LinkState } from 'linkinator';
import { CHECK_JOBS_AT_ONCE } from '@imprimatur/checks/links-check.service';
import type { LinkTarget } from '@imprimatur/checks/links/targets';
import { redisOptions } from '@imprimatur/queue/connection';
import type { HostStats, HostsMessage } from './link-hosts';
import { PRODUCTION, WorkerMessage, WorkerStart, WorkerStats } from './link-worker';
import { deleteKeys, percentile } from './support';

const HOSTS = Array.from({ length: 10 }, (_, i) => `127.0.0.${11 + i}`);
const LATENCY_MS = 20;
const LINKS_PER_REVISION = 10;
const WATCHDOG_MS = 180_000;
/** Set by SIGINT/SIGTERM: the handler cleans up and exits, whatever the checks still running do. */
let stopping = false;

interface Scenario {
  name: string;
  checker: 'imprimatur' | 'linkinator';
  /** How many links are checked. */
  links: number;
  /** How many distinct URLs they are (links when every link is its own URL). */
  urls: number;
  /** Per host (imprimatur), or in total (linkinator, which has no per-host limit). */
  concurrency: number;
  hostSpacingMs: number;
  /** Worker processes running the jobs (imprimatur); default 1. */
  workers?: number;
}

const WARM_UP: Scenario = {
  name: 'warm-up',
  checker: 'imprimatur',
  links: 300,
  urls: 300,
  concurrency: 4,
  hostSpacingMs: 0,
};
const SCENARIOS: Scenario[] = [
  { name: 'host-4', checker: 'imprimatur', links: 1_000, urls: 1_000, concurrency: 4, hostSpacingMs: 0 },
  {
    name: 'host-4-two-workers',
    checker: 'imprimatur',
    links: 1_000,
    urls: 1_000,
    concurrency: 4,
    hostSpacingMs: 0,
    workers: 2,
  },
  { name: 'linkinator', checker: 'linkinator', links: 1_000, urls: 1_000, concurrency: 40, hostSpacingMs: 0 },
  {
    name: 'host-2-spacing-100',
    checker: 'imprimatur',
    links: 1_000,
    urls: 1_000,
    concurrency: 2,
    hostSpacingMs: 100,
  },
  { name: 'production', checker: 'imprimatur', links: 100, urls: 100, concurrency: 2, hostSpacingMs: 250 },
  { name: 'cache', checker: 'imprimatur', links: 1_000, urls: HOSTS.length, concurrency: 4, hostSpacingMs: 0 },
];

/** The hosts' child process, asked over IPC. */
class Hosts {
  private constructor(
    private readonly child: ChildProcess,
    readonly ports: Record<string, number>,
  ) {}

  static async start(): Promise<Hosts> {
    const child = fork(`${__dirname}/link-hosts.ts`, [], {
      execArgv: ['-r', `${__dirname}/register.cjs`],
      env: { ...process.env, LINK_HOSTS: HOSTS.join(','), LATENCY_MS: String(LATENCY_MS) },
    });
    const [message] = (await once(child, 'message')) as [HostsMessage];
    if (message.type !== 'ready') throw new Error(`link hosts: unexpected ${message.type}`);
    return new Hosts(child, message.ports);
  }

  private async ask<T extends HostsMessage['type']>(
    message: object,
    answer: T,
  ): Promise<Extract<HostsMessage, { type: T }>> {
    this.child.send(message);
    for (;;) {
      const [reply] = (await once(this.child, 'message')) as [HostsMessage];
      if (reply.type === answer) return reply as Extract<HostsMessage, { type: T }>;
    }
  }

  reset = () => this.ask({ type: 'reset' }, 'reset-done');
  setPage = (links: string[]) => this.ask({ type: 'page', links }, 'page-set');
  stats = async (): Promise<HostStats[]> => (await this.ask({ type: 'stats' }, 'stats')).hosts;

  stop(): void {
    this.child.kill();
  }
}

interface ScenarioReport {
  name: string;
  checker: Scenario['checker'];
  links: number;
  distinctUrls: number;
  hosts: number;
  serverLatencyMs: number;
  /** Per host for imprimatur; in total for linkinator. */
  concurrency: number;
  hostSpacingMs: number;
  revisions: number;
  jobsAtOnce: number | null;
  /** Worker processes that ran the jobs (imprimatur). */
  workers: number | null;
  seconds: number;
  linksPerSecond: number;
  /**
   * The best the hosts allow for this run (imprimatur): per host, its URLs in batches of
   * `concurrency` taking the latency each, or starts `spacing` apart; links ÷ the busiest host's time.
   */
  ceilingLinksPerSecond: number | null;
  /** Share of the hosts' allowance (hosts × concurrency × seconds) the servers spent answering. */
  hostBusyShare: number | null;
  /** Per request through the limiter, on average: waiting for a slot, and holding it (the request). */
  slotMs: { wait: number; hold: number } | null;
  /** Of the processes that checked: the busiest event loop's busy share, and CPU time per link in total. */
  eventLoopUtilisation: number;
  cpuMsPerLink: number;
  /** Requests the servers received (HEAD unless a link needed GET): one per distinct URL. */
  fetches: number;
  methods: Record<string, number>;
  maxInFlightPerHost: Record<string, number>;
  /** Smallest gap between two request arrivals at one host; spacing should keep it near hostSpacingMs. */
  minArrivalGapMs: number | null;
  statuses: Record<string, number>;
  /** Per link, from asking the cache to its answer: includes waiting for the host's slot (imprimatur). */
  latencyMs: { p50: number; p95: number; max: number } | null;
}

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Seconds the busiest host needs at best for `urls` spread evenly over `hosts` (one request each). */
function bestSeconds(scenario: Scenario, hosts: number): number {
  const perHost = Math.ceil(scenario.urls / hosts);
  const byConcurrency = Math.ceil(perHost / scenario.concurrency) * LATENCY_MS;
  const bySpacing = (perHost - 1) * scenario.hostSpacingMs + LATENCY_MS;
  return Math.max(byConcurrency, bySpacing) / 1000;
}

/**
 * The scenario's links, a revision (10) per row: distinct URLs are grouped by host, a tenth of the
 * revisions per host in a row; with fewer URLs than links (cache) URL u is on host u mod 10.
 */
function linksOf(scenario: Scenario, ports: Record<string, number>): LinkTarget[][] {
  const revisions = Math.ceil(scenario.links / LINKS_PER_REVISION);
  return Array.from({ length: revisions }, (_, r) =>
    Array.from({ length: Math.min(LINKS_PER_REVISION, scenario.links - r * LINKS_PER_REVISION) }, (_, k) => {
      const i = r * LINKS_PER_REVISION + k;
      const u = i % scenario.urls;
      const host =
        scenario.urls === scenario.links ? HOSTS[Math.floor((r * HOSTS.length) / revisions)] : HOSTS[u % HOSTS.length];
      return { n: k + 1, kind: 'url' as const, url: `http://${host}:${ports[host]}/${scenario.name}/article-${u}` };
    }),
  );
}

interface Measured {
  seconds: number;
  statuses: Record<string, number>;
  latencies: number[];
  slot: { waitMs: number; holdMs: number; runs: number } | null;
  revisions: number;
  /** Of the processes that checked: the busiest event loop, and CPU time in total. */
  eventLoopUtilisation: number;
  cpuMs: number;
}

/** A worker process of the benchmark (bench/link-worker.ts). */
class BenchWorker {
  readonly child: ChildProcess;
  private readonly messages: WorkerMessage[] = [];
  private waiting: ((message: WorkerMessage) => void) | null = null;
  onJobDone: (error?: string) => void = () => undefined;

  constructor(redisUrl: string) {
    this.child = fork(`${__dirname}/link-worker.ts`, [], {
      execArgv: ['-r', `${__dirname}/register.cjs`],
      env: { ...process.env, REDIS_URL: redisUrl },
    });
    this.child.on('message', (message: WorkerMessage) => {
      if (message.type === 'job-done') return this.onJobDone(message.error);
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = null;
        resolve(message);
      } else this.messages.push(message);
    });
  }

  private next(): Promise<WorkerMessage> {
    const queued = this.messages.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  async start(options: WorkerStart): Promise<void> {
    this.child.send(options);
    const reply = await this.next();
    if (reply.type !== 'ready') throw new Error(`link worker: unexpected ${reply.type}`);
  }

  async stats(): Promise<WorkerStats> {
    this.child.send({ type: 'stats' });
    const reply = await this.next();
    if (reply.type !== 'stats') throw new Error(`link worker: unexpected ${reply.type}`);
    return reply;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.send({ type: 'stop' });
    await exited;
  }
}

async function runImprimatur(
  scenario: Scenario,
  revisions: LinkTarget[][],
  pool: BenchWorker[],
  redisUrl: string,
  prefix: string,
): Promise<Measured> {
  const queueName = `links-${scenario.name}`;
  const queue = new Queue(queueName, { connection: redisOptions(redisUrl, 'worker'), prefix });
  const workers = pool.slice(0, scenario.workers ?? 1);
  let finished = 0;
  const failures: string[] = [];
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  for (const worker of workers) {
    worker.onJobDone = (error) => {
      if (error) failures.push(error);
      finished += 1;
      if (finished === revisions.length) allDone();
    };
  }
  try {
    await Promise.all(
      workers.map((worker) =>
        worker.start({
          type: 'start',
          redisUrl,
          queuePrefix: prefix,
          keyPrefix: `${prefix}:${scenario.name}:linkcheck`,
          queueName,
          hosts: HOSTS,
          hostConcurrency: scenario.concurrency,
          hostSpacingMs: scenario.hostSpacingMs,
          revisions,
        }),
      ),
    );
    const started = performance.now();
    // In order: the jobs come grouped by host, as the revisions do.
    await queue.addBulk(
      revisions.map((_, revision) => ({
        name: 'checks.links',
        data: { revision },
        opts: { removeOnComplete: true, removeOnFail: true },
      })),
    );
    await done;
    const seconds = (performance.now() - started) / 1000;
    if (failures.length > 0) throw new Error(`${failures.length} jobs failed, e.g. ${failures[0]}`);
    const stats = await Promise.all(workers.map((worker) => worker.stats()));
    const statuses: Record<string, number> = {};
    for (const one of stats)
      for (const [status, count] of Object.entries(one.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
    return {
      seconds,
      statuses,
      latencies: stats.flatMap((one) => one.latencies),
      slot: stats.reduce(
        (sum, one) => ({
          waitMs: sum.waitMs + one.slot.waitMs,
          holdMs: sum.holdMs + one.slot.holdMs,
          runs: sum.runs + one.slot.runs,
        }),
        { waitMs: 0, holdMs: 0, runs: 0 },
      ),
      revisions: revisions.length,
      eventLoopUtilisation: Math.max(...stats.map((one) => one.eventLoopUtilisation)),
      cpuMs: stats.reduce((sum, one) => sum + one.cpuMs, 0),
    };
  } finally {
    await queue.close();
  }
}

async function runLinkinator(scenario: Scenario, revisions: LinkTarget[][], hosts: Hosts): Promise<Measured> {
  const links = revisions.flat().map((target) => target.url);
  await hosts.setPage(links);
  const page = `http://${HOSTS[0]}:${hosts.ports[HOSTS[0]]}/page.html`;
  const loop = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await linkinatorCheck({
    path: page,
    concurrency: scenario.concurrency,
    recurse: false,
    timeout: PRODUCTION.timeoutMs,
  });
  const seconds = (performance.now() - started) / 1000;
  const statuses: Record<string, number> = {};
  for (const link of result.links) {
    if (link.url === page) continue;
    const status = link.state === LinkState.OK ? 'ok' : `${link.state} ${link.status ?? ''}`.trim();
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  const cpuUsed = process.cpuUsage(cpu);
  return {
    seconds,
    statuses,
    latencies: [],
    slot: null,
    revisions: revisions.length,
    eventLoopUtilisation: performance.eventLoopUtilization(loop).utilization,
    cpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
  };
}

async function runScenario(
  scenario: Scenario,
  hosts: Hosts,
  pool: BenchWorker[],
  redisUrl: string,
  prefix: string,
): Promise<ScenarioReport> {
  await hosts.reset();
  const revisions = linksOf(scenario, hosts.ports);
  const measured =
    scenario.checker === 'linkinator'
      ? await runLinkinator(scenario, revisions, hosts)
      : await runImprimatur(scenario, revisions, pool, redisUrl, prefix);
  const stats = await hosts.stats();

  const { seconds, slot, latencies } = measured;
  latencies.sort((a, b) => a - b);
  const methods: Record<string, number> = {};
  for (const host of stats)
    for (const [method, count] of Object.entries(host.methods)) methods[method] = (methods[method] ?? 0) + count;
  const gaps = stats.map((host) => host.minArrivalGapMs).filter((gap): gap is number => gap !== null);
  const busyMs = stats.reduce((sum, host) => sum + host.busyMs, 0);
  const perRun = (ms: number): number => round(!slot || slot.runs === 0 ? 0 : ms / slot.runs);
  const limited = scenario.checker === 'imprimatur';
  return {
    name: scenario.name,
    checker: scenario.checker,
    links: scenario.links,
    distinctUrls: scenario.urls,
    hosts: HOSTS.length,
    serverLatencyMs: LATENCY_MS,
    concurrency: scenario.concurrency,
    hostSpacingMs: scenario.hostSpacingMs,
    revisions: measured.revisions,
    jobsAtOnce: limited ? CHECK_JOBS_AT_ONCE : null,
    seconds: round(seconds, 3),
    linksPerSecond: round(scenario.links / seconds),
    ceilingLinksPerSecond: limited ? round(scenario.links / bestSeconds(scenario, HOSTS.length)) : null,
    hostBusyShare: limited ? round(busyMs / (HOSTS.length * scenario.concurrency * seconds * 1000), 2) : null,
    workers: limited ? (scenario.workers ?? 1) : null,
    slotMs: slot ? { wait: perRun(slot.waitMs), hold: perRun(slot.holdMs) } : null,
    eventLoopUtilisation: round(measured.eventLoopUtilisation, 2),
    cpuMsPerLink: round(measured.cpuMs / scenario.links, 3),
    fetches: stats.reduce((sum, host) => sum + host.requests, 0),
    methods,
    maxInFlightPerHost: Object.fromEntries(stats.map((host) => [host.host, host.maxInFlight])),
    minArrivalGapMs: gaps.length === 0 ? null : round(Math.min(...gaps)),
    statuses: measured.statuses,
    latencyMs: limited
      ? {
          p50: round(percentile(latencies, 50)),
          p95: round(percentile(latencies, 95)),
          max: round(latencies[latencies.length - 1] ?? 0),
        }
      : null,
  };
}

/**
 * Deletes this run's keys, and only them: SCAN for the prefix, UNLINK what it finds. The benchmark's
 * connection is closed first (QUIT answers after every command sent before it), so no check still
 * running can write a key behind the scan; the deletion uses a connection of its own.
 */
async function deleteKeysAfter(work: Redis, redisUrl: string, prefix: string): Promise<number> {
  await work.quit().catch(() => work.disconnect());
  return deleteKeys(redisUrl, prefix);
}

function problemsOf(report: ScenarioReport): string[] {
  const problems: string[] = [];
  if (report.checker === 'imprimatur') {
    for (const [host, max] of Object.entries(report.maxInFlightPerHost)) {
      if (max > report.concurrency)
        problems.push(`${report.name}: ${host} had ${max} requests in flight, limit ${report.concurrency}`);
    }
  }
  const notOk = report.links - (report.statuses.ok ?? 0);
  if (notOk > 0) problems.push(`${report.name}: ${notOk} links not ok (${JSON.stringify(report.statuses)})`);
  if (report.fetches !== report.distinctUrls)
    problems.push(`${report.name}: ${report.fetches} fetches for ${report.distinctUrls} distinct URLs`);
  return problems;
}

async function main(): Promise<number> {
  const watchdog = setTimeout(() => {
    console.error(`bench:links did not finish within ${WATCHDOG_MS / 1000} s`);
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();

  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const only = (process.env.LINKS_BENCH_ONLY ?? '').split(',').filter(Boolean);
  const prefix = `imprimatur-bench-${randomBytes(6).toString('hex')}`;
  const redis = new Redis(redisOptions(redisUrl, 'worker'));
  redis.on('error', () => undefined);
  let hosts: Hosts | null = null;
  const pool: BenchWorker[] = [];

  // Interrupted: still remove this run's keys (they would expire anyway, the results after 6 h).
  const interrupted = (): void => {
    stopping = true;
    hosts?.stop();
    for (const worker of pool) worker.child.kill();
    void deleteKeysAfter(redis, redisUrl, prefix).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  const reports: ScenarioReport[] = [];
  let warmUpProblems: string[] = [];
  let keysDeleted = 0;
  let redisAnswered = false;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`Redis at ${redisUrl} did not answer within 5 s`)), 5_000).unref(),
      ),
    ]);
    redisAnswered = true;
    hosts = await Hosts.start();
    const workers = Math.max(...SCENARIOS.map((scenario) => scenario.workers ?? 1));
    for (let i = 0; i < workers; i++) pool.push(new BenchWorker(redisUrl));
    // Not reported, but it must not break the limit either; it warms every worker process.
    warmUpProblems = problemsOf(await runScenario({ ...WARM_UP, workers }, hosts, pool, redisUrl, prefix));
    for (const scenario of SCENARIOS) {
      if (only.length > 0 && !only.includes(scenario.name)) continue;
      reports.push(await runScenario(scenario, hosts, pool, redisUrl, prefix));
    }
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await Promise.all(pool.map((worker) => worker.stop().catch(() => worker.child.kill())));
    hosts?.stop();
    if (!redisAnswered) redis.disconnect();
    else if (!stopping) keysDeleted = await deleteKeysAfter(redis, redisUrl, prefix).catch(() => -1);
  }

  const problems = [...warmUpProblems, ...reports.flatMap(problemsOf)];
  const summary = {
    node: process.version,
    redisKeyPrefix: prefix,
    redisKeysDeleted: keysDeleted,
    scenarios: reports,
    problems,
  };
  console.log(JSON.stringify(summary, null, 2));
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Interrupted: the checks still running fail once Redis is closed; the signal handler exits.
    if (stopping) return;
    console.error(error);
    process.exitCode = 1;
  },
);
