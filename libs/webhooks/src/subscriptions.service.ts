import { Injectable } from '@nestjs/common';
import {
  AttemptRecord,
  AuditRepository,
  TransactionRunner,
  WebhookSubscriptionRecord,
  WebhooksRepository,
} from '@imprimatur/database';
import { AuditActor, decodeCursor, notFound, Page, toPage, validationFailed } from '@imprimatur/domain';
import { WEBHOOK_EVENTS, WebhookEvent } from '@imprimatur/queue';
import { newWebhookSecret } from './signing';

// A cursor of the right shape but with values no page of ours produced must be a 400, never a database error.
const malformedCursor = () => validationFailed('cursor is malformed', { fields: { cursor: ['is malformed'] } });

/** The events in catalogue order, each once. */
export const normaliseEvents = (events: readonly string[]): WebhookEvent[] =>
  WEBHOOK_EVENTS.filter((e) => events.includes(e));

/** Admin management of webhook subscriptions; every change and its audit entry commit together. */
@Injectable()
export class WebhookSubscriptions {
  constructor(
    private readonly db: TransactionRunner,
    private readonly webhooks: WebhooksRepository,
    private readonly audit: AuditRepository,
  ) {}

  /** Creates a subscription; the secret is answered here and never again (nor written to the audit log). */
  async create(
    actor: AuditActor,
    input: { url: string; events: readonly string[] },
  ): Promise<{ subscription: WebhookSubscriptionRecord; secret: string }> {
    const secret = newWebhookSecret();
    const events = normaliseEvents(input.events);
    const subscription = await this.db.run(async (tx) => {
      const created = await this.webhooks.insertSubscription(
        { url: input.url, events, secret, createdBy: actor.id },
        tx,
      );
      await this.audit.append(
        {
          actor: { id: actor.id, email: actor.email },
          action: 'webhook.created',
          entityType: 'webhook',
          entityId: created.id,
          data: { url: created.url, events },
        },
        tx,
      );
      return created;
    });
    return { subscription, secret };
  }

  async list(limit: number, cursor?: string): Promise<Page<WebhookSubscriptionRecord>> {
    const after = cursor ? decodeCursor(cursor, ['date', 'uuid']) : null;
    const rows = await this.webhooks.pageSubscriptions(
      after ? { createdAt: String(after[0]), id: String(after[1]) } : null,
      limit,
      this.db.autocommit,
    );
    return toPage(
      rows,
      limit,
      (s) => [s.createdAt.toISOString(), s.id],
      (s) => s,
    );
  }

  /** Soft delete: the subscription goes inactive at once, so pending deliveries to it are abandoned. */
  async remove(actor: AuditActor, id: string): Promise<void> {
    await this.db.run(async (tx) => {
      const deleted = await this.webhooks.softDelete(id, tx);
      if (!deleted) throw notFound('Webhook');
      await this.audit.append(
        {
          actor: { id: actor.id, email: actor.email },
          action: 'webhook.deleted',
          entityType: 'webhook',
          entityId: id,
          data: { url: deleted.url, events: deleted.events },
        },
        tx,
      );
    });
  }

  /** The subscription's delivery attempts, newest first. */
  async attempts(id: string, limit: number, cursor?: string): Promise<Page<AttemptRecord>> {
    const before = cursor ? decodeCursor(cursor, ['string'])[0] : null;
    if (before !== null && !/^\d{1,18}$/.test(String(before))) throw malformedCursor();
    if (!(await this.webhooks.findSubscription(id, this.db.autocommit))) throw notFound('Webhook');
    const rows = await this.webhooks.pageAttempts(
      id,
      before === null ? null : String(before),
      limit,
      this.db.autocommit,
    );
    return toPage(
      rows,
      limit,
      (a) => [a.id],
      (a) => a,
    );
  }
}
