import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { ResultCacheOptions, SharedResultCache } from './result-cache';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `${process.env.QUEUE_PREFIX ?? 'imprimatur-test-local'}:cache-${randomBytes(4).toString('hex')}`;

// Two connections stand for two worker processes.
const redisA = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
const redisB = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });

async function keysUnder(prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redisA.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

afterAll(async () => {
  const keys = await keysUnder(`${PREFIX}:`);
  if (keys.length > 0) await redisA.unlink(...keys);
  redisA.disconnect();
  redisB.disconnect();
});

interface LinkCheck {
  status: number;
  run: number;
}

function options(name: string, overrides: Partial<ResultCacheOptions> = {}): ResultCacheOptions {
  return { keyPrefix: `${PREFIX}:${name}`, ttlSeconds: 60, lockMs: 5_000, pollMs: 20, ...overrides };
}

/** A compute that counts its calls and answers with the call number, so a recomputation shows. */
function counter(ms = 0) {
  const state = { calls: 0 };
  const compute = async (): Promise<LinkCheck> => {
    state.calls += 1;
    const run = state.calls;
    if (ms > 0) await sleep(ms);
    return { status: 200, run };
  };
  return { state, compute };
}

describe('SharedResultCache', () => {
  const url = 'https://doi.org/10.1000/example';

  it('computes once for concurrent callers and hands them all the value', async () => {
    const cache = new SharedResultCache<LinkCheck>(redisA, options('single-flight'));
    const { state, compute } = counter(100);
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.getOrCompute(url, compute)));
    expect(state.calls).toBe(1);
    expect(results.map((r) => r.value)).toEqual(Array.from({ length: 10 }, () => ({ status: 200, run: 1 })));
    expect(results.filter((r) => r.cached)).toHaveLength(9);
    await expect(cache.get(url)).resolves.toEqual({ status: 200, run: 1 });
  });

  it('computes once across two processes', async () => {
    const first = new SharedResultCache<LinkCheck>(redisA, options('two-workers'));
    const second = new SharedResultCache<LinkCheck>(redisB, options('two-workers'));
    const { state, compute } = counter(100);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? first : second).getOrCompute(url, compute)),
    );
    expect(state.calls).toBe(1);
    expect(new Set(results.map((r) => r.value.run))).toEqual(new Set([1]));
    expect(results.filter((r) => !r.cached)).toHaveLength(1);
  });

  it('recomputes once the value has expired', async () => {
    const cache = new SharedResultCache<LinkCheck>(redisA, options('ttl', { ttlSeconds: 1 }));
    const { state, compute } = counter();
    await expect(cache.getOrCompute(url, compute)).resolves.toEqual({ value: { status: 200, run: 1 }, cached: false });
    await expect(cache.getOrCompute(url, compute)).resolves.toEqual({ value: { status: 200, run: 1 }, cached: true });
    await sleep(1_100);
    await expect(cache.get(url)).resolves.toBeNull();
    await expect(cache.getOrCompute(url, compute)).resolves.toEqual({ value: { status: 200, run: 2 }, cached: false });
    expect(state.calls).toBe(2);
  });

  it('with fresh: true ignores the cached value and overwrites it', async () => {
    const cache = new SharedResultCache<LinkCheck>(redisA, options('fresh'));
    const { state, compute } = counter();
    await cache.getOrCompute(url, compute);
    await expect(cache.getOrCompute(url, compute, { fresh: true })).resolves.toEqual({
      value: { status: 200, run: 2 },
      cached: false,
    });
    await expect(cache.get(url)).resolves.toEqual({ status: 200, run: 2 });
    await expect(cache.getOrCompute(url, compute)).resolves.toEqual({ value: { status: 200, run: 2 }, cached: true });
    expect(state.calls).toBe(2);
  });

  it('caches nothing when compute throws, and the next call computes again', async () => {
    const cache = new SharedResultCache<LinkCheck>(redisA, options('throws'));
    const failure = new Error('ECONNRESET');
    await expect(cache.getOrCompute(url, async () => Promise.reject(failure))).rejects.toBe(failure);
    await expect(cache.get(url)).resolves.toBeNull();
    const { state, compute } = counter();
    await expect(cache.getOrCompute(url, compute)).resolves.toEqual({ value: { status: 200, run: 1 }, cached: false });
    expect(state.calls).toBe(1);
  });

  it('lets a waiter compute when the one computing fails', async () => {
    const cache = new SharedResultCache<LinkCheck>(redisA, options('waiter-takes-over'));
    const failure = new Error('timeout');
    const failing = cache.getOrCompute(url, async () => {
      await sleep(80);
      throw failure;
    });
    await sleep(10);
    const { state, compute } = counter();
    const waiter = cache.getOrCompute(url, compute);
    await expect(failing).rejects.toBe(failure);
    // The failure is not handed to the waiter: it computes for itself instead.
    await expect(waiter).resolves.toEqual({ value: { status: 200, run: 1 }, cached: false });
    expect(state.calls).toBe(1);
  });

  it('lets a waiter compute once the lock of a crashed process expires', async () => {
    const shared = options('crashed', { lockMs: 300 });
    // A process killed mid-request: its compute never settles, and its connection is gone, so it
    // neither unlocks nor renews.
    const doomed = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    void new SharedResultCache<LinkCheck>(doomed, shared).getOrCompute(url, () => new Promise<never>(() => undefined));
    await sleep(20);
    doomed.disconnect();
    const { state, compute } = counter();
    const started = performance.now();
    await expect(new SharedResultCache<LinkCheck>(redisA, shared).getOrCompute(url, compute)).resolves.toEqual({
      value: { status: 200, run: 1 },
      cached: false,
    });
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(700);
    expect(state.calls).toBe(1);
  });

  it('keeps the lock while a live holder computes for longer than lockMs, so the key is still computed once', async () => {
    const shared = options('renewed', { lockMs: 150 });
    const first = new SharedResultCache<LinkCheck>(redisA, shared);
    const second = new SharedResultCache<LinkCheck>(redisB, shared);
    const { state, compute } = counter(700);
    const holder = first.getOrCompute(url, compute);
    await sleep(20);
    const waiters = await Promise.all(Array.from({ length: 4 }, () => second.getOrCompute(url, compute)));
    await expect(holder).resolves.toEqual({ value: { status: 200, run: 1 }, cached: false });
    expect(waiters.map((w) => w.value.run)).toEqual([1, 1, 1, 1]);
    expect(state.calls).toBe(1);
  });

  it('stops renewing once the compute settles, and leaves no lock behind', async () => {
    const shared = options('released', { lockMs: 150 });
    const cache = new SharedResultCache<LinkCheck>(redisA, shared);
    await cache.getOrCompute(url, counter(400).compute);
    await expect(
      cache.getOrCompute(url, async () => Promise.reject(new Error('boom')), { fresh: true }),
    ).rejects.toThrow('boom');
    await sleep(200);
    expect((await keysUnder(`${shared.keyPrefix}:lock:`)).length).toBe(0);
  });

  it('does not let a late holder delete the lock of the process that took over', async () => {
    // The slow holder fails to renew in time (renewMs > lockMs stands for a stalled event loop), so
    // its lock expires under it and another caller takes the lock and computes too.
    const slow = new SharedResultCache<LinkCheck>(redisA, options('late-unlock', { lockMs: 100, renewMs: 60_000 }));
    const other = new SharedResultCache<LinkCheck>(redisB, options('late-unlock', { lockMs: 5_000 }));
    const late = slow.getOrCompute(url, async () => {
      await sleep(250);
      return { status: 500, run: 0 };
    });
    await sleep(150);
    let releaseTakeover!: () => void;
    const takeover = other.getOrCompute(
      url,
      () => new Promise<LinkCheck>((resolve) => (releaseTakeover = () => resolve({ status: 200, run: 1 }))),
      { fresh: true },
    );
    await late;
    // The late holder finished while the other still computes: the lock must still be held.
    const { state, compute } = counter();
    const third = slow.getOrCompute(url, compute, { fresh: true });
    await sleep(60);
    expect(state.calls).toBe(0);
    releaseTakeover();
    await takeover;
    await third;
    expect(state.calls).toBe(1);
  });

  it('hashes keys under the prefix, so any URL makes a short key', async () => {
    const prefix = options('hashed').keyPrefix;
    const cache = new SharedResultCache<string[]>(redisA, options('hashed'));
    const longUrl = `https://example.org/search?q=${'x'.repeat(5_000)}`;
    await cache.getOrCompute(longUrl, async () => ['ok']);
    await expect(cache.get(longUrl)).resolves.toEqual(['ok']);
    await expect(cache.get(`${longUrl}y`)).resolves.toBeNull();
    const keys = await keysUnder(`${prefix}:`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^${prefix}:value:[0-9a-f]{64}$`));
    const ttl = await redisA.ttl(keys[0]);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('refuses a value that JSON cannot hold, instead of caching nothing silently', async () => {
    const cache = new SharedResultCache<undefined>(redisA, options('undefined'));
    await expect(cache.getOrCompute(url, async () => undefined)).rejects.toThrow(/JSON/);
    expect(await keysUnder(`${options('undefined').keyPrefix}:`)).toEqual([]);
  });
});
