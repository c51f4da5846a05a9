import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type Redis from 'ioredis';

export interface ResultCacheOptions {
  /** Every key lives under it. */
  keyPrefix: string;
  /** How long a computed value is served from the cache. */
  ttlSeconds: number;
  /**
   * How long the right to compute a key outlives its holder. The holder renews it every `renewMs`
   * while it computes, however long that takes, so it only has to outlast one renewal gap (one
   * outbound request, say), not the whole compute: a crashed holder's lock frees within lockMs, and
   * another process then computes instead.
   */
  lockMs: number;
  /** How often the holder renews its lock; default lockMs / 3. Keep it well under lockMs. */
  renewMs?: number;
  /** How often waiters look for the value while another process computes it; default 50. */
  pollMs?: number;
}

/**
 * The value, or else the right to compute it, in one round trip: {1, value} when cached (unless
 * ARGV[3] is 'fresh'), {2} when the lock is now ours, {0} when another caller holds it. Atomic, so a
 * missing value with a free lock means nobody stored one in between.
 */
const READ_OR_LOCK_LUA = `
if ARGV[3] ~= 'fresh' then
  local value = redis.call('GET', KEYS[1])
  if value then
    return {1, value}
  end
end
if redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then
  return {2}
end
return {0}
`;

/** Stores the value and, in the same round trip, deletes the lock if it is still ours (after lockMs it may not be). */
const STORE_AND_UNLOCK_LUA = `
if ARGV[2] ~= '' then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
end
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('DEL', KEYS[2])
end
return 1
`;

/** Extends the lock only if it is still ours; 0 when it expired and may be someone else's now. */
const RENEW_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

const READ_OR_LOCK_COMMAND = 'outboundResultCacheReadOrLock';
const STORE_AND_UNLOCK_COMMAND = 'outboundResultCacheStoreAndUnlock';
const RENEW_COMMAND = 'outboundResultCacheRenew';

interface LockCommands {
  [READ_OR_LOCK_COMMAND](
    valueKey: string,
    lockKey: string,
    token: string,
    lockMs: number,
    mode: 'fresh' | 'cached',
  ): Promise<[1, string] | [2] | [0]>;
  /** An empty json stores nothing (the compute failed) and only unlocks. */
  [STORE_AND_UNLOCK_COMMAND](
    valueKey: string,
    lockKey: string,
    token: string,
    json: string,
    ttlSeconds: number,
  ): Promise<number>;
  [RENEW_COMMAND](lockKey: string, token: string, lockMs: number): Promise<number>;
}

/**
 * A cache shared by every worker process, with single flight: of concurrent callers for one key,
 * only one computes and the others wait for its value, so a link cited by many articles is
 * requested once. The lock is a lease the holder keeps renewing: waiters wait as long as the holder
 * lives, and no longer than lockMs after it died.
 */
export class SharedResultCache<T> {
  private readonly redis: Redis & LockCommands;
  private readonly pollMs: number;
  private readonly renewMs: number;

