import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { AuditRepository, DeliveryForAttempt, TransactionRunner, WebhooksRepository } from '@imprimatur/database';
import { describeOutboundFailure, isOutboundError, SafeHttpClient } from '@imprimatur/outbound';
import { OutboxService } from '@imprimatur/queue';
import { AttemptOutcome, attemptOutcome, retryDelayMs } from './backoff';
import { signedHeaders } from './signing';

/** The SSRF-safe client deliveries go through (allow list: OUTBOUND_ALLOW_HOSTS; timeout: WEBHOOK_TIMEOUT_MS). */
export const WEBHOOK_HTTP = Symbol('WEBHOOK_HTTP');

export const WEBHOOK_USER_AGENT = 'Imprimatur-Webhooks/1.0 (+https://imprimatur.invalid)';

const MAX_ERROR_LENGTH = 500;

export type DeliverResult =
  | { kind: 'skipped'; reason: 'unknown' | 'finished' | 'superseded' }
  | { kind: 'abandoned' }
  /** Another run holds the delivery's lease (an attempt in flight, or one that crashed) until then. */
  | { kind: 'busy'; until: Date }
  | {
      kind: 'attempted';
      attempt: number;
      outcome: AttemptOutcome;
      statusCode: number | null;
      nextAttemptAt: Date | null;
    };

type Claim = { kind: 'claimed'; delivery: DeliveryForAttempt } | Exclude<DeliverResult, { kind: 'attempted' }>;

/**
 * What an attempt's record says of a failure: one of the outbound client's fixed codes and
 * sentences (never the raw error, whose text can name a resolved internal address).
 */
const describe = (error: unknown): string => {
  const { code, message } = describeOutboundFailure(error);
  return `${code}: ${message}`.slice(0, MAX_ERROR_LENGTH);
};

/**
 * One attempt of one delivery. The database is the truth: the delivery row says which job owns the
 * next attempt (`job_ref`) and how many were made; each attempt is recorded, and the next one is
 * scheduled by an outbox row (with `runAt`) written in the same transaction as the failed attempt, so
 * neither a worker restart nor a Redis outage loses it.
 */
@Injectable()
export class WebhookDeliveries implements OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveries.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly webhooks: WebhooksRepository,
    private readonly audit: AuditRepository,
    private readonly outbox: OutboxService,
    @Inject(WEBHOOK_HTTP) private readonly http: SafeHttpClient,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
  }

  /** Makes the next attempt of the delivery, if the job of outbox id `jobRef` still owns it. */
  async deliver(deliveryId: string, jobRef: string, random: () => number = Math.random): Promise<DeliverResult> {
    const claim = await this.claim(deliveryId, jobRef);
    if (claim.kind !== 'claimed') return claim;
    const delivery = claim.delivery;
    const attempt = delivery.attempts + 1;
    const at = new Date();
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      // No redirects are followed: a 3xx is not a 2xx, so it is retried like any other answer.
      const response = await this.http.request(delivery.subscription.url, {
        method: 'POST',
        headers: signedHeaders(delivery.subscription.secret, delivery.messageId, delivery.body, at),
        body: delivery.body,
        timeoutMs: this.config.webhooks.timeoutMs,
      });
      statusCode = response.status;
    } catch (err) {
      error = describe(err);
      // The raw error stays in the operator's log; anything but the client's own failures is a bug.
      if (!isOutboundError(err)) this.logger.error({ err, deliveryId }, 'webhook attempt failed unexpectedly');
    }
    const durationMs = Math.max(0, Math.round(performance.now() - started));
    const outcome = attemptOutcome(statusCode, attempt, this.config.webhooks.maxAttempts);
    try {
      const nextAttemptAt = await this.record(
        delivery,
        { attempt, at, statusCode, durationMs, error, outcome },
        random,
      );
      if (outcome !== 'delivered') {
        this.logger.log(
          { deliveryId, subscriptionId: delivery.subscriptionId, attempt, statusCode, error, outcome },
          'webhook attempt failed',
        );
      }
      return { kind: 'attempted', attempt, outcome, statusCode, nextAttemptAt };
    } catch (err) {
      // Nothing was recorded: free the delivery so that the job's retry makes this attempt again.
      await this.webhooks.releaseLease(deliveryId, this.db.autocommit).catch(() => undefined);
      throw err;
    }
  }

  private claim(deliveryId: string, jobRef: string): Promise<Claim> {
    return this.db.run(async (tx): Promise<Claim> => {
      const delivery = await this.webhooks.lockForAttempt(deliveryId, tx);
      if (!delivery) return { kind: 'skipped', reason: 'unknown' };
      if (delivery.status !== 'pending') return { kind: 'skipped', reason: 'finished' };
      if (delivery.jobRef !== null && delivery.jobRef !== jobRef) return { kind: 'skipped', reason: 'superseded' };
      if (!delivery.subscription.active) {
        // Deleted or disabled since the event: nobody is listening any more.
        await this.webhooks.finish(delivery.id, 'abandoned', delivery.attempts, tx);
        return { kind: 'abandoned' };
      }
      if (delivery.leased && delivery.leaseUntil) return { kind: 'busy', until: delivery.leaseUntil };
      await this.webhooks.lease(delivery.id, this.config.webhooks.timeoutMs + this.config.webhooks.leaseMarginMs, tx);
      return { kind: 'claimed', delivery };
    });
  }

  /** Records the attempt and its consequence; answers when the next attempt is due, if there is one. */
  private record(
    delivery: DeliveryForAttempt,
    result: {
      attempt: number;
      at: Date;
      statusCode: number | null;
      durationMs: number;
      error: string | null;
      outcome: AttemptOutcome;
    },
    random: () => number,
  ): Promise<Date | null> {
    return this.db.run(async (tx) => {
      await this.webhooks.lockForAttempt(delivery.id, tx);
      await this.webhooks.insertAttempt(
        { deliveryId: delivery.id, subscriptionId: delivery.subscriptionId, ...result },
        tx,
      );
      switch (result.outcome) {
        case 'delivered':
          await this.webhooks.finish(delivery.id, 'delivered', result.attempt, tx);
          return null;
        case 'failed':
          await this.webhooks.finish(delivery.id, 'failed', result.attempt, tx);
          return null;
        case 'disabled': {
          await this.webhooks.finish(delivery.id, 'failed', result.attempt, tx);
          const disabled = await this.webhooks.disable(delivery.subscriptionId, 'gone', tx);
          if (disabled) {
            await this.audit.append(
              {
                actor: null,
                action: 'webhook.disabled',
                entityType: 'webhook',
                entityId: delivery.subscriptionId,
                data: {
                  url: disabled.url,
                  reason: 'gone',
                  statusCode: 410,
                  deliveryId: delivery.id,
                  eventId: delivery.eventId,
                },
              },
              tx,
            );
          }
          return null;
        }
        case 'retrying': {
          const nextAttemptAt = new Date(
            Date.now() + retryDelayMs(result.attempt, this.config.webhooks.backoffMs, random),
          );
          await this.webhooks.reschedule(delivery.id, result.attempt, nextAttemptAt, tx);
          const jobRef = await this.outbox.emit(
            tx,
            'webhooks.deliver',
            { deliveryId: delivery.id },
            { runAt: nextAttemptAt },
          );
          await this.webhooks.assignJob(delivery.id, jobRef, tx);
          return nextAttemptAt;
        }
      }
    });
  }
}
