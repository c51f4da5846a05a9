import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type Redis from 'ioredis';

export interface ResultCacheOptions {
  /** Every key lives under it. */
  keyPrefix: string;
  /** How long a computed value is served from the cache. */
  ttlSeconds: number;
  /**
   * How long one process may hold the right to compute a key. It must exceed the longest compute:
   * past it another process assumes the holder crashed and computes too.
   */
  lockMs: number;
  /** How often waiters look for the value while another process computes it; default 50. */
  pollMs?: number;
}

/** Deletes the lock only if it is still ours: after lockMs it may belong to another process. */
const UNLOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

const UNLOCK_COMMAND = 'outboundResultCacheUnlock';

interface UnlockCommand {
  [UNLOCK_COMMAND](lockKey: string, token: string): Promise<number>;
}

/**
 * A cache shared by every worker process, with single flight: of concurrent callers for one key,
 * only one computes and the others wait for its value, so a link cited by many articles is
 * requested once.
 */
export class SharedResultCache<T> {
  private readonly redis: Redis & UnlockCommand;
  private readonly pollMs: number;

  constructor(
    redis: Redis,
    private readonly options: ResultCacheOptions,
  ) {
    if (!options.keyPrefix) throw new Error('SharedResultCache needs a keyPrefix');
    if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds < 1) throw new Error(`SharedResultCache ttlSeconds must be a positive integer, got ${options.ttlSeconds}`);
    if (!Number.isInteger(options.lockMs) || options.lockMs < 1) throw new Error(`SharedResultCache lockMs must be a positive integer, got ${options.lockMs}`);
    this.pollMs = Math.max(options.pollMs ?? 50, 5);
    redis.defineCommand(UNLOCK_COMMAND, { numberOfKeys: 1, lua: UNLOCK_LUA });
    this.redis = redis as Redis & UnlockCommand;
  }

  /**
   * The cached value for key, or computes it once across all processes: concurrent callers for the
   * same key wait for the one computing it. With fresh: true, ignore (and overwrite) what is cached.
   * `cached` is false only for the caller whose compute produced the value.
   */
  async getOrCompute(key: string, compute: () => Promise<T>, options: { fresh?: boolean } = {}): Promise<{ value: T; cached: boolean }> {
    const { value: valueKey, lock: lockKey } = this.keysFor(key);
    const fresh = options.fresh === true;
    for (;;) {
      if (!fresh) {
        const raw = await this.redis.get(valueKey);
        if (raw !== null) return { value: this.parse(raw), cached: true };
      }
      const token = randomUUID();
      if ((await this.redis.set(lockKey, token, 'PX', this.options.lockMs, 'NX')) === 'OK') {
        return await this.computeHoldingLock(valueKey, lockKey, token, compute, fresh);
      }
      const settled = await this.waitForHolder(valueKey, lockKey, fresh);
      if (settled) return settled;
      // The holder finished without a value (its compute threw) or vanished: contend for the lock again.
    }
  }

  async get(key: string): Promise<T | null> {
    const raw = await this.redis.get(this.keysFor(key).value);
    return raw === null ? null : this.parse(raw);
  }

  private async computeHoldingLock(valueKey: string, lockKey: string, token: string, compute: () => Promise<T>, fresh: boolean): Promise<{ value: T; cached: boolean }> {
    try {
      if (!fresh) {
        // The previous holder may have stored the value and unlocked between our GET and our SET NX.
        const raw = await this.redis.get(valueKey);
        if (raw !== null) return { value: this.parse(raw), cached: true };
      }
      const value = await compute();
      const json = JSON.stringify(value);
      // undefined (or a function) has no JSON form; failing here beats a cache that silently never hits.
      if (json === undefined) throw new TypeError('SharedResultCache: the computed value has no JSON form');
      await this.redis.set(valueKey, json, 'EX', this.options.ttlSeconds);
      return { value, cached: false };
    } finally {
      // The lock expires after lockMs anyway, so a failed unlock must not replace the outcome.
      await this.redis[UNLOCK_COMMAND](lockKey, token).catch(() => undefined);
    }
  }

  /**
   * Waits while another caller holds the lock. Returns its value once stored, or null when the lock
   * is gone without one. A fresh caller cannot tell a new value from the old one it means to
   * ignore, so it only waits for the lock to go and then computes itself.
   */
  private async waitForHolder(valueKey: string, lockKey: string, fresh: boolean): Promise<{ value: T; cached: boolean } | null> {
    for (;;) {
      await sleep(this.pollMs + Math.random() * Math.max(1, this.pollMs / 4));
      if (!fresh) {
        const raw = await this.redis.get(valueKey);
        if (raw !== null) return { value: this.parse(raw), cached: true };
      }
      // A value stored just before the unlock is not lost: the caller reads it again before locking.
      if ((await this.redis.exists(lockKey)) === 0) return null;
    }
  }

  private parse(raw: string): T {
    return JSON.parse(raw) as T;
  }

  private keysFor(key: string): { value: string; lock: string } {
    // Hashed so that any key (a long URL) makes a short, safe Redis key.
    const hash = createHash('sha256').update(key).digest('hex');
    return { value: `${this.options.keyPrefix}:value:${hash}`, lock: `${this.options.keyPrefix}:lock:${hash}` };
  }
}
