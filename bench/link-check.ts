/**
 * Link checker benchmark: how many links a worker checks per second, and whether the per-host limit
 * holds while it does. Ten local HTTP servers on 127.0.0.11 … 127.0.0.20 (ten host names for the
 * limiter) answer after 20 ms. The links go through the production stack — LinksCheckService's
 * cache-then-check path (SharedResultCache → LinkChecker → HostLimiter on Redis → SafeHttpClient) —
 * with the worker's parallelism: 4 checks jobs at once (checks.processor.ts), each checking 8 links
 * of its revision at a time (LINKS_IN_PARALLEL, with the service's own mapLimit).
 *
 * Scenarios (after an unreported warm-up, as a long-running worker is warm):
 * - `spacing-0`: 1,000 distinct links, per-host concurrency 2, no spacing: what the machinery can do.
 * - `spacing-250`: 100 distinct links with the production defaults (concurrency 2, 250 ms spacing).
 * - `cache`: 1,000 checks of the same 10 URLs: the shared cache must fetch each URL once.
 *
 * Prints a JSON summary; exits 1 when a host saw more requests in flight than its limit, a link was
 * not ok, or a URL was fetched more than once. Traffic stays on loopback; the Redis keys live under a
 * random `imprimatur-bench-*` prefix and are deleted (SCAN + UNLINK on that prefix) at the end.
 *
 * Run: npm run bench:links   (REDIS_URL, default redis://127.0.0.1:6379)
 */
import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { mapLimit } from '@imprimatur/checks/links-check.service';
import type { LinkResult, LinkStatus } from '@imprimatur/checks/links/classify';
import { HostThrottle, LinkChecker } from '@imprimatur/checks/links/link-checker';
import type { LinkTarget } from '@imprimatur/checks/links/targets';
import { HostLimiter, SafeHttpClient, SharedResultCache } from '@imprimatur/outbound';
import { redisOptions } from '@imprimatur/queue/connection';
import { deleteKeys } from './support';

const HOSTS = Array.from({ length: 10 }, (_, i) => `127.0.0.${11 + i}`);
const LATENCY_MS = 20;
/** The worker's checks processor runs 4 jobs at once; each checks 8 links of its revision at a time. */
const WORKER_JOBS = 4;
const LINKS_IN_PARALLEL = 8;
/** Links per revision (job): small enough that every scenario keeps all 4 jobs busy. */
const LINKS_PER_REVISION = 25;
/** The production defaults (libs/config/src/env.ts). */
const PRODUCTION = {
  timeoutMs: 10_000,
  retries: 2,
  retryBaseMs: 1_000,
  maxRetryAfterMs: 60_000,
  cacheTtlSeconds: 6 * 3600,
};
const WATCHDOG_MS = 120_000;
/** Set by SIGINT/SIGTERM: the handler cleans up and exits, whatever the checks still running do. */
let stopping = false;

interface Scenario {
  name: string;
  /** How many links are checked. */
  links: number;
  /** How many distinct URLs they are (links when every link is its own URL). */
  urls: number;
  hostConcurrency: number;
  hostSpacingMs: number;
}

const WARM_UP: Scenario = { name: 'warm-up', links: 300, urls: 300, hostConcurrency: 2, hostSpacingMs: 0 };
const SCENARIOS: Scenario[] = [
  { name: 'spacing-0', links: 1_000, urls: 1_000, hostConcurrency: 2, hostSpacingMs: 0 },
  { name: 'spacing-250', links: 100, urls: 100, hostConcurrency: 2, hostSpacingMs: 250 },
  { name: 'cache', links: 1_000, urls: HOSTS.length, hostConcurrency: 2, hostSpacingMs: 0 },
];

/** One local host: answers 200 after LATENCY_MS and records how many requests it had at once. */
class FakeHost {
  private readonly server: Server;
  port = 0;
  private inFlight = 0;
  maxInFlight = 0;
  requests = 0;
  /** Time spent answering, summed over requests: how much of the host's allowance was used. */
  busyMs = 0;
  readonly methods: Record<string, number> = {};
  /** performance.now() at each request's arrival, for the gaps spacing should enforce. */
  private readonly arrivals: number[] = [];

