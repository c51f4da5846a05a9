/**
 * Link checker benchmark: how many links a worker checks per second, and whether the per-host limit
 * holds while it does. Ten local HTTP servers on 127.0.0.11 … 127.0.0.20 (ten host names for the
 * limiter) answer after 20 ms; they run in a child process, so the checker's event loop is its own,
 * as in the worker. The links go through the production stack — LinksCheckService's
 * cache-then-check path (SharedResultCache → LinkChecker → HostLimiter on Redis → SafeHttpClient) —
 * with the worker's parallelism: 4 checks jobs at once (checks.processor.ts), each checking 8 links
 * of its revision at a time (LINKS_IN_PARALLEL, with the service's own mapLimit).
 *
 * Scenarios:
 * - `spacing-0`: 1,000 distinct links, per-host concurrency 2, no spacing: what the machinery can do.
 * - `spacing-250`: 100 distinct links with the production defaults (concurrency 2, 250 ms spacing).
 * - `cache`: 1,000 checks of the same 10 URLs: the shared cache must fetch each URL once.
 *
 * Prints a JSON summary; exits 1 when a host saw more requests in flight than its limit, a link was
 * not ok, or the cache fetched a URL more than once. Traffic stays on loopback; the Redis keys live
 * under a random `imprimatur-bench-*` prefix and are deleted (SCAN + UNLINK on that prefix) at the end.
 *
 * Run: npm run bench:links   (REDIS_URL, default redis://127.0.0.1:6379)
 */
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { mapLimit } from '@imprimatur/checks/links-check.service';
import type { LinkResult, LinkStatus } from '@imprimatur/checks/links/classify';
import { LinkChecker } from '@imprimatur/checks/links/link-checker';
import type { LinkTarget } from '@imprimatur/checks/links/targets';
import { HostLimiter, SafeHttpClient, SharedResultCache } from '@imprimatur/outbound';
import { redisOptions } from '@imprimatur/queue/connection';

const HOSTS = Array.from({ length: 10 }, (_, i) => `127.0.0.${11 + i}`);
const LATENCY_MS = 20;
/** The worker's checks processor runs 4 jobs at once; each checks 8 links of its revision at a time. */
const WORKER_JOBS = 4;
const LINKS_IN_PARALLEL = 8;
/** Links per revision (job): small enough that every scenario keeps all 4 jobs busy. */
const LINKS_PER_REVISION = 25;
/** The production defaults (libs/config/src/env.ts). */
const PRODUCTION = { timeoutMs: 10_000, retries: 2, retryBaseMs: 1_000, maxRetryAfterMs: 60_000, cacheTtlSeconds: 6 * 3600 };
const WATCHDOG_MS = 120_000;

/** One local host: answers 200 after LATENCY_MS and records how many requests it had at once. */
class FakeHost {
  readonly server: Server;
  port = 0;
  inFlight = 0;
  maxInFlight = 0;
  requests = 0;
  /** Time spent answering, summed over requests: how much of the host's allowance was used. */
  busyMs = 0;
  readonly methods: Record<string, number> = {};
  /** performance.now() at each request's arrival, for the gaps spacing should enforce. */
  readonly arrivals: number[] = [];

  constructor(readonly host: string) {
    this.server = createServer((req, res) => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      this.requests++;
      this.methods[req.method ?? '?'] = (this.methods[req.method ?? '?'] ?? 0) + 1;
      const arrivedAt = performance.now();
      this.arrivals.push(arrivedAt);
      req.resume();
      setTimeout(() => {
        // Counted out before the answer leaves, so the client cannot start its next request earlier.
        this.inFlight--;
        this.busyMs += performance.now() - arrivedAt;
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': '0' });
        res.end();
      }, LATENCY_MS);
    });
    this.server.keepAliveTimeout = 30_000;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, this.host, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  reset(): void {
    this.maxInFlight = 0;
    this.requests = 0;
    this.busyMs = 0;
    this.arrivals.length = 0;
    for (const method of Object.keys(this.methods)) delete this.methods[method];
  }

