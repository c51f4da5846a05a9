import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { JOB_OPTIONS } from '@imprimatur/queue';

/**
 * The recurring work, as BullMQ job schedulers: upserting is idempotent, so every worker may do it
 * at start and there is still one schedule of each.
 */
@Injectable()
export class SchedulesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SchedulesService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue('maintenance') private readonly maintenance: Queue,
    @InjectQueue('mail') private readonly mail: Queue,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: with Redis down the worker still starts, and the upserts go through once it is back.
    void this.upsert().catch((error: Error) =>
      this.logger.error({ err: error.message }, 'could not register the schedules'),
    );
  }

  async upsert(): Promise<void> {
    await this.maintenance.upsertJobScheduler(
      'review-due-scan',
      { pattern: this.config.reviewDueScanCron, tz: 'UTC' },
      { name: 'articles.review_due_scan', data: { asOf: null }, opts: JOB_OPTIONS['articles.review_due_scan'] },
    );
    await this.maintenance.upsertJobScheduler(
      'recheck-published-links',
      { every: this.config.linkCheck.recheckIntervalHours * 3_600_000 },
      { name: 'articles.recheck_published_links', data: {}, opts: JOB_OPTIONS['articles.recheck_published_links'] },
    );
    await this.maintenance.upsertJobScheduler(
      'recheck-published-evidence',
      { every: this.config.evidence.recheckHours * 3_600_000 },
      {
        name: 'articles.recheck_published_evidence',
        data: {},
        opts: JOB_OPTIONS['articles.recheck_published_evidence'],
      },
    );
    await this.maintenance.upsertJobScheduler(
      'overdue-scan',
      { pattern: this.config.board.overdueScanCron, tz: 'UTC' },
      { name: 'reviews.overdue_scan', data: { asOf: null }, opts: JOB_OPTIONS['reviews.overdue_scan'] },
    );
    await this.mail.upsertJobScheduler(
      'daily-digest',
      { pattern: this.config.board.digestCron, tz: 'UTC' },
      { name: 'notifications.digest', data: {}, opts: JOB_OPTIONS['notifications.digest'] },
    );
    await this.maintenance.upsertJobScheduler(
      'prune',
      { every: 24 * 3_600_000 },
      { name: 'maintenance.prune', data: {}, opts: JOB_OPTIONS['maintenance.prune'] },
    );
    this.logger.log(
      {
        reviewDueScan: this.config.reviewDueScanCron,
        recheckEveryHours: this.config.linkCheck.recheckIntervalHours,
        evidenceRecheckEveryHours: this.config.evidence.recheckHours,
        overdueScan: this.config.board.overdueScanCron,
        digest: this.config.board.digestCron,
      },
      'schedules registered',
    );
  }
}
