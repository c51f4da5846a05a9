import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { OutboxRepository, TransactionRunner } from '@imprimatur/database';
import { isJobName, JOB_OPTIONS, outboxJobId, QueueName, redisOptions } from '@imprimatur/queue';
import { SERVED_QUEUES } from './served-queues';

const BATCH_SIZE = 100;
/** Polling is the safety net; LISTEN/NOTIFY wakes the relay at once in the normal case. */
const POLL_INTERVAL_MS = 1_000;
const ENQUEUE_TIMEOUT_MS = 5_000;

/**
 * Moves committed outbox rows to BullMQ. A row is marked dispatched in the same transaction that
 * enqueued it, so a Redis outage only delays it; the deterministic job id makes a second relay of the
 * same row a no-op.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly queues = new Map<QueueName, Queue>();
  private listener: Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private failing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly outbox: OutboxRepository,
  ) {}

  onApplicationBootstrap(): void {
    for (const name of SERVED_QUEUES) {
      const queue = new Queue(name, {
        connection: { ...redisOptions(this.config.redisUrl, 'producer') },
        prefix: this.config.queuePrefix,
      });
      // Without a listener an unreachable Redis would surface as an unhandled 'error' event.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    void this.listen();
    this.timer = setInterval(() => this.wake(), POLL_INTERVAL_MS);
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener?.end().catch(() => undefined);
    await this.running;
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }

  /** Runs a relay pass now, or right after the one under way. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      let moved: number;
      do {
        moved = await this.relayBatch();
      } while (moved === BATCH_SIZE && !this.stopped);
      if (this.failing) this.logger.log('outbox relay recovered');
      this.failing = false;
    } catch (error) {
      // Logged once per outage, not once a second.
      if (!this.failing) this.logger.warn({ err: (error as Error).message }, 'outbox relay cannot enqueue; will retry');
      this.failing = true;
    }
  }

  private relayBatch(): Promise<number> {
    return this.db.run(async (tx) => {
      const messages = await this.outbox.claimPending(SERVED_QUEUES, BATCH_SIZE, tx);
      if (messages.length === 0) return 0;
      const now = Date.now();
      for (const name of SERVED_QUEUES) {
        const jobs = messages
          .filter((m) => m.queue === name)
          .map((m) => ({
            name: m.name,
            data: m.payload,
            opts: {
              ...(isJobName(m.name) ? JOB_OPTIONS[m.name] : {}),
              jobId: outboxJobId(m.id),
              ...(m.runAt && m.runAt.getTime() > now ? { delay: m.runAt.getTime() - now } : {}),
            },
          }));
        if (jobs.length > 0) await withTimeout(this.queue(name).addBulk(jobs), ENQUEUE_TIMEOUT_MS);
      }
      await this.outbox.markDispatched(
        messages.map((m) => m.id),
        tx,
      );
      return messages.length;
    });
  }

  private queue(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`queue ${name} is not open`);
    return queue;
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.config.databaseUrl });
    client.on('notification', () => this.wake());
    client.on('error', (error: Error) => {
      this.logger.warn({ err: error.message }, 'outbox listener lost its connection; polling meanwhile');
      this.listener = null;
      setTimeout(() => void this.listen(), POLL_INTERVAL_MS).unref();
    });
    try {
      await client.connect();
      await client.query('LISTEN imprimatur_outbox');
      this.listener = client;
    } catch {
      await client.end().catch(() => undefined);
      if (!this.stopped) setTimeout(() => void this.listen(), POLL_INTERVAL_MS).unref();
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
