import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@imprimatur/database';

/** Dispatched outbox rows are kept this long, for inspection after an incident; then they go. */
export const OUTBOX_RETENTION_DAYS = 7;
const BATCH = 5_000;

/**
 * Deletes what has served its purpose, in small batches so that no long transaction holds locks:
 * outbox rows dispatched more than a week ago, and login-throttle windows that have ended.
 */
@Injectable()
export class RetentionService {
  constructor(private readonly db: TransactionRunner) {}

  async prune(throttleWindowSeconds: number, now = new Date()): Promise<{ outbox: number; loginThrottle: number }> {
    let outbox = 0;
    for (;;) {
      const [, deleted] = await this.db.manager.query<[unknown[], number]>(
        `DELETE FROM outbox WHERE id IN (
           SELECT id FROM outbox WHERE dispatched_at < $1::timestamptz - make_interval(days => $2) LIMIT $3)`,
        [now, OUTBOX_RETENTION_DAYS, BATCH],
      );
      outbox += deleted;
      if (deleted < BATCH) break;
    }
    const [, loginThrottle] = await this.db.manager.query<[unknown[], number]>(
      'DELETE FROM login_throttle WHERE window_started_at + make_interval(secs => $2) < $1::timestamptz',
      [now, throttleWindowSeconds],
    );
    return { outbox, loginThrottle };
  }
}
