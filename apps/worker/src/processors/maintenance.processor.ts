import { Processor } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { Inject } from '@nestjs/common';
import { PublishedLinksRecheckService, RetentionService, ReviewDueScanService } from '@imprimatur/checks';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { AnyCatalogueJob, QueueName } from '@imprimatur/queue';
import { CatalogueProcessor } from './catalogue.processor';

/** Scheduled and on-demand sweeps; one at a time, as each walks many articles. */
@Processor('maintenance', { concurrency: 1 })
export class MaintenanceProcessor extends CatalogueProcessor {
  static override readonly queue: QueueName = 'maintenance';
  static override readonly handles = ['articles.review_due_scan', 'articles.recheck_published_links', 'maintenance.prune'] as const;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reviewDue: ReviewDueScanService,
    private readonly recheck: PublishedLinksRecheckService,
    private readonly retention: RetentionService,
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
      case 'maintenance.prune':
        return this.retention.prune(this.config.loginThrottle.windowSeconds);
      default:
        throw new UnrecoverableError(`no handler for job ${job.name}`);
    }
  }
}
