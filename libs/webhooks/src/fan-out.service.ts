import { Injectable } from '@nestjs/common';
import { TransactionRunner, WebhooksRepository } from '@imprimatur/database';
import { OutboxService, WebhookEvent } from '@imprimatur/queue';
import { eventBody } from './signing';

/**
 * Turns one event into one delivery per subscription that wants it, in one transaction with the
 * `webhooks.deliver` job of each (through the outbox). Running it again for the same event adds nothing.
 */
@Injectable()
export class WebhookFanOut {
  constructor(
    private readonly db: TransactionRunner,
    private readonly webhooks: WebhooksRepository,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * `eventId` is the event's outbox id; the body's timestamp is when that row was committed (the
   * event's own transaction), or `fallbackTime` if the row has gone.
   */
  async fanOut(
    eventId: string,
    type: WebhookEvent,
    data: unknown,
    fallbackTime: Date,
  ): Promise<{ eventId: string; deliveries: number }> {
    return this.db.run(async (tx) => {
      const occurredAt = (await this.webhooks.eventTime(eventId, tx)) ?? fallbackTime;
      const created = await this.webhooks.fanOut({ id: eventId, type, body: eventBody(type, occurredAt, data) }, tx);
      for (const delivery of created) {
        const jobRef = await this.outbox.emit(tx, 'webhooks.deliver', { deliveryId: delivery.id });
        await this.webhooks.assignJob(delivery.id, jobRef, tx);
      }
      return { eventId, deliveries: created.length };
    });
  }
}
