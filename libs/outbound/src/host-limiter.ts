import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type Redis from 'ioredis';

export interface HostLimiterOptions {
  /** Every key lives under it, e.g. `${QUEUE_PREFIX}:hosts`. */
  keyPrefix: string;
  /** At most this many requests in flight to one host, across all processes. */
  concurrency: number;
  /** At least this long between the starts of two requests to one host, across all processes. */
  spacingMs: number;
  /**
   * A slot held longer than this is considered abandoned (crashed worker) and freed. It must exceed
   * the longest the work can take (the request timeout), or a slow request loses its slot early.
   */
  leaseMs: number;
  /** How long to wait before trying again when no slot is free; default min(spacingMs, 50), at least 10. */
  pollMs?: number;
}

/**
 * One round trip decides everything, so two processes can never both see a free slot. The clock is
 * Redis's own (TIME), so workers with skewed clocks still agree on lease expiry and spacing.
 * Returns {1, 0} when the slot is taken, {0, ms} when spacing says to wait ms, {0, -1} when all
 * slots are busy (nobody knows when one frees, so the caller polls).
 */
const ACQUIRE_LUA = `
local leases, last = KEYS[1], KEYS[2]
local concurrency = tonumber(ARGV[1])
local spacing = tonumber(ARGV[2])
local leaseMs = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
if redis.call('ZCARD', leases) >= concurrency then
  return {0, -1}
end
if spacing > 0 then
  local previous = tonumber(redis.call('GET', last))
  if previous then
    local wait = previous + spacing - now
    if wait > 0 then
      return {0, wait}
    end
  end
  -- Only needed until the next start is allowed, so an idle host leaves nothing behind.
  redis.call('SET', last, now, 'PX', spacing)
end
redis.call('ZADD', leases, now + leaseMs, ARGV[4])
-- Expire with the latest lease rather than this one: limiters with different leaseMs may share a host.
local newest = redis.call('ZRANGE', leases, -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', leases, newest[2])
return {1, 0}
`;

const ACQUIRE_COMMAND = 'outboundHostLimiterAcquire';

interface AcquireCommand {
  [ACQUIRE_COMMAND](
    leasesKey: string,
    lastKey: string,
    concurrency: number,
    spacingMs: number,
    leaseMs: number,
    token: string,
  ): Promise<[number, number]>;
}

/**
 * Politeness towards the hosts we request, shared by every worker process through Redis: BullMQ's
 * open-source edition has no per-group rate limit. Waiters are not served in order; a busy host is
 * contended for by polling.
 */
export class HostLimiter {
  private readonly redis: Redis & AcquireCommand;
  private readonly pollMs: number;

  constructor(
    redis: Redis,
    private readonly options: HostLimiterOptions,
  ) {
    if (!options.keyPrefix) throw new Error('HostLimiter needs a keyPrefix');
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
      throw new Error(`HostLimiter concurrency must be a positive integer, got ${options.concurrency}`);
    if (!Number.isInteger(options.spacingMs) || options.spacingMs < 0)
      throw new Error(`HostLimiter spacingMs must be a non-negative integer, got ${options.spacingMs}`);
    if (!Number.isInteger(options.leaseMs) || options.leaseMs < 1)
      throw new Error(`HostLimiter leaseMs must be a positive integer, got ${options.leaseMs}`);
    // A zero poll (spacingMs 0 by default) would spin on Redis while a host is saturated.
    this.pollMs = Math.max(options.pollMs ?? Math.min(options.spacingMs, 50), 10);
    // Redefining on a shared connection is harmless: ioredis replaces the script with the same one.
    redis.defineCommand(ACQUIRE_COMMAND, { numberOfKeys: 2, lua: ACQUIRE_LUA });
    this.redis = redis as Redis & AcquireCommand;
  }

  /** Waits for a slot for `host` (case-insensitive hostname), runs work, always releases the slot. */
  async run<T>(host: string, work: () => Promise<T>): Promise<T> {
    const { leases, last } = this.keysFor(host);
    const token = randomUUID();
    await this.acquire(leases, last, token);
    try {
      return await work();
    } finally {
      // A failed release must not replace the work's outcome; the lease expires after leaseMs anyway.
      await this.redis.zrem(leases, token).catch(() => undefined);
    }
  }

  private async acquire(leases: string, last: string, token: string): Promise<void> {
    const { concurrency, spacingMs, leaseMs } = this.options;
    for (;;) {
      const [acquired, waitMs] = await this.redis[ACQUIRE_COMMAND](
        leases,
        last,
        concurrency,
        spacingMs,
        leaseMs,
        token,
      );
      if (acquired === 1) return;
      // Jitter keeps waiters that were refused together from all coming back in the same millisecond.
      const jitter = Math.random() * Math.max(1, this.pollMs / 4);
      await sleep((waitMs >= 0 ? waitMs : this.pollMs) + jitter);
    }
  }

  private keysFor(host: string): { leases: string; last: string } {
    // DNS names are case-insensitive and "example.org." is the same host as "example.org".
    const name = host.trim().toLowerCase().replace(/\.$/, '');
    if (!name) throw new Error('HostLimiter.run needs a host');
    // The hash tag keeps both keys of a host in one cluster slot, as a multi-key script requires.
    const base = `${this.options.keyPrefix}:{${name}}`;
    return { leases: `${base}:leases`, last: `${base}:last` };
  }
}