  constructor(readonly host: string) {
    this.server = createServer((req, res) => {
      const arrivedAt = performance.now();
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      this.requests++;
      this.methods[req.method ?? '?'] = (this.methods[req.method ?? '?'] ?? 0) + 1;
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

  /** Smallest gap between two arrivals, null with fewer than two. */
  minArrivalGapMs(): number | null {
    const gaps = this.arrivals.slice(1).map((at, i) => at - this.arrivals[i]);
    return gaps.length === 0 ? null : Math.min(...gaps);
  }

  reset(): void {
    this.maxInFlight = 0;
    this.requests = 0;
    this.busyMs = 0;
    this.arrivals.length = 0;
    for (const method of Object.keys(this.methods)) delete this.methods[method];
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The HostLimiter as the checker sees it, timing how long a request waits for its slot and holds it. */
class TimedThrottle implements HostThrottle {
  waitMs = 0;
  holdMs = 0;
  runs = 0;

  constructor(private readonly limiter: HostThrottle) {}

  async run<T>(host: string, work: () => Promise<T>): Promise<T> {
    const asked = performance.now();
    return this.limiter.run(host, async () => {
      const granted = performance.now();
      this.waitMs += granted - asked;
      this.runs++;
      try {
        return await work();
      } finally {
        this.holdMs += performance.now() - granted;
      }
    });
  }
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
   * latency each, or starts `spacing` apart; links ÷ the busiest host's time.
   */
  ceilingLinksPerSecond: number;
  /** Share of the hosts' allowance (hosts × concurrency × seconds) the servers spent answering. */
  hostBusyShare: number;
  /** Per request through the limiter, on average: waiting for a slot, and holding it (the request). */
  slotMs: { wait: number; hold: number };
  /** Share of the time this process's event loop was busy (the checker and the ten servers). */
  eventLoopUtilisation: number;
  /** Requests the servers received (HEAD unless a link needed GET): one per distinct URL. */
  fetches: number;
  methods: Record<string, number>;
  maxInFlightPerHost: Record<string, number>;
  /** Smallest gap between two request arrivals at one host; spacing should keep it near hostSpacingMs. */
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

async function runScenario(
  scenario: Scenario,
  hosts: FakeHost[],
  http: SafeHttpClient,
  redis: Redis,
  prefix: string,
): Promise<ScenarioReport> {
  for (const host of hosts) host.reset();
  // The wiring of ChecksModule, with the scenario's limits and keys of its own.
  const keyPrefix = `${prefix}:${scenario.name}:linkcheck`;
  const throttle = new TimedThrottle(
    new HostLimiter(redis, {
      keyPrefix: `${keyPrefix}:hosts`,
      concurrency: scenario.hostConcurrency,
      spacingMs: scenario.hostSpacingMs,
      leaseMs: PRODUCTION.timeoutMs + 5_000,
    }),
  );
  const checker = new LinkChecker(http, throttle, {
    timeoutMs: PRODUCTION.timeoutMs,
    retries: PRODUCTION.retries,
    retryBaseMs: PRODUCTION.retryBaseMs,
    maxRetryAfterMs: PRODUCTION.maxRetryAfterMs,
  });
  const cache = new SharedResultCache<LinkResult>(redis, {
    keyPrefix: `${keyPrefix}:results`,
    ttlSeconds: PRODUCTION.cacheTtlSeconds,
    // As libs/checks (linkLockMs): one request's lease, renewed while the holder works.
    lockMs: PRODUCTION.timeoutMs + 5_000,
  });

  // URL u is on host u mod 10, so every host gets the same share and every revision mixes hosts.
  const targets: LinkTarget[] = Array.from({ length: scenario.links }, (_, i) => {
    const u = i % scenario.urls;
    const host = hosts[u % hosts.length];
    return {
      n: (i % LINKS_PER_REVISION) + 1,
      kind: 'url',
      url: `http://${host.host}:${host.port}/${scenario.name}/article-${u}`,
    };
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

  latencies.sort((a, b) => a - b);
  const methods: Record<string, number> = {};
  for (const host of hosts)
    for (const [method, count] of Object.entries(host.methods)) methods[method] = (methods[method] ?? 0) + count;
  const gaps = hosts.map((host) => host.minArrivalGapMs()).filter((gap): gap is number => gap !== null);
  const busyMs = hosts.reduce((sum, host) => sum + host.busyMs, 0);
  const perRun = (ms: number): number => round(throttle.runs === 0 ? 0 : ms / throttle.runs);
  return {
    name: scenario.name,
    links: scenario.links,
    distinctUrls: scenario.urls,
    hosts: hosts.length,
    serverLatencyMs: LATENCY_MS,
    hostConcurrency: scenario.hostConcurrency,
    hostSpacingMs: scenario.hostSpacingMs,
    parallelism: {
      jobs: WORKER_JOBS,
      linksPerJob: LINKS_IN_PARALLEL,
      revisions: revisions.length,
      linksPerRevision: LINKS_PER_REVISION,
    },
    seconds: round(seconds, 3),
    linksPerSecond: round(scenario.links / seconds),
    ceilingLinksPerSecond: round(scenario.links / bestSeconds(scenario, hosts.length)),
    hostBusyShare: round(busyMs / (hosts.length * scenario.hostConcurrency * seconds * 1000), 2),
    slotMs: { wait: perRun(throttle.waitMs), hold: perRun(throttle.holdMs) },
    eventLoopUtilisation: round(eventLoopUtilisation, 2),
    fetches: hosts.reduce((sum, host) => sum + host.requests, 0),
    methods,
    maxInFlightPerHost: Object.fromEntries(hosts.map((host) => [host.host, host.maxInFlight])),
    minArrivalGapMs: gaps.length === 0 ? null : round(Math.min(...gaps)),
    statuses,
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      max: round(latencies[latencies.length - 1] ?? 0),
    },
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
  for (const [host, max] of Object.entries(report.maxInFlightPerHost)) {
    if (max > report.hostConcurrency)
      problems.push(`${report.name}: ${host} had ${max} requests in flight, limit ${report.hostConcurrency}`);
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
  const prefix = `imprimatur-bench-${randomBytes(6).toString('hex')}`;
  const redis = new Redis(redisOptions(redisUrl, 'worker'));
  redis.on('error', () => undefined);
  const hosts = HOSTS.map((host) => new FakeHost(host));
  // Loopback only: the allow-list lets the SSRF guard through to these ten addresses and nothing else.
  const http = new SafeHttpClient({ allowHosts: HOSTS, timeoutMs: PRODUCTION.timeoutMs });

  // Interrupted: still remove this run's keys (they would expire anyway, the results after 6 h).
  const interrupted = (): void => {
    stopping = true;
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
    await Promise.all(hosts.map((host) => host.listen()));
    // Not reported, but it must not break the limit either.
    warmUpProblems = problemsOf(await runScenario(WARM_UP, hosts, http, redis, prefix));
    for (const scenario of SCENARIOS) reports.push(await runScenario(scenario, hosts, http, redis, prefix));
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await http.close();
    await Promise.all(hosts.map((host) => host.close()));
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
