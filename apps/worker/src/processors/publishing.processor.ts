import { DelayedError } from 'bullmq';
import { PublishingService } from '@imprimatur/publishing';
import { CatalogueProcessor, CatalogueQueue, Handlers } from './catalogue.processor';

const QUEUE = 'publishing';

@CatalogueQueue(QUEUE, { concurrency: 2 })
export class PublishingProcessor extends CatalogueProcessor<typeof QUEUE> {
  constructor(private readonly publishing: PublishingService) {
    super();
  }

  readonly handlers: Handlers<typeof QUEUE> = {
    'article.approved': async (approval, { job, token }) => {
      const publishAt = approval.publishAt ? Date.parse(approval.publishAt) : 0;
      // The relay already delays it to publishAt; a job that still comes early waits again rather than publish.
      if (publishAt > Date.now() + 1_000 && token) {
        await job.moveToDelayed(publishAt, token);
        throw new DelayedError();
      }
      const outcome = await this.publishing.publish(approval);
      if (!outcome.published)
        this.logger.log({ articleId: approval.articleId, reason: outcome.reason }, 'not published');
      return outcome;
    },
  };
}
