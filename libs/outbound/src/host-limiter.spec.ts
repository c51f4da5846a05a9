import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { closeHostLimiters, HostLimiter, HostLimiterOptions, HostWaitAbandonedError } from './host-limiter';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `${process.env.QUEUE_PREFIX ?? 'imprimatur-test-local'}:limiter-${randomBytes(4).toString('hex')}`;

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

/** Each test gets a prefix of its own, so leftovers of one cannot slow down another. */
function options(name: string, overrides: Partial<HostLimiterOptions>): HostLimiterOptions {
  return { keyPrefix: `${PREFIX}:${name}`, concurrency: 1, spacingMs: 0, leaseMs: 5_000, ...overrides };
}

/** Counts the work running at once and records when each piece started. */
function tracker() {
  let inFlight = 0;
  const state = { maxInFlight: 0, starts: [] as number[] };
  const work = (ms: number) => async () => {
    state.starts.push(performance.now());
    inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    await sleep(ms);
    inFlight -= 1;
  };
  return { state, work };
}

describe('HostLimiter', () => {
  it('keeps at most `concurrency` requests to a host in flight, and uses all of them', async () => {
    const limiter = new HostLimiter(redisA, options('concurrency', { concurrency: 2 }));
    const { state, work } = tracker();
    const started = performance.now();
    await Promise.all(Array.from({ length: 20 }, () => limiter.run('links.example.org', work(40))));
    const elapsed = performance.now() - started;
    expect(state.starts).toHaveLength(20);
    expect(state.maxInFlight).toBe(2);
    // 10 rounds of 40 ms: it neither serialises (800 ms) nor lets the work overlap freely.
    expect(elapsed).toBeGreaterThanOrEqual(380);
    expect(elapsed).toBeLessThan(790);
  });

  it('holds the limit across two processes sharing the prefix', async () => {
    const shared = options('two-workers', { concurrency: 2 });
    const first = new HostLimiter(redisA, shared);
    const second = new HostLimiter(redisB, shared);
    const { state, work } = tracker();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? first : second).run('links.example.org', work(40))),
    );
    expect(state.starts).toHaveLength(20);
    expect(state.maxInFlight).toBe(2);
  });

  it('spaces the starts of requests to one host even when more could run at once', async () => {
    const limiter = new HostLimiter(redisA, options('spacing', { concurrency: 5, spacingMs: 100 }));
    const other = new HostLimiter(redisB, options('spacing', { concurrency: 5, spacingMs: 100 }));
    const { state, work } = tracker();
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? limiter : other).run('slow.example.org', work(10))),
    );
    const gaps = state.starts
      .sort((a, b) => a - b)
      .slice(1)
      .map((start, i) => start - state.starts[i]);
    expect(gaps).toHaveLength(5);
    // Spacing holds between the grants, on Redis's clock; a start seen here can be a few ms late
    // (a busy machine), which shortens the gap after it and lengthens the next one.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(80);
    expect(state.starts[5] - state.starts[0]).toBeGreaterThanOrEqual(495);
    // The waiters sleep the gap Redis tells them rather than a fixed poll, so they are not much later either.
    expect(Math.max(...gaps)).toBeLessThan(200);
  });

  it('treats host names case-insensitively', async () => {
    const limiter = new HostLimiter(redisA, options('case', { concurrency: 1 }));
    const { state, work } = tracker();
    await Promise.all(['Example.ORG', 'example.org', 'EXAMPLE.org.'].map((host) => limiter.run(host, work(30))));
    expect(state.maxInFlight).toBe(1);
  });

  it('does not make one host wait for another', async () => {
    const limiter = new HostLimiter(redisA, options('hosts', { concurrency: 1, spacingMs: 500 }));
    let releaseBusy!: () => void;
    const busyStarted = performance.now();
    const busy = limiter.run('busy.example.org', () => new Promise<void>((resolve) => (releaseBusy = resolve)));
    await sleep(20);
    // busy.example.org has its only slot taken and may not start again for 500 ms; another host is free.
    const started = performance.now();
    await expect(limiter.run('idle.example.org', async () => 'done')).resolves.toBe('done');
    expect(performance.now() - started).toBeLessThan(100);
    const blocked = limiter.run('busy.example.org', async () => performance.now());
    const raced = await Promise.race([blocked, sleep(150).then(() => 'still waiting')]);
    expect(raced).toBe('still waiting');
    releaseBusy();
    await busy;
    // Released, but spacing still holds it back until 500 ms after the busy request started.
    expect((await blocked) - busyStarted).toBeGreaterThanOrEqual(490);
  });

  it('frees the slot of a worker that died holding it once leaseMs has passed', async () => {
    const shared = options('abandoned', { concurrency: 1, leaseMs: 400 });
    const dying = new HostLimiter(redisB, shared);
    // Work that never settles stands for a process killed mid-request: nothing ever releases the slot.
    void dying.run('dead.example.org', () => new Promise<never>(() => undefined));
    await sleep(30);
    const survivor = new HostLimiter(redisA, shared);
    const started = performance.now();
    await survivor.run('dead.example.org', async () => undefined);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(800);
  });

  it('drops an expired lease even while the host key itself lives on', async () => {
    const prefix = options('stale', {}).keyPrefix;
    const leases = `${prefix}:{stale.example.org}:leases`;
    // Leases are scored in Redis's clock, not ours.
    const [seconds, micros] = await redisA.time();
    const redisNow = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    // Expired a second ago, in a set that another limiter's longer lease keeps alive.
    await redisA.zadd(leases, redisNow - 1_000, 'crashed-worker');
    await redisA.pexpire(leases, 10_000);
    const limiter = new HostLimiter(redisA, options('stale', { concurrency: 1 }));
    const started = performance.now();
    await limiter.run('stale.example.org', async () => undefined);
    expect(performance.now() - started).toBeLessThan(100);
    expect(await redisA.zscore(leases, 'crashed-worker')).toBeNull();
  });

  it('releases the slot when the work throws', async () => {
    const limiter = new HostLimiter(redisA, options('throws', { concurrency: 1, leaseMs: 10_000 }));
    const failure = new Error('connection reset');
    await expect(limiter.run('flaky.example.org', async () => Promise.reject(failure))).rejects.toBe(failure);
    const started = performance.now();
    await expect(limiter.run('flaky.example.org', async () => 42)).resolves.toBe(42);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('leaves nothing behind for an idle host', async () => {
    const prefix = options('idle', {}).keyPrefix;
    const limiter = new HostLimiter(redisA, options('idle', { concurrency: 2, spacingMs: 150, leaseMs: 300 }));
    let keysDuringWork: string[] = [];
    await limiter.run('quiet.example.org', async () => {
      keysDuringWork = await keysUnder(`${prefix}:`);
    });
    expect(keysDuringWork.sort()).toEqual([
      `${prefix}:{quiet.example.org}:last`,
      `${prefix}:{quiet.example.org}:leases`,
    ]);
    for (const key of keysDuringWork) {
      const ttl = await redisA.pttl(key);
      // -1 would be a key that never expires; -2 (gone) is right for the released lease set.
      expect(ttl === -2 || (ttl > 0 && ttl <= 300)).toBe(true);
    }
    // The released lease set went at once; the spacing mark goes after spacingMs.
    expect(await keysUnder(`${prefix}:`)).toEqual([`${prefix}:{quiet.example.org}:last`]);
    await sleep(200);
    expect(await keysUnder(`${prefix}:`)).toEqual([]);
    // Even a lease that is never released does not outlive leaseMs.
    void limiter.run('quiet.example.org', () => new Promise<never>(() => undefined));
    await sleep(50);
    expect(await keysUnder(`${prefix}:`)).toContain(`${prefix}:{quiet.example.org}:leases`);
    await sleep(350);
    expect(await keysUnder(`${prefix}:`)).toEqual([]);
  });

  it('wakes a waiter in another process as soon as a slot is released, without asking Redis meanwhile', async () => {
    // A recheck far beyond the test's waits: only the release announcement can explain a quick start.
    const shared = options('wake', { concurrency: 1, recheckMs: 10_000 });
    const holder = new HostLimiter(redisA, shared);
    const waiter = new HostLimiter(redisB, shared);
    const asks = jest.spyOn(redisB as unknown as Record<string, () => Promise<unknown>>, 'outboundHostLimiterAcquire');
    try {
      let releasedAt = 0;
      const held = holder.run('wake.example.org', async () => {
        await sleep(200);
        releasedAt = performance.now();
      });
      await sleep(20);
      // Fifty waiters in one process: they queue locally, and only the first asks Redis.
      const starts = await Promise.all(
        Array.from({ length: 50 }, () => waiter.run('wake.example.org', async () => performance.now())),
      );
      await held;
      expect(Math.min(...starts) - releasedAt).toBeLessThan(40);
      // 50 grants, plus the first refusal and perhaps a retry racing the release: no polling.
      expect(asks.mock.calls.length).toBeLessThanOrEqual(53);
    } finally {
      asks.mockRestore();
    }
  });

  it('serves the waiters of one process in the order they came', async () => {
    const limiter = new HostLimiter(redisA, options('fifo', { concurrency: 1 }));
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        limiter.run('fifo.example.org', async () => {
          order.push(i);
          await sleep(5);
        }),
      ),
    );
    expect(order).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('asks again after recheckMs when a release goes unannounced', async () => {
    const shared = options('lost', { concurrency: 1, recheckMs: 150 });
    const limiter = new HostLimiter(redisA, shared);
    const leases = `${shared.keyPrefix}:{lost.example.org}:leases`;
    const [seconds, micros] = await redisA.time();
    const redisNow = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    // A slot held by someone whose release announcement never arrives (as while a subscriber reconnects).
    await redisA.zadd(leases, redisNow + 60_000, 'silent-holder');
    await redisA.pexpire(leases, 60_000);
    const waiting = limiter.run('lost.example.org', async () => performance.now());
    await sleep(50);
    const freedAt = performance.now();
    await redisA.zrem(leases, 'silent-holder');
    const started = await waiting;
    expect(started - freedAt).toBeLessThan(250);
  });

  it('gives up the waits, not the requests, of a process that is stopping', async () => {
    const limiter = new HostLimiter(redisA, options('abandon', { concurrency: 1 }));
    let finishHeld!: () => void;
    const held = limiter.run(
      'stopping.example.org',
      () => new Promise<string>((resolve) => (finishHeld = () => resolve('finished'))),
    );
    await sleep(20);
    const waiting = limiter.run('stopping.example.org', async () => 'should not run');
    limiter.abandonWaits();
    await expect(waiting).rejects.toBeInstanceOf(HostWaitAbandonedError);
    // Nor does a later request wait; the one holding its slot goes on.
    await expect(limiter.run('other.example.org', async () => 'late')).rejects.toBeInstanceOf(HostWaitAbandonedError);
    finishHeld();
    await expect(held).resolves.toBe('finished');
    // Its slot was released: another process gets it at once.
    const other = new HostLimiter(redisB, options('abandon', { concurrency: 1 }));
    const started = performance.now();
    await other.run('stopping.example.org', async () => undefined);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('closes the shared subscriber with closeHostLimiters, even for a connection that never came up', async () => {
    const unreachable = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    unreachable.on('error', () => undefined);
    const duplicate = jest.spyOn(unreachable, 'duplicate');
    new HostLimiter(unreachable, options('unreachable', {}));
    const subscriber = duplicate.mock.results[0]?.value as Redis;
    expect(subscriber).toBeDefined();
    subscriber.on('error', () => undefined);
    let retries = 0;
    subscriber.on('reconnecting', () => (retries += 1));
    await sleep(150);
    expect(retries).toBeGreaterThan(0);
    // ioredis emits no 'end' for a connection closed while it reconnects: the feed would retry for ever.
    closeHostLimiters(unreachable);
    unreachable.disconnect();
    const before = retries;
    await sleep(700);
    expect(retries).toBe(before);
  });

  it('refuses options that would disable the limit', () => {
    expect(() => new HostLimiter(redisA, options('bad', { concurrency: 0 }))).toThrow(/concurrency/);
    expect(() => new HostLimiter(redisA, options('bad', { leaseMs: 0 }))).toThrow(/leaseMs/);
    expect(() => new HostLimiter(redisA, options('bad', { spacingMs: -1 }))).toThrow(/spacingMs/);
    expect(() => new HostLimiter(redisA, options('bad', { recheckMs: 0 }))).toThrow(/recheckMs/);
  });
});
