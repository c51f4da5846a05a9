import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { AppConfig, loadConfig } from '@imprimatur/config';
import { RetentionService } from '@imprimatur/checks';
import { TransactionRunner } from '@imprimatur/database';
import { outboxJobId, OutboxService, redisOptions } from '@imprimatur/queue';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { isolatedEnvironment } from '../support/isolated';
import { freePort, PrivateRedis, waitFor } from '../support/redis-server';

let isolated: Record<string, string> = {};

async function startWorker(
  overrides: Record<string, string> = {},
): Promise<{ worker: INestApplicationContext; config: AppConfig }> {
  const config = loadConfig({ ...process.env, ...isolated, ...overrides });
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: false,
    abortOnError: false,
  });
  worker.enableShutdownHooks();
  return { worker, config };
}

/** Emits a ping the way a feature will: inside a database transaction, through the outbox. */
async function emitPing(worker: INestApplicationContext, note: string): Promise<string> {
  const db = worker.get(TransactionRunner);
  const outbox = worker.get(OutboxService);
  return db.run((tx) => outbox.emit(tx, 'system.ping', { requestedAt: new Date().toISOString(), note }));
}

async function completedJob(queue: Queue, outboxId: string): Promise<{ returnvalue: unknown } | null> {
  // The state first, then the job: a job read while it is still active has no return value yet, even
  // if it completes before a later isCompleted() (BullMQ stores both in the one step that finishes it).
  if ((await queue.getJobState(outboxJobId(outboxId))) !== 'completed') return null;
  return (await queue.getJob(outboxJobId(outboxId))) ?? null;
}

