import { createServer } from 'node:net';
import {
  evictionWarning,
  exitCodeOf,
  LogFn,
  redisEvictionPolicy,
  shutDown,
  shutdownDeadlineMs,
  warnIfRedisEvicts,
} from './boot';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const never = () => new Promise<never>(() => undefined);
const quiet: LogFn = () => undefined;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Redis eviction policy', () => {
  it('is fine only with noeviction (or when it cannot be told)', () => {
    expect(evictionWarning('noeviction')).toBeNull();
    expect(evictionWarning(null)).toBeNull();
    for (const policy of ['allkeys-lru', 'volatile-lru', 'allkeys-lfu', 'volatile-ttl', 'allkeys-random']) {
      expect(evictionWarning(policy)).toMatch(new RegExp(`maxmemory-policy ${policy}.*noeviction`));
    }
  });

  it("reads the server's policy from INFO", async () => {
    await expect(redisEvictionPolicy(REDIS_URL)).resolves.toMatch(/^[a-z-]+$/);
  });

  it('says it could not check, rather than failing, when Redis is unreachable', async () => {
    const said: string[] = [];
    await expect(
      warnIfRedisEvicts(`redis://127.0.0.1:${await closedPort()}`, (_level, msg) => said.push(msg)),
    ).resolves.toBeNull();
    expect(said).toEqual([expect.stringContaining('could not read Redis maxmemory-policy')]);
  });
});

describe('shutting down with a deadline', () => {
  it('drains, closes and reports closed', async () => {
    const order: string[] = [];
    const result = await shutDown(
      { drain: async () => order.push('drain'), close: async () => order.push('close') },
      { graceMs: 1_000, forceMs: 1_000, log: quiet },
    );
    expect(result.outcome).toBe('closed');
    expect(order).toEqual(['drain', 'close']);
    expect(exitCodeOf(result.outcome)).toBe(0);
  });

  it('cuts a drain that outlives the grace period, closes with force and reports forced', async () => {
    const said: string[] = [];
    const started = Date.now();
    const result = await shutDown(
      { drain: never, close: async () => undefined },
      { graceMs: 150, forceMs: 1_000, log: (_l, msg) => said.push(msg) },
    );
    expect(result.outcome).toBe('forced');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(said).toEqual([expect.stringMatching(/^not drained after \d+ ms/)]);
    expect(exitCodeOf(result.outcome)).toBe(0);
  });

  it('gives the close its own window and reports timed_out past it (exit 124)', async () => {
    const started = Date.now();
    const result = await shutDown({ drain: never, close: never }, { graceMs: 100, forceMs: 100, log: quiet });
    expect(result.outcome).toBe('timed_out');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(exitCodeOf(result.outcome)).toBe(124);
  });

  it('reports failed when closing throws (exit 1), and closes even when draining throws', async () => {
    const failed = await shutDown(
      { close: async () => Promise.reject(new Error('pool is broken')) },
      { graceMs: 100, forceMs: 100, log: quiet },
    );
    expect(failed.outcome).toBe('failed');
    expect(exitCodeOf(failed.outcome)).toBe(1);
    let closed = false;
    const drainThrew = await shutDown(
      { drain: async () => Promise.reject(new Error('no')), close: async () => (closed = true) },
      { graceMs: 100, forceMs: 100, log: quiet },
    );
    expect(closed).toBe(true);
    expect(drainThrew.outcome).toBe('closed');
  });

  it('ends the grace period early when hurried (a second signal)', async () => {
    const started = Date.now();
    const result = await shutDown(
      { drain: never, close: async () => undefined },
      { graceMs: 60_000, log: quiet, hurry: new Promise((r) => setTimeout(r, 50)) },
    );
    expect(result.outcome).toBe('forced');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('is gone SHUTDOWN_GRACE_MS + 5 s after the signal at the latest', () => {
    expect(shutdownDeadlineMs({ shutdownGraceMs: 10_000 })).toBe(15_000);
  });
});
