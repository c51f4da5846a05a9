import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import {
  LoginThrottleRepository,
  OutboxRepository,
  RefreshTokensRepository,
  TransactionRunner,
  WebhooksRepository,
} from '@imprimatur/database';

/** Dispatched outbox rows are kept this long, for inspection after an incident; then they go. */
export const OUTBOX_RETENTION_DAYS = 7;
const BATCH = 5_000;
/** Deliveries per statement: each takes its attempts (up to WEBHOOK_MAX_ATTEMPTS) with it. */
const WEBHOOK_BATCH = 500;
/** Sign-ins per statement: each takes its tokens (one per refresh) with it. */
const SESSION_BATCH = 1_000;

/**
 * Deletes what has served its purpose, in small batches so that no long transaction holds locks:
 * outbox rows dispatched more than a week ago, login-throttle windows that have ended, and webhook
 * deliveries (with their attempts) finished more than WEBHOOK_LOG_RETENTION_DAYS ago, and refresh
 * tokens of sign-ins that ended more than a day ago (contract §19). The audit log is never pruned:
 * the database refuses it.
 */
@Injectable()
export class RetentionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly webhooks: WebhooksRepository,
    private readonly outbox: OutboxRepository,
    private readonly loginThrottle: LoginThrottleRepository,
    private readonly refreshTokens: RefreshTokensRepository,
  ) {}

  async prune(
    throttleWindowSeconds: number,
    now = new Date(),
  ): Promise<{
    outbox: number;
    loginThrottle: number;
    webhookDeliveries: number;
    webhookAttempts: number;
    refreshTokens: number;
  }> {
    let outbox = 0;
    for (;;) {
      const deleted = await this.outbox.deleteFinished(now, OUTBOX_RETENTION_DAYS, BATCH, this.db.autocommit);
      outbox += deleted;
      if (deleted < BATCH) break;
    }
    const loginThrottle = await this.loginThrottle.deleteEnded(now, throttleWindowSeconds, this.db.autocommit);
    let webhookDeliveries = 0;
    let webhookAttempts = 0;
    for (;;) {
      const pruned = await this.webhooks.pruneFinished(
        now,
        this.config.webhooks.logRetentionDays,
        WEBHOOK_BATCH,
        this.db.autocommit,
      );
      webhookDeliveries += pruned.deliveries;
      webhookAttempts += pruned.attempts;
      if (pruned.deliveries < WEBHOOK_BATCH) break;
    }
    let refreshTokens = 0;
    for (;;) {
      const deleted = await this.refreshTokens.deleteExpiredFamilies(now, SESSION_BATCH, this.db.autocommit);
      refreshTokens += deleted;
      // Every sign-in has a token at least: fewer tokens than sign-ins asked for means none were left over.
      if (deleted < SESSION_BATCH) break;
    }
    return { outbox, loginThrottle, webhookDeliveries, webhookAttempts, refreshTokens };
  }
}