  constructor(
    redis: Redis,
    private readonly options: ResultCacheOptions,
  ) {
    if (!options.keyPrefix) throw new Error('SharedResultCache needs a keyPrefix');
    if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds < 1)
      throw new Error(`SharedResultCache ttlSeconds must be a positive integer, got ${options.ttlSeconds}`);
    if (!Number.isInteger(options.lockMs) || options.lockMs < 1)
      throw new Error(`SharedResultCache lockMs must be a positive integer, got ${options.lockMs}`);
    if (options.renewMs !== undefined && (!Number.isInteger(options.renewMs) || options.renewMs < 1)) {
      throw new Error(`SharedResultCache renewMs must be a positive integer, got ${options.renewMs}`);
    }
    this.pollMs = Math.max(options.pollMs ?? 50, 5);
    this.renewMs = options.renewMs ?? Math.max(Math.floor(options.lockMs / 3), 1);
    redis.defineCommand(READ_OR_LOCK_COMMAND, { numberOfKeys: 2, lua: READ_OR_LOCK_LUA });
    redis.defineCommand(STORE_AND_UNLOCK_COMMAND, { numberOfKeys: 2, lua: STORE_AND_UNLOCK_LUA });
    redis.defineCommand(RENEW_COMMAND, { numberOfKeys: 1, lua: RENEW_LUA });
    this.redis = redis as Redis & LockCommands;
  }

  /**
   * The cached value for key, or computes it once across all processes: concurrent callers for the
   * same key wait for the one computing it. With fresh: true, ignore (and overwrite) what is cached.
   * `cached` is false only for the caller whose compute produced the value.
   */
  async getOrCompute(
    key: string,
    compute: () => Promise<T>,
    options: { fresh?: boolean } = {},
  ): Promise<{ value: T; cached: boolean }> {
    const { value: valueKey, lock: lockKey } = this.keysFor(key);
    const fresh = options.fresh === true;
    for (;;) {
      const token = randomUUID();
      const answer = await this.redis[READ_OR_LOCK_COMMAND](
        valueKey,
        lockKey,
        token,
        this.options.lockMs,
        fresh ? 'fresh' : 'cached',
      );
      if (answer[0] === 1) return { value: this.parse(answer[1]), cached: true };
      if (answer[0] === 2) return await this.computeHoldingLock(valueKey, lockKey, token, compute);
      const settled = await this.waitForHolder(valueKey, lockKey, fresh);
      if (settled) return settled;
      // The holder finished without a value (its compute threw) or vanished: contend for the lock again.
    }
  }

  async get(key: string): Promise<T | null> {
    const raw = await this.redis.get(this.keysFor(key).value);
    return raw === null ? null : this.parse(raw);
  }

  private async computeHoldingLock(
    valueKey: string,
    lockKey: string,
    token: string,
    compute: () => Promise<T>,
  ): Promise<{ value: T; cached: boolean }> {
    const stopRenewing = this.keepRenewing(lockKey, token);
    let json = '';
    try {
      const value = await compute();
      const serialised = JSON.stringify(value);
      // undefined (or a function) has no JSON form; failing here beats a cache that silently never hits.
      if (serialised === undefined) throw new TypeError('SharedResultCache: the computed value has no JSON form');
      json = serialised;
      return { value, cached: false };
    } finally {
      stopRenewing();
      const stored = this.redis[STORE_AND_UNLOCK_COMMAND](valueKey, lockKey, token, json, this.options.ttlSeconds);
      // Without a value the lock just expires after lockMs if unlocking fails, so that failure must not
      // replace the outcome; a value that could not be stored must fail the caller as SET did before.
      if (json === '') await stored.catch(() => undefined);
      else await stored;
    }
  }

  /**
   * Renews the lock every renewMs until stopped. A failed renewal (a Redis blip) is retried on the
   * next tick; a lock found expired is not taken back, as another caller may hold it by now (it then
   * computes too, which costs a request and is otherwise harmless). Returns the stop function.
   */
  private keepRenewing(lockKey: string, token: string): () => void {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const tick = (): void => {
      timer = setTimeout(() => {
        // A closed connection (the process is stopping) cannot renew: let the lock run out.
        if (stopped || this.redis.status === 'end') return;
        this.redis[RENEW_COMMAND](lockKey, token, this.options.lockMs).then(
          (renewed) => {
            if (renewed === 1 && !stopped) tick();
          },
          () => {
            if (!stopped) tick();
          },
        );
      }, this.renewMs);
      // Renewing never keeps a process alive on its own.
      timer.unref();
    };
    tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  /**
   * Waits while another caller holds the lock. Returns its value once stored, or null when the lock
   * is gone without one. A fresh caller cannot tell a new value from the old one it means to
   * ignore, so it only waits for the lock to go and then computes itself.
   */
  private async waitForHolder(
    valueKey: string,
    lockKey: string,
    fresh: boolean,
  ): Promise<{ value: T; cached: boolean } | null> {
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
