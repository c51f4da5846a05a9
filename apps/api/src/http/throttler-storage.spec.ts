import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import type { AppConfig } from '@imprimatur/config';
import { freePort, PrivateRedis, waitFor } from '../../../../test/support/redis-server';
import type { ExecutionContext } from '@nestjs/common';
import { perClientKey, SharedThrottlerStorage } from './throttler-storage';

const LIMIT = 5;
const TTL_MS = 60_000;

/**
 * The storage as two API processes each hold it: one Redis of the test's own (the machine's is never
 * touched), so that an outage can be staged and every key it writes can be listed.
 */
describe('SharedThrottlerStorage', () => {
  let redis: PrivateRedis;
  let admin: Redis;
  const open: SharedThrottlerStorage[] = [];
  const storage = (queuePrefix: string) => {
    const created = new SharedThrottlerStorage({ redisUrl: redis.url, queuePrefix } as AppConfig);
    open.push(created);
    return created;
  };
  const hit = (s: SharedThrottlerStorage, key = 'client-a') => s.increment(key, TTL_MS, LIMIT, TTL_MS, 'default');

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    admin = new Redis(redis.url);
  });

  afterEach(() => {
    for (const s of open.splice(0)) s.onApplicationShutdown();
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await admin?.quit();
    await redis?.stop();
  });

  it('counts the hits of two processes together, under the deployment prefix only', async () => {
    const [a, b] = [storage('deploy-one'), storage('deploy-one')];
    const records = [];
    for (let i = 0; i < 2 * LIMIT; i++) records.push(await hit(i % 2 === 0 ? a : b));
    expect(records.map((r) => r.totalHits)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(records.map((r) => r.isBlocked)).toEqual([...Array(LIMIT).fill(false), ...Array(LIMIT).fill(true)]);
    expect(records[LIMIT].timeToBlockExpire).toBe(TTL_MS / 1000);
    // Another deployment on the same Redis has a budget of its own.
    expect(await hit(storage('deploy-two'))).toMatchObject({ totalHits: 1, isBlocked: false });
    const keys = (await admin.keys('*')).sort();
    expect(keys).toEqual([
      'deploy-one:throttle:{client-a:default}:blocked',
      'deploy-one:throttle:{client-a:default}:hits',
      'deploy-two:throttle:{client-a:default}:hits',
    ]);
    await admin.flushall();
  });

  it('serves requests uncounted, fast and with one warning, while Redis is away; counts again after', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const s = storage('deploy-outage');
    expect(await hit(s)).toMatchObject({ totalHits: 1 });
    await redis.stop();
    const startedAt = Date.now();
    const during = await Promise.all(Array.from({ length: 3 }, () => hit(s)));
    const tookMs = Date.now() - startedAt;
    expect(during).toEqual(
      Array(3).fill({ totalHits: 0, timeToExpire: TTL_MS, isBlocked: false, timeToBlockExpire: 0 }),
    );
    // Bounded by the command timeout (500 ms), not by ioredis's reconnection back-off.
    expect(tookMs).toBeLessThan(1_500);
    expect(await hit(s)).toMatchObject({ totalHits: 0, isBlocked: false });
    expect(warn).toHaveBeenCalledTimes(1);

    // The restarted Redis is empty (no persistence): counting starts again from one.
    await redis.start();
    admin.disconnect();
    admin = new Redis(redis.url);
    let after = await hit(s);
    for (let tries = 0; after.totalHits === 0 && tries < 50; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await hit(s);
    }
    expect(after).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith('rate limit counting again');
  }, 20_000);

  it('closes its connection on application shutdown', async () => {
    const clients = async () =>
      String(await admin.client('LIST'))
        .trim()
        .split('\n').length;
    // The server forgets a closed connection a moment after the client drops it.
    const settlesAt = (n: number) => waitFor(async () => (await clients()) === n, 5_000, `${n} Redis clients`);
    await settlesAt(1);
    const s = storage('deploy-close');
    await hit(s);
    expect(await clients()).toBe(2);
    s.onApplicationShutdown();
    open.splice(open.indexOf(s), 1);
    await settlesAt(1);
  });

  it('keys the limit by client address alone, whichever route is called', () => {
    const route = (name: string) =>
      ({
        getClass: () => ({ name: `${name}Controller` }),
        getHandler: () => ({ name }),
      }) as unknown as ExecutionContext;
    expect(perClientKey(route('me'), '198.19.0.1', 'default')).toBe(
      perClientKey(route('list'), '198.19.0.1', 'default'),
    );
    expect(perClientKey(route('me'), '198.19.0.1', 'default')).not.toBe(
      perClientKey(route('me'), '198.19.0.2', 'default'),
    );
    expect(perClientKey(route('me'), '198.19.0.1', 'default')).not.toContain('198.19');
  });
});
