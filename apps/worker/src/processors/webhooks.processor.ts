import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { outboxIdOfJob, WebhookDeliveries, WebhookFanOut } from '@imprimatur/webhooks';
import { CatalogueProcessor, CatalogueQueue, Handlers } from './catalogue.processor';

const QUEUE = 'webhooks';

/** Events are identified, and delivery jobs checked against their delivery, by their outbox id. */
function eventIdOf(job: Job): string {
  const outboxId = outboxIdOfJob(job.id);
  if (outboxId === null)
    throw new UnrecoverableError(`job ${job.id ?? '?'} (${job.name}) did not come through the outbox`);
  return outboxId;
}

/**
 * Events for downstream readers and their deliveries. An event job fans out to one delivery per
 * subscription that wants it; a delivery job makes one attempt. Retries are not BullMQ's: a failed
 * attempt writes the next one's job to the outbox (due at the backoff schedule's time) in the same
 * transaction that records it, so the schedule lives in PostgreSQL and survives worker and Redis
 * restarts. BullMQ's own retries (JOB_OPTIONS) only cover infrastructure errors.
 */
@CatalogueQueue(QUEUE, { concurrency: 8 })
export class WebhooksProcessor extends CatalogueProcessor<typeof QUEUE> {
  constructor(
    private readonly fanOut: WebhookFanOut,
    private readonly deliveries: WebhookDeliveries,
  ) {
    super();
  }

  readonly handlers: Handlers<typeof QUEUE> = {
    'article.published': (data, { job }) =>
      this.fanOut.fanOut(eventIdOf(job), 'article.published', data, new Date(job.timestamp)),
    'article.unpublished': (data, { job }) =>
      this.fanOut.fanOut(eventIdOf(job), 'article.unpublished', data, new Date(job.timestamp)),
    'article.review_due': (data, { job }) =>
      this.fanOut.fanOut(eventIdOf(job), 'article.review_due', data, new Date(job.timestamp)),
    'article.evidence_alert': (data, { job }) =>
      this.fanOut.fanOut(eventIdOf(job), 'article.evidence_alert', data, new Date(job.timestamp)),
    'webhooks.deliver': async ({ deliveryId }, { job, token }) => {
      const result = await this.deliveries.deliver(deliveryId, eventIdOf(job));
      if (result.kind === 'busy') {
        // Another run of this job is mid-attempt (or crashed in one): look again when its lease ends.
        await job.moveToDelayed(result.until.getTime() + 1_000, token);
        throw new DelayedError();
      }
      return result;
    },
  };
}
