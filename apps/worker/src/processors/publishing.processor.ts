import { Processor } from '@nestjs/bullmq';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { PublishingService } from '@imprimatur/publishing';
import { AnyCatalogueJob, QueueName } from '@imprimatur/queue';
import { CatalogueProcessor } from './catalogue.processor';

@Processor('publishing', { concurrency: 2 })
export class PublishingProcessor extends CatalogueProcessor {
  static override readonly queue: QueueName = 'publishing';
  static override readonly handles = ['article.approved'] as const;

  constructor(private readonly publishing: PublishingService) {
    super();
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const catalogued = job as unknown as AnyCatalogueJob;
    if (catalogued.name !== 'article.approved') throw new UnrecoverableError(`no handler for job ${job.name}`);
    const publishAt = catalogued.data.publishAt ? Date.parse(catalogued.data.publishAt) : 0;
    // The relay already delays it to publishAt; a job that still comes early waits again rather than publish.
    if (publishAt > Date.now() + 1_000 && token) {
      await job.moveToDelayed(publishAt, token);
      throw new DelayedError();
    }
    const outcome = await this.publishing.publish(catalogued.data);
    if (!outcome.published) this.logger.log({ articleId: catalogued.data.articleId, reason: outcome.reason }, 'not published');
    return outcome;
  }
}
