import type { RedisOptions } from 'ioredis';

/**
 * ioredis options for a REDIS_URL, shared by the API and the worker.
 * - `worker`: blocking connections for BullMQ workers, which must retry forever.
 * - `producer`: fails fast while Redis is unreachable instead of queueing commands in memory, so the
 *   outbox relay notices the outage and leaves the rows for later.
 * - `probe`: health checks, which must answer quickly either way.
 */
export type RedisSettings = Omit<RedisOptions, 'retryStrategy'> & { retryStrategy: (times: number) => number };

export function redisOptions(redisUrl: string, use: 'worker' | 'producer' | 'probe'): RedisSettings {
  const url = new URL(redisUrl);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  const base: RedisSettings = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    // Back off to at most 2 s between reconnection attempts, forever.
    retryStrategy: (times) => Math.min(times * 100, 2_000),
  };
  switch (use) {
    case 'worker':
      return { ...base, maxRetriesPerRequest: null };
    case 'producer':
      return { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    case 'probe':
      return { ...base, maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, connectTimeout: 2_000 };
  }
}
