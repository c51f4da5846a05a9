import { Processor } from '@nestjs/bullmq';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { AnyCatalogueJob, QueueName } from '@imprimatur/queue';
import { outboxIdOfJob, WebhookDeliveries, WebhookFanOut } from '@imprimatur/webhooks';
import { CatalogueProcessor } from './catalogue.processor';

/**
 * Events for downstream readers and their deliveries. An event job fans out to one delivery per
 * subscription that wants it; a delivery job makes one attempt. Retries are not BullMQ's: a failed
 * attempt writes the next one's job to the outbox (due at the backoff schedule's time) in the same
 * transaction that records it, so the schedule lives in PostgreSQL and survives worker and Redis
 * restarts. BullMQ's own retries (JOB_OPTIONS) only cover infrastructure errors.
 */
@Processor('webhooks', { concurrency: 8 })
export class WebhooksProcessor extends CatalogueProcessor {
  static override readonly queue: QueueName = 'webhooks';
  static override readonly handles = ['article.published', 'article.unpublished', 'article.review_due', 'webhooks.deliver'] as const;

  constructor(
    private readonly fanOut: WebhookFanOut,
    private readonly deliveries: WebhookDeliveries,
  ) {
    super();
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const catalogued = job as unknown as AnyCatalogueJob;
    // Events are identified, and delivery jobs checked against their delivery, by their outbox id.
    const outboxId = outboxIdOfJob(job.id);
    if (outboxId === null) throw new UnrecoverableError(`job ${job.id ?? '?'} (${job.name}) did not come through the outbox`);
    switch (catalogued.name) {
      case 'article.published':
      case 'article.unpublished':
      case 'article.review_due':
        return this.fanOut.fanOut(outboxId, catalogued.name, catalogued.data, new Date(job.timestamp));
      case 'webhooks.deliver': {
        const result = await this.deliveries.deliver(catalogued.data.deliveryId, outboxId);
        if (result.kind === 'busy') {
          // Another run of this job is mid-attempt (or crashed in one): look again when its lease ends.
          await job.moveToDelayed(result.until.getTime() + 1_000, token);
          throw new DelayedError();
        }
        return result;
      }
      default:
        throw new UnrecoverableError(`no handler for job ${job.name}`);
    }
  }
}
