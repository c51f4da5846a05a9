import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { OutboxRepository, TransactionRunner } from '@imprimatur/database';
import { redisOptions } from '@imprimatur/queue';
import { AuditDigestSchedule } from './processors/audit.processor';
import { OutboxRelay } from './outbox-relay.service';
import { SchedulesService } from './schedules.service';

/**
 * Notices a Redis that lost its data (restarted without persistence, flushed, failed over to an empty
 * replica): a marker key written when the work of this database was first put into Redis is gone.
 * Then every outbox row dispatched but not finished goes back to the relay, which enqueues its job
 * again (under the same id, so a job Redis still has is not doubled), and the job schedulers are
 * registered again. Handlers are idempotent, so a job that had in fact just run changes nothing twice.
 */
@Injectable()
export class RedisLossSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RedisLossSweeper.name);
  private redis: Redis | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly schedules: SchedulesService,
    private readonly auditSchedule: AuditDigestSchedule,
  ) {}

  get markerKey(): string {
    return `${this.config.queuePrefix}:redis-epoch`;
  }

  onApplicationBootstrap(): void {
    this.redis = new Redis(redisOptions(this.config.redisUrl, 'producer'));
    this.redis.on('error', () => undefined);
    this.timer = setInterval(() => this.tick(), this.config.redisLossCheckMs);
    this.timer.unref();
    this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    this.redis?.disconnect();
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.check()
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'Redis loss check failed; will retry'))
      .finally(() => (this.running = null));
  }

  /** Sweeps when the marker is gone; answers how many jobs it re-issued (null: Redis had its data). */
  async check(): Promise<number | null> {
    const redis = this.redis;
    // Unreachable Redis is an outage, not a loss: the relay keeps the work meanwhile.
    if (!redis || redis.status !== 'ready') return null;
    if ((await redis.exists(this.markerKey)) === 1) return null;
    const reissued = await this.db.run(async (tx) => {
      await this.outbox.lockRedisLossSweep(tx);
      // Another worker may have swept while this one waited for the lock.
      if ((await redis.exists(this.markerKey)) === 1) return null;
      return this.outbox.redispatchUnfinished(tx);
    });
    if (reissued === null) return null;
    // After the commit: a marker set in a transaction that then failed would hide the loss for good.
    const epoch = `${new Date().toISOString()} ${randomUUID()}`;
    await redis.set(this.markerKey, epoch);
    this.relay.wake();
    await Promise.all([this.schedules.upsert(), this.auditSchedule.upsert()]);
    if (reissued > 0)
      this.logger.warn({ reissued, epoch }, 'Redis lost its data; re-issued the unfinished jobs from the outbox');
    else this.logger.log({ epoch }, 'Redis epoch marked; no unfinished jobs to re-issue');
    return reissued;
  }
}
