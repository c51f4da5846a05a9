import { Processor } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { PublishedLinksRecheckService, ReviewDueScanService } from '@imprimatur/checks';
import { AnyCatalogueJob, QueueName } from '@imprimatur/queue';
import { CatalogueProcessor } from './catalogue.processor';

/** Scheduled and on-demand sweeps; one at a time, as each walks many articles. */
@Processor('maintenance', { concurrency: 1 })
export class MaintenanceProcessor extends CatalogueProcessor {
  static override readonly queue: QueueName = 'maintenance';
  static override readonly handles = ['articles.review_due_scan', 'articles.recheck_published_links'] as const;

  constructor(
    private readonly reviewDue: ReviewDueScanService,
    private readonly recheck: PublishedLinksRecheckService,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const catalogued = job as unknown as AnyCatalogueJob;
    switch (catalogued.name) {
      case 'articles.review_due_scan':
        return this.reviewDue.scan(catalogued.data.asOf ? new Date(catalogued.data.asOf) : new Date());
      case 'articles.recheck_published_links':
        return this.recheck.enqueueAll();
      default:
        throw new UnrecoverableError(`no handler for job ${job.name}`);
    }
  }
}
