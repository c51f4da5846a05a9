import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { TransactionRunner, WebhooksRepository } from '@imprimatur/database';
import { OutboxService } from '@imprimatur/queue';

const SWEEP_INTERVAL_MS = 60_000;
const MIN_GRACE_MS = 5 * 60_000;
const BATCH = 100;

/**
 * The safety net under the delivery jobs: a pending delivery whose next attempt is long overdue
 * although its job left the outbox long ago (a Redis that lost its data, or a job BullMQ gave up on
 * after infrastructure errors) gets a new job through the outbox. The new job takes over the delivery
 * (`job_ref`), so the old one, should it turn up after all, does nothing.
 */
@Injectable()
export class WebhookRecovery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookRecovery.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly webhooks: WebhooksRepository,
    private readonly outbox: OutboxService,
  ) {}

  /** Overdue by more than this (and never less than an attempt can take) counts as lost. */
  get graceMs(): number {
    return Math.max(MIN_GRACE_MS, 2 * this.config.webhooks.timeoutMs);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .catch((error: Error) => this.logger.warn({ err: error.message }, 'webhook recovery sweep failed; will retry'))
        .finally(() => (this.running = null));
    }, SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Re-issues the jobs of lost deliveries; answers how many. */
  async sweep(graceMs = this.graceMs): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.db.run(async (tx) => {
        const stalled = await this.webhooks.lockStalled(graceMs, BATCH, tx);
        for (const deliveryId of stalled) {
          const jobRef = await this.outbox.emit(tx, 'webhooks.deliver', { deliveryId });
          await this.webhooks.assignJob(deliveryId, jobRef, tx);
          await this.webhooks.touchNextAttempt(deliveryId, tx);
        }
        return stalled.length;
      });
      total += count;
      if (count < BATCH) break;
    }
    if (total > 0) this.logger.warn({ deliveries: total }, 're-issued webhook deliveries whose jobs were lost');
    return total;
  }
}
