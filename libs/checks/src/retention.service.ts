import { Injectable } from '@nestjs/common';
import { LoginThrottleRepository, OutboxRepository, TransactionRunner } from '@imprimatur/database';

/** Dispatched outbox rows are kept this long, for inspection after an incident; then they go. */
export const OUTBOX_RETENTION_DAYS = 7;
const BATCH = 5_000;

/**
 * Deletes what has served its purpose, in small batches so that no long transaction holds locks:
 * outbox rows dispatched more than a week ago, and login-throttle windows that have ended.
 */
@Injectable()
export class RetentionService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly outbox: OutboxRepository,
    private readonly loginThrottle: LoginThrottleRepository,
  ) {}

  async prune(throttleWindowSeconds: number, now = new Date()): Promise<{ outbox: number; loginThrottle: number }> {
    let outbox = 0;
    for (;;) {
      const deleted = await this.outbox.deleteDispatched(now, OUTBOX_RETENTION_DAYS, BATCH, this.db.autocommit);
      outbox += deleted;
      if (deleted < BATCH) break;
    }
    const loginThrottle = await this.loginThrottle.deleteEnded(now, throttleWindowSeconds, this.db.autocommit);
    return { outbox, loginThrottle };
  }
}