describe('outbox relay (e2e)', () => {
  let db: Client;

  beforeAll(async () => {
    isolated = await isolatedEnvironment('outbox');
    db = new Client({ connectionString: isolated.DATABASE_URL });
    await db.connect();
  });
  afterAll(() => db.end());

  it('delivers an event committed in a transaction to its processor, once', async () => {
    const { worker, config } = await startWorker();
    const queue = new Queue('system', {
      connection: { ...redisOptions(config.redisUrl, 'worker') },
      prefix: config.queuePrefix,
    });
    try {
      const id = await emitPing(worker, 'normal path');
      const job = await waitFor(() => completedJob(queue, id), 10_000, 'the ping job to complete');
      expect(job.returnvalue).toMatchObject({ pong: true });
      const row = await db.query('SELECT dispatched_at FROM outbox WHERE id = $1', [id]);
      expect(row.rows[0].dispatched_at).toBeInstanceOf(Date);
      expect(await queue.getJobCounts('completed')).toMatchObject({ completed: expect.any(Number) });
    } finally {
      await queue.close();
      await worker.close();
    }
  });

  it('emits nothing when the transaction rolls back', async () => {
    const { worker } = await startWorker();
    try {
      const db2 = worker.get(TransactionRunner);
      const outbox = worker.get(OutboxService);
      let emitted = '';
      await expect(
        db2.run(async (tx) => {
          emitted = await outbox.emit(tx, 'system.ping', {
            requestedAt: new Date().toISOString(),
            note: 'rolled back',
          });
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect(emitted).not.toBe('');
      const rows = await db.query('SELECT 1 FROM outbox WHERE id = $1', [emitted]);
      expect(rows.rowCount).toBe(0);
    } finally {
      await worker.close();
    }
  });

  it('keeps an event written while Redis is down and delivers it once Redis is back', async () => {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    const { worker, config } = await startWorker({ REDIS_URL: redis.url });
    const connection = { ...redisOptions(redis.url, 'worker') };
    let queue = new Queue('system', { connection, prefix: config.queuePrefix });
    queue.on('error', () => undefined);
    try {
      // The pipeline works while Redis is up...
      const before = await emitPing(worker, 'before the outage');
      await waitFor(() => completedJob(queue, before), 10_000, 'the first ping');
      await queue.close();

      // ...Redis goes away, and an event is committed meanwhile.
      await redis.stop();
      const during = await emitPing(worker, 'during the outage');
      await new Promise((r) => setTimeout(r, 2_500));
      const pending = await db.query('SELECT dispatched_at FROM outbox WHERE id = $1', [during]);
      expect(pending.rows[0].dispatched_at).toBeNull();

      // Redis returns (empty: nothing was persisted) and the relay delivers the event.
      await redis.start();
      queue = new Queue('system', { connection, prefix: config.queuePrefix });
      queue.on('error', () => undefined);
      const job = await waitFor(() => completedJob(queue, during), 20_000, 'the ping written during the outage');
      expect(job.returnvalue).toMatchObject({ pong: true });
      const row = await db.query('SELECT dispatched_at FROM outbox WHERE id = $1', [during]);
      expect(row.rows[0].dispatched_at).toBeInstanceOf(Date);
    } finally {
      await queue.close().catch(() => undefined);
      await worker.close();
      await redis.stop();
    }
  }, 60_000);

  it('prunes outbox rows finished a week ago and ended login-throttle windows, and nothing else', async () => {
    const { worker } = await startWorker();
    try {
      const inserted = await db.query(
        `INSERT INTO outbox (queue, name, payload, created_at, dispatched_at, finished_at) VALUES
           ('system', 'system.ping', '{}', now() - interval '10 days', now() - interval '10 days', now() - interval '10 days'),
           ('system', 'system.ping', '{}', now() - interval '2 days', now() - interval '2 days', now() - interval '2 days'),
           ('nowhere', 'system.ping', '{}', now() - interval '10 days', NULL, NULL),
           ('nowhere', 'system.ping', '{}', now() - interval '10 days', now() - interval '10 days', NULL)
         RETURNING id`,
      );
      // The last: dispatched long ago, its job not finished (a publication scheduled weeks ahead): kept.
      const [old, recent, pending, unfinished] = inserted.rows.map((r: { id: string }) => r.id);
      await db.query(
        `INSERT INTO login_throttle (key, failures, window_started_at) VALUES
           ('address:prune-old', 3, now() - interval '2 hours'), ('address:prune-fresh', 3, now())`,
      );
      // Sign-ins (contract §19): one ended two days ago (a rotated token and its successor), one an
      // hour ago, one still live. Only the first goes, whole.
      const user = (
        await db.query<{ id: string }>(
          `INSERT INTO users (email, name, password_hash, roles) VALUES ('prune-${Date.now()}@imprimatur.test', 'P', 'x', '{editor}')
           RETURNING id`,
        )
      ).rows[0].id;
      const hex = (c: string) => c.repeat(64);
      const families = await db.query<{ family_id: string }>(
        `WITH successor AS (
           INSERT INTO refresh_tokens (user_id, family_id, token_hash, token_version, expires_at)
           VALUES ($1, gen_random_uuid(), $2, 0, now() - interval '2 days') RETURNING id, family_id, expires_at)
         INSERT INTO refresh_tokens (user_id, family_id, token_hash, token_version, expires_at, revoked_at, revoked_reason, replaced_by)
         SELECT $1, family_id, $3, 0, expires_at, expires_at - interval '1 hour', 'rotated', id FROM successor
         UNION ALL SELECT $1, gen_random_uuid(), $4, 0, now() - interval '1 hour', NULL, NULL, NULL
         UNION ALL SELECT $1, gen_random_uuid(), $5, 0, now() + interval '1 hour', NULL, NULL, NULL
         RETURNING family_id`,
        [user, hex('a'), hex('b'), hex('c'), hex('d')],
      );
      const pruned = await worker.get(RetentionService).prune(900);
      expect(pruned.outbox).toBeGreaterThanOrEqual(1);
      expect(pruned.loginThrottle).toBeGreaterThanOrEqual(1);
      expect(pruned.refreshTokens).toBe(2);
      const sessions = await db.query<{ token_hash: string }>(
        'SELECT token_hash FROM refresh_tokens WHERE user_id = $1 ORDER BY token_hash',
        [user],
      );
      expect(sessions.rows.map((r) => r.token_hash[0])).toEqual(['c', 'd']);
      expect(families.rowCount).toBe(3);
      const left = await db.query('SELECT id FROM outbox WHERE id = ANY($1::bigint[]) ORDER BY id', [
        [old, recent, pending, unfinished],
      ]);
      expect(left.rows.map((r: { id: string }) => r.id)).toEqual([recent, pending, unfinished]);
      const keys = await db.query(`SELECT key FROM login_throttle WHERE key LIKE 'address:prune-%'`);
      expect(keys.rows).toEqual([{ key: 'address:prune-fresh' }]);
    } finally {
      await worker.close();
    }
  });

  it('prunes webhook deliveries finished more than WEBHOOK_LOG_RETENTION_DAYS ago with their attempts, never a pending one nor the audit log', async () => {
    const { worker } = await startWorker();
    try {
      const subscription = (
        await db.query(
          `INSERT INTO webhook_subscriptions (url, events, secret) VALUES ('https://hooks.example/prune', '{article.published}', 'whsec_cHJ1bmU=')
           RETURNING id`,
        )
      ).rows[0].id as string;
      const deliveries = await db.query(
        `INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, message_id, body, status, attempts, completed_at, created_at)
         SELECT $1, e, 'article.published', 'msg_prune_' || e || '_' || $2, '{}', s, 1, c, now() - interval '200 days'
         FROM (VALUES (1, 'delivered', now() - interval '100 days'), (2, 'failed', now() - interval '91 days'),
                      (3, 'delivered', now() - interval '10 days'), (4, 'pending', NULL::timestamptz)) AS t (e, s, c)
         RETURNING id, status, event_id`,
        [subscription, Date.now()],
      );
      for (const d of deliveries.rows as { id: string }[]) {
        await db.query(
          `INSERT INTO webhook_attempts (delivery_id, subscription_id, attempt, at, status_code, duration_ms, outcome)
           VALUES ($1, $2, 1, now() - interval '100 days', 500, 12, 'retrying'), ($1, $2, 2, now() - interval '99 days', 200, 9, 'delivered')`,
          [d.id, subscription],
        );
      }
      const auditBefore = Number((await db.query('SELECT count(*) AS n FROM audit_log')).rows[0].n);
      const pruned = await worker.get(RetentionService).prune(900);
      expect(pruned).toMatchObject({ webhookDeliveries: 2, webhookAttempts: 4 });
      const left = await db.query(
        'SELECT event_id FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY event_id',
        [subscription],
      );
      expect(left.rows.map((r: { event_id: string }) => Number(r.event_id))).toEqual([3, 4]);
      const attempts = await db.query('SELECT count(*) AS n FROM webhook_attempts WHERE subscription_id = $1', [
        subscription,
      ]);
      expect(Number(attempts.rows[0].n)).toBe(4);
      expect(Number((await db.query('SELECT count(*) AS n FROM audit_log')).rows[0].n)).toBeGreaterThanOrEqual(
        auditBefore,
      );
    } finally {
      await worker.close();
    }
  });
});