  stats(): HostStats {
    const gaps = this.arrivals.slice(1).map((at, i) => at - this.arrivals[i]);
    return {
      host: this.host,
      maxInFlight: this.maxInFlight,
      requests: this.requests,
      busyMs: this.busyMs,
      methods: { ...this.methods },
      minArrivalGapMs: gaps.length === 0 ? null : Math.min(...gaps),
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

interface HostStats {
  host: string;
  maxInFlight: number;
  requests: number;
  busyMs: number;
  methods: Record<string, number>;
  minArrivalGapMs: number | null;
}

/** What the parent asks the hosts process; each request gets one reply. */
type HostsRequest = { type: 'reset' } | { type: 'stats' } | { type: 'close' };
type HostsReply = { type: 'ready'; ports: number[] } | { type: 'reset' } | { type: 'stats'; stats: HostStats[] } | { type: 'close' };

/** The child process: the ten hosts, driven over IPC. */
async function serveHosts(): Promise<void> {
  const hosts = HOSTS.map((host) => new FakeHost(host));
  await Promise.all(hosts.map((host) => host.listen()));
  const reply = (message: HostsReply): void => void process.send?.(message);
  // The parent is gone (crashed or killed): nothing is left to serve.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: HostsRequest) => {
    switch (message.type) {
      case 'reset':
        for (const host of hosts) host.reset();
        reply({ type: 'reset' });
        break;
      case 'stats':
        reply({ type: 'stats', stats: hosts.map((host) => host.stats()) });
        break;
      case 'close':
        void Promise.all(hosts.map((host) => host.close())).then(() => {
          reply({ type: 'close' });
          process.disconnect();
        });
        break;
    }
  });
  reply({ type: 'ready', ports: hosts.map((host) => host.port) });
}

/** The parent's side of the hosts process. */
class HostsProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly ports: number[],
  ) {}

  static async start(): Promise<HostsProcess> {
    // Same preload (the .ts hook) as this process, so the child runs this very file.
    const child = fork(__filename, ['--serve-hosts'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = await HostsProcess.next(child, 'ready');
    return new HostsProcess(child, ready.ports);
  }

  async reset(): Promise<void> {
    this.child.send({ type: 'reset' } satisfies HostsRequest);
    await HostsProcess.next(this.child, 'reset');
  }

  async stats(): Promise<HostStats[]> {
    this.child.send({ type: 'stats' } satisfies HostsRequest);
    return (await HostsProcess.next(this.child, 'stats')).stats;
  }

  async close(): Promise<void> {
    if (!this.child.connected) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'close' } satisfies HostsRequest);
    await exited;
  }

  private static next<K extends HostsReply['type']>(child: ChildProcess, type: K): Promise<Extract<HostsReply, { type: K }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: HostsReply): void => {
        if (message.type !== type) return;
        cleanup();
        resolve(message as Extract<HostsReply, { type: K }>);
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`the hosts process exited (${code}) while waiting for "${type}"`));
      };
      const cleanup = (): void => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  }
}

interface Scenario {
  name: string;
  /** How many links are checked. */
  links: number;
  /** How many distinct URLs they are (links when every link is its own URL). */
  urls: number;
  hostConcurrency: number;
  hostSpacingMs: number;
}

