/**
 * One worker process of the link-check benchmark: what the worker's checks processor does for a
 * `checks.links` job, minus the database write at the end. A BullMQ Worker with CHECK_JOBS_AT_ONCE
 * runs checkLinks (every link of the revision at once) over the production stack as ChecksModule
 * wires it: SharedResultCache → LinkChecker → HostLimiter on Redis → SafeHttpClient, on the checks'
 * own Redis connection settings. It lives through every scenario, warm like a long-running worker:
 * one Redis connection and HTTP client, a new limiter, cache and BullMQ Worker per scenario. Driven
 * over IPC by bench/link-check.ts: {type: 'start', ...} → 'ready'; 'job-done' per job; {type: 'stats'}
 * → 'stats' (and the scenario's Worker closed); {type: 'stop'}.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'bullmq';
import Redis from 'ioredis';
import { checksRedisOptions } from '@imprimatur/checks/checks.module';
import { CHECK_JOBS_AT_ONCE, checkLinks } from '@imprimatur/checks/links-check.service';
import type { LinkResult } from '@imprimatur/checks/links/classify';
import { HostThrottle, LinkChecker } from '@imprimatur/checks/links/link-checker';
import type { LinkTarget } from '@imprimatur/checks/links/targets';
import { HostLimiter, SafeHttpClient, SharedResultCache } from '@imprimatur/outbound';
import { redisOptions } from '@imprimatur/queue/connection';

/** The production defaults (libs/config/src/env.ts). */
export const PRODUCTION = {
  timeoutMs: 10_000,
  retries: 2,
  retryBaseMs: 1_000,
  maxRetryAfterMs: 60_000,
  cacheTtlSeconds: 6 * 3600,
};

export interface WorkerStart {
  type: 'start';
  redisUrl: string;
  /** BullMQ prefix of the run, and the Redis key prefix of this scenario's limiter and cache. */
  queuePrefix: string;
  keyPrefix: string;
  queueName: string;
  hosts: string[];
  hostConcurrency: number;
  hostSpacingMs: number;
  revisions: LinkTarget[][];
}

export interface WorkerStats {
  type: 'stats';
  statuses: Record<string, number>;
  latencies: number[];
  slot: { waitMs: number; holdMs: number; runs: number };
  eventLoopUtilisation: number;
  cpuMs: number;
  jobs: number;
}

export type WorkerMessage = { type: 'ready' } | { type: 'job-done'; error?: string } | WorkerStats;

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

const send = (message: WorkerMessage): void => {
  process.send?.(message);
};

let redis: Redis;
let http: SafeHttpClient | null = null;
let finish: (() => Promise<WorkerStats>) | null = null;

async function start(options: WorkerStart): Promise<void> {
  // Loopback only: the allow-list lets the SSRF guard through to the bench's hosts and nothing else.
  http ??= new SafeHttpClient({ allowHosts: options.hosts, timeoutMs: PRODUCTION.timeoutMs });
  const throttle = new TimedThrottle(
    new HostLimiter(redis, {
      keyPrefix: `${options.keyPrefix}:hosts`,
      concurrency: options.hostConcurrency,
      spacingMs: options.hostSpacingMs,
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
    keyPrefix: `${options.keyPrefix}:results`,
    ttlSeconds: PRODUCTION.cacheTtlSeconds,
    // As libs/checks (linkLockMs): one request's lease, renewed while the holder works.
    lockMs: PRODUCTION.timeoutMs + 5_000,
  });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let jobs = 0;
  const timedCache: Pick<SharedResultCache<LinkResult>, 'getOrCompute'> = {
    getOrCompute: async (key, compute, computeOptions) => {
      const started = performance.now();
      const outcome = await cache.getOrCompute(key, compute, computeOptions);
      latencies.push(performance.now() - started);
      return outcome;
    },
  };
  const worker = new Worker<{ revision: number }>(
    options.queueName,
    async (job) => {
      const links = await checkLinks(options.revisions[job.data.revision], timedCache, checker, false);
      for (const link of links) statuses[link.status] = (statuses[link.status] ?? 0) + 1;
    },
    {
      connection: redisOptions(options.redisUrl, 'worker'),
      prefix: options.queuePrefix,
      concurrency: CHECK_JOBS_AT_ONCE,
    },
  );
  worker.on('completed', () => {
    jobs += 1;
    send({ type: 'job-done' });
  });
  worker.on('failed', (_job, error) => send({ type: 'job-done', error: String(error) }));
  await worker.waitUntilReady();
  const loop = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  finish = async () => {
    const used = process.cpuUsage(cpu);
    const stats: WorkerStats = {
      type: 'stats',
      statuses,
      latencies,
      slot: { waitMs: throttle.waitMs, holdMs: throttle.holdMs, runs: throttle.runs },
      eventLoopUtilisation: performance.eventLoopUtilization(loop).utilization,
      cpuMs: (used.user + used.system) / 1000,
      jobs,
    };
    await worker.close();
    return stats;
  };
  send({ type: 'ready' });
}

// The bench imports this file for its types and defaults; only a forked worker runs.
if (require.main === module) {
  redis = new Redis(checksRedisOptions(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'));
  redis.on('error', () => undefined);
  process.on('message', (message: WorkerStart | { type: 'stats' | 'stop' }) => {
    const fail = (error: unknown): void => {
      console.error(error);
      process.exit(1);
    };
    if (message.type === 'start') start(message).catch(fail);
    else if (message.type === 'stats') {
      const done = finish;
      finish = null;
      if (done) done().then(send, fail);
    } else if (message.type === 'stop') {
      void (async () => {
        await http?.close();
        await redis.quit().catch(() => redis.disconnect());
        process.exit(0);
      })();
    }
  });
  // The bench gone (or killed): nothing left to check.
  process.on('disconnect', () => process.exit(0));
}
