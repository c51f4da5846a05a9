import Redis from 'ioredis';
import { isolatedEnvironment } from '../support/isolated';
import { freePort, PrivateRedis, waitFor } from '../support/redis-server';
import { AppProcess, Exit } from './support/processes';

/**
 * Issue #20: a deploy must be able to stop the processes, Redis or no Redis. Documented exits
 * (docs/operations.md): the worker exits 0 once everything is closed — within SHUTDOWN_GRACE_MS when
 * its jobs finish, else after closing the queue workers with force — and 124 if even that overran
 * SHUTDOWN_FORCE_MS; the API closes through Nest's hooks, which end it by re-raising the signal (so
 * "killed by SIGTERM", status 143), with the same 124 deadline behind them.
 */
const STOP_BUDGET_MS = 20_000;
const started = (e: { msg?: string }) => e.msg === 'worker started';
const evictionWarning = (e: { msg?: string }) => typeof e.msg === 'string' && e.msg.includes('maxmemory-policy');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe('stopping the worker and the API (fault)', () => {
  const processes: AppProcess[] = [];
  const servers: PrivateRedis[] = [];

  const start = (name: string, app: string, env: Record<string, string> = {}, args: string[] = []) => {
    const child = AppProcess.start(name, app, env, args);
    processes.push(child);
    return child;
  };

  async function privateRedis(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    servers.push(redis);
    await redis.start();
    return redis;
  }

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('warns at start when Redis would evict keys, and stops at once with exit code 0 on SIGTERM', async () => {
    const redis = await privateRedis();
    const admin = new Redis(redis.url);
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    admin.disconnect();
    const worker = start('worker', 'worker', { ...(await isolatedEnvironment('evicting')), REDIS_URL: redis.url });
    await worker.waitForLog(started, 60_000, 'worker started');
    const warning = await worker.waitForLog(evictionWarning, 10_000, 'the eviction warning');
    expect(warning).toMatchObject({ level: 40, maxmemoryPolicy: 'allkeys-lru' });
    expect(warning.msg).toContain('noeviction');

    const sent = worker.signal('SIGTERM');
    const exit = await worker.exit(STOP_BUDGET_MS);
    console.log(`[fault] worker with Redis up: exit code ${exit.code} ${seconds(exit.at - sent)} after SIGTERM`);
    expect(exit).toMatchObject({ code: 0, signal: null, killed: false });
    expect(exit.at - sent).toBeLessThan(5_000);
    expect(worker.entries().find((e) => e.outcome)).toMatchObject({ outcome: 'closed' });
  }, 120_000);

  it('stops the worker and the API within 20 s of SIGTERM when Redis is gone', async () => {
    const redis = await privateRedis();
    const env = {
      ...(await isolatedEnvironment('stopping')),
      REDIS_URL: redis.url,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
    };
    const worker = start('worker', 'worker', env);
    const api = start('api', 'api', env);
    await Promise.all([
      worker.waitForLog(started, 60_000, 'worker started'),
      waitFor(
        async () => api.running && (await fetch(`http://127.0.0.1:${env.PORT}/health`)).ok,
        60_000,
        'the API to answer',
      ),
    ]);
    // Redis's default policy: no warning.
    expect(worker.entries().filter(evictionWarning)).toEqual([]);

    // Redis goes first, and both processes notice before the deploy stops them.
    await redis.stop();
    await worker.waitForLog((e) => e.msg === 'queue connection error; retrying', 10_000, 'the worker to notice');
    const sent = Date.now();
    worker.signal('SIGTERM');
    api.signal('SIGTERM');
    const [workerExit, apiExit] = await Promise.all([
      worker.exit(STOP_BUDGET_MS + 10_000),
      api.exit(STOP_BUDGET_MS + 10_000),
    ]);
    const took = (exit: Exit) => exit.at - sent;
    console.log(
      `[fault] Redis down: worker exited with code ${workerExit.code} ${seconds(took(workerExit))} after SIGTERM; ` +
        `API exited by ${apiExit.signal ?? `code ${apiExit.code}`} ${seconds(took(apiExit))} after SIGTERM (budget ${seconds(STOP_BUDGET_MS)})`,
    );
    expect(workerExit.killed).toBe(false);
    expect(apiExit.killed).toBe(false);
    expect(took(workerExit)).toBeLessThan(STOP_BUDGET_MS);
    expect(took(apiExit)).toBeLessThan(STOP_BUDGET_MS);
    // The worker could not finish draining (BullMQ's close waits for Redis) and forced its close: still 0.
    expect(workerExit).toMatchObject({ code: 0, signal: null });
    expect(worker.entries().find((e) => e.outcome)).toMatchObject({ outcome: 'forced' });
    // The API closed through Nest's hooks, which re-raise the signal.
    expect(apiExit).toMatchObject({ code: null, signal: 'SIGTERM' });
  }, 150_000);

  describe('deadlines', () => {
    const FIXTURE = 'test/faults/fixtures/stuck-shutdown.ts';
    const ready = (e: { msg?: string }) => e.msg === 'ready';

    it('exits 124 when neither draining nor closing finishes: grace, then the force window, then out', async () => {
      const stuck = start('stuck', FIXTURE, {}, ['stuck', '300']);
      await stuck.waitForLog(ready, 30_000, 'ready');
      const sent = stuck.signal('SIGTERM');
      const exit = await stuck.exit(10_000);
      expect(exit).toMatchObject({ code: 124, killed: false });
      expect(exit.at - sent).toBeGreaterThanOrEqual(550);
      expect(exit.at - sent).toBeLessThan(5_000);
      expect(stuck.entries().map((e) => e.msg)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^not drained after/),
          expect.stringMatching(/^stopped \(timed_out\)/),
        ]),
      );
    }, 60_000);

    it('exits 0 when closing works after draining ran out, and a second signal ends the grace period', async () => {
      const forced = start('forced', FIXTURE, {}, ['forced', '300']);
      await forced.waitForLog(ready, 30_000, 'ready');
      forced.signal('SIGTERM');
      expect(await forced.exit(10_000)).toMatchObject({ code: 0, killed: false });
      expect(forced.entries().find((e) => e.outcome)).toMatchObject({ outcome: 'forced' });

      const patient = start('patient', FIXTURE, {}, ['forced', '60000']);
      await patient.waitForLog(ready, 30_000, 'ready');
      const first = patient.signal('SIGTERM');
      await patient.waitForLog((e) => String(e.msg).startsWith('SIGTERM: stopping'), 5_000, 'stopping');
      // The same signal twice at once (Ctrl-C reaches the process group and `npm start` forwards it) is one request...
      patient.signal('SIGINT');
      await new Promise((r) => setTimeout(r, 1_300));
      expect(patient.running).toBe(true);
      // ...a second one later ends the grace period.
      patient.signal('SIGINT');
      await patient.waitForLog((e) => String(e.msg).startsWith('SIGINT again'), 5_000, 'SIGINT again');
      const exit = await patient.exit(10_000);
      expect(exit).toMatchObject({ code: 0, killed: false });
      expect(exit.at - first).toBeLessThan(6_000);
    }, 60_000);

    it("exits 124 when another SIGTERM hook (Nest's, in the API) never finishes", async () => {
      const hooked = start('hooked', FIXTURE, {}, ['deadline', '500']);
      await hooked.waitForLog(ready, 30_000, 'ready');
      const sent = hooked.signal('SIGTERM');
      const exit = await hooked.exit(10_000);
      expect(exit).toMatchObject({ code: 124, killed: false });
      expect(exit.at - sent).toBeGreaterThanOrEqual(450);
      expect(exit.at - sent).toBeLessThan(5_000);
    }, 60_000);
  });
});