interface ScenarioReport {
  name: string;
  links: number;
  distinctUrls: number;
  hosts: number;
  serverLatencyMs: number;
  hostConcurrency: number;
  hostSpacingMs: number;
  parallelism: { jobs: number; linksPerJob: number; revisions: number; linksPerRevision: number };
  seconds: number;
  linksPerSecond: number;
  /**
   * The best the hosts allow for this run: per host, its URLs in batches of `concurrency` taking the
   * latency each, or starts `spacing` apart; links ÷ the slowest host's time.
   */
  ceilingLinksPerSecond: number;
  /** Share of the hosts' allowance (hosts × concurrency × seconds) spent answering requests. */
  hostBusyShare: number;
  /** Share of the time the checker's event loop was busy. */
  eventLoopUtilisation: number;
  /** Requests the servers received (HEAD unless a link needed GET): one per distinct URL. */
  fetches: number;
  methods: Record<string, number>;
  maxInFlightPerHost: Record<string, number>;
  /** Smallest gap between two request arrivals at one host; spacing should keep it ≥ hostSpacingMs. */
  minArrivalGapMs: number | null;
  statuses: Partial<Record<LinkStatus, number>>;
  /** Per link, from asking the cache to its answer: includes waiting for the host's slot. */
  latencyMs: { p50: number; p95: number; max: number };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

function chunk<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** Seconds the busiest host needs at best for `urls` spread evenly over `hosts` (one request each). */
function bestSeconds(scenario: Scenario, hosts: number): number {
  const perHost = Math.ceil(scenario.urls / hosts);
  const byConcurrency = Math.ceil(perHost / scenario.hostConcurrency) * LATENCY_MS;
  const bySpacing = (perHost - 1) * scenario.hostSpacingMs + LATENCY_MS;
  return Math.max(byConcurrency, bySpacing) / 1000;
}

async function runScenario(scenario: Scenario, hosts: HostsProcess, http: SafeHttpClient, redis: Redis, prefix: string): Promise<ScenarioReport> {
  await hosts.reset();
  // The wiring of ChecksModule, with the scenario's limits and keys of its own.
  const keyPrefix = `${prefix}:${scenario.name}:linkcheck`;
  const checker = new LinkChecker(
    http,
    new HostLimiter(redis, {
      keyPrefix: `${keyPrefix}:hosts`,
      concurrency: scenario.hostConcurrency,
      spacingMs: scenario.hostSpacingMs,
      leaseMs: PRODUCTION.timeoutMs + 5_000,
    }),
    { timeoutMs: PRODUCTION.timeoutMs, retries: PRODUCTION.retries, retryBaseMs: PRODUCTION.retryBaseMs, maxRetryAfterMs: PRODUCTION.maxRetryAfterMs },
  );
  const cache = new SharedResultCache<LinkResult>(redis, {
    keyPrefix: `${keyPrefix}:results`,
    ttlSeconds: PRODUCTION.cacheTtlSeconds,
    lockMs: (PRODUCTION.timeoutMs + PRODUCTION.maxRetryAfterMs) * (PRODUCTION.retries + 1) + 5_000,
  });

  // URL u is on host u mod 10, so every host gets the same share and every revision mixes hosts.
  const targets: LinkTarget[] = Array.from({ length: scenario.links }, (_, i) => {
    const u = i % scenario.urls;
    const h = u % HOSTS.length;
    return { n: (i % LINKS_PER_REVISION) + 1, kind: 'url', url: `http://${HOSTS[h]}:${hosts.ports[h]}/${scenario.name}/article-${u}` };
  });
  const revisions = chunk(targets, LINKS_PER_REVISION);

  const latencies: number[] = [];
  const statuses: Partial<Record<LinkStatus, number>> = {};
  // LinksCheckService.checkCached: one fetch per URL per TTL, across every job.
  const checkCached = async (target: LinkTarget): Promise<LinkResult> => {
    const started = performance.now();
    const { value } = await cache.getOrCompute(`${target.kind} ${target.url}`, () => checker.check(target));
    latencies.push(performance.now() - started);
    statuses[value.status] = (statuses[value.status] ?? 0) + 1;
    return { ...value, n: target.n, kind: target.kind, url: target.url };
  };

  const loop = performance.eventLoopUtilization();
  const started = performance.now();
  await mapLimit(revisions, WORKER_JOBS, (links) => mapLimit(links, LINKS_IN_PARALLEL, checkCached));
  const seconds = (performance.now() - started) / 1000;
  const eventLoopUtilisation = performance.eventLoopUtilization(loop).utilization;

  const stats = await hosts.stats();
  latencies.sort((a, b) => a - b);
  const methods: Record<string, number> = {};
  for (const host of stats) for (const [method, count] of Object.entries(host.methods)) methods[method] = (methods[method] ?? 0) + count;
  const gaps = stats.flatMap((host) => (host.minArrivalGapMs === null ? [] : [host.minArrivalGapMs]));
  const busyMs = stats.reduce((sum, host) => sum + host.busyMs, 0);
  return {
    name: scenario.name,
    links: scenario.links,
    distinctUrls: scenario.urls,
    hosts: HOSTS.length,
    serverLatencyMs: LATENCY_MS,
    hostConcurrency: scenario.hostConcurrency,
    hostSpacingMs: scenario.hostSpacingMs,
    parallelism: { jobs: WORKER_JOBS, linksPerJob: LINKS_IN_PARALLEL, revisions: revisions.length, linksPerRevision: LINKS_PER_REVISION },
    seconds: round(seconds, 3),
    linksPerSecond: round(scenario.links / seconds),
    ceilingLinksPerSecond: round(scenario.links / bestSeconds(scenario, HOSTS.length)),
    hostBusyShare: round(busyMs / (HOSTS.length * scenario.hostConcurrency * seconds * 1000), 2),
    eventLoopUtilisation: round(eventLoopUtilisation, 2),
    fetches: stats.reduce((sum, host) => sum + host.requests, 0),
    methods,
    maxInFlightPerHost: Object.fromEntries(stats.map((host) => [host.host, host.maxInFlight])),
    minArrivalGapMs: gaps.length === 0 ? null : round(Math.min(...gaps)),
    statuses,
    latencyMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), max: round(latencies[latencies.length - 1] ?? 0) },
  };
}

