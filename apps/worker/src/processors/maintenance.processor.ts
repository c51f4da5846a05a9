import { Inject } from '@nestjs/common';
import { PublishedRecheckService, RetentionService, ReviewDueScanService } from '@imprimatur/checks';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { OverdueReminders } from '../mail/overdue.service';
import { CatalogueProcessor, CatalogueQueue, Handlers } from './catalogue.processor';

const QUEUE = 'maintenance';

/** Scheduled and on-demand sweeps; one at a time, as each walks many articles. */
@CatalogueQueue(QUEUE, { concurrency: 1 })
export class MaintenanceProcessor extends CatalogueProcessor<typeof QUEUE> {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reviewDue: ReviewDueScanService,
    private readonly recheck: PublishedRecheckService,
    private readonly retention: RetentionService,
    private readonly overdue: OverdueReminders,
  ) {
    super();
  }

  readonly handlers: Handlers<typeof QUEUE> = {
    'articles.review_due_scan': ({ asOf }) => this.reviewDue.scan(asOf ? new Date(asOf) : new Date()),
    'articles.recheck_published_links': () => this.recheck.enqueueAll('checks.links'),
    'articles.recheck_published_evidence': () => this.recheck.enqueueAll('checks.evidence'),
    'maintenance.prune': () => this.retention.prune(this.config.loginThrottle.windowSeconds),
    'reviews.overdue_scan': ({ asOf }) => this.overdue.scan(asOf ? new Date(asOf) : new Date()),
  };
}