/** Deletes this run's keys, and only them: SCAN for the prefix, UNLINK what it finds. */
async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

function problemsOf(report: ScenarioReport): string[] {
  const problems: string[] = [];
  for (const [host, max] of Object.entries(report.maxInFlightPerHost)) {
    if (max > report.hostConcurrency) problems.push(`${report.name}: ${host} had ${max} requests in flight, limit ${report.hostConcurrency}`);
  }
  const notOk = report.links - (report.statuses.ok ?? 0);
  if (notOk > 0) problems.push(`${report.name}: ${notOk} links not ok (${JSON.stringify(report.statuses)})`);
  if (report.fetches !== report.distinctUrls) problems.push(`${report.name}: ${report.fetches} fetches for ${report.distinctUrls} distinct URLs`);
  return problems;
}

async function main(): Promise<number> {
  const watchdog = setTimeout(() => {
    console.error(`bench:links did not finish within ${WATCHDOG_MS / 1000} s`);
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();

  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `imprimatur-bench-${randomBytes(6).toString('hex')}`;
  const redis = new Redis(redisOptions(redisUrl, 'worker'));
  redis.on('error', () => undefined);
  // Loopback only: the allow-list lets the SSRF guard through to these ten addresses and nothing else.
  const http = new SafeHttpClient({ allowHosts: HOSTS, timeoutMs: PRODUCTION.timeoutMs });

  const reports: ScenarioReport[] = [];
  let hosts: HostsProcess | undefined;
  let keysDeleted = 0;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`Redis at ${redisUrl} did not answer within 5 s`)), 5_000).unref()),
    ]);
    hosts = await HostsProcess.start();
    const scenarios: Scenario[] = [
      { name: 'spacing-0', links: 1_000, urls: 1_000, hostConcurrency: 2, hostSpacingMs: 0 },
      { name: 'spacing-250', links: 100, urls: 100, hostConcurrency: 2, hostSpacingMs: 250 },
      { name: 'cache', links: 1_000, urls: HOSTS.length, hostConcurrency: 2, hostSpacingMs: 0 },
    ];
    for (const scenario of scenarios) reports.push(await runScenario(scenario, hosts, http, redis, prefix));
  } finally {
    await http.close();
    await hosts?.close();
    keysDeleted = await deleteKeys(redis, prefix).catch(() => -1);
    redis.disconnect();
  }

  const problems = reports.flatMap(problemsOf);
  const summary = { node: process.version, redisKeyPrefix: prefix, redisKeysDeleted: keysDeleted, scenarios: reports, problems };
  console.log(JSON.stringify(summary, null, 2));
  return problems.length === 0 ? 0 : 1;
}

const role = process.argv.includes('--serve-hosts') ? serveHosts().then(() => 0) : main();
role.then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
