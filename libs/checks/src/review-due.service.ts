import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { ArticlesRepository, AuditRepository, TransactionRunner } from '@imprimatur/database';
import { OutboxService } from '@imprimatur/queue';
import { Notifications, ReReviews } from '@imprimatur/workflow';

const PAGE = 200;
const BEFORE_ALL_IDS = '00000000-0000-0000-0000-000000000000';

/**
 * The review-due scan: flags published articles whose next review is due, once per published
 * version, a page at a time by key, each page in one transaction with its audit entries and events.
 */
@Injectable()
export class ReviewDueScanService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly articles: ArticlesRepository,
    private readonly audit: AuditRepository,
    private readonly outbox: OutboxService,
    private readonly notifications: Notifications,
    private readonly reReviews: ReReviews,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async scan(asOf: Date): Promise<{ flagged: number }> {
    const day = asOf.toISOString().slice(0, 10);
    let after = BEFORE_ALL_IDS;
    let flagged = 0;
    for (;;) {
      const page = await this.db.run(async (tx) => {
        const due = await this.articles.lockDueForReview(day, after, PAGE, tx);
        for (const article of due) {
          const version = article.publishedVersion ?? 0;
          await this.articles.markReviewDue(article.id, version, 'schedule', tx);
          // AUTO_RE_REVIEW (contract §17): the scan opens the re-review itself, which tells the reviewers.
          if (this.config.board.autoReReview && this.reReviews.canOpen(article)) {
            await this.reReviews.open(article, null, 'review_due_scan', tx);
          } else {
            await this.notifications.toReviewers(tx, {
              kind: 'article.review_due',
              article,
              revision: article.publishedRevision,
              data: { publishedVersion: version, nextReviewDue: article.nextReviewDue },
            });
          }
          await this.outbox.emit(tx, 'article.review_due', {
            articleId: article.id,
            slug: article.slug,
            publishedVersion: version,
            nextReviewDue: article.nextReviewDue,
            asOf: asOf.toISOString(),
          });
          await this.audit.append(
            {
              actor: null,
              action: 'article.review_due',
              entityType: 'article',
              entityId: article.id,
              articleId: article.id,
              data: { publishedVersion: version, nextReviewDue: article.nextReviewDue, asOf: day },
            },
            tx,
          );
        }
        return due;
      });
      flagged += page.length;
      if (page.length < PAGE) return { flagged };
      after = page[page.length - 1].id;
    }
  }
}

/**
 * Queues a check of the live revision of every published article, a page at a time: the links
 * (LINK_RECHECK_INTERVAL_HOURS) or the evidence (EVIDENCE_RECHECK_HOURS, contract §16).
 */
@Injectable()
export class PublishedRecheckService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly articles: ArticlesRepository,
    private readonly outbox: OutboxService,
  ) {}

  async enqueueAll(check: 'checks.links' | 'checks.evidence'): Promise<{ queued: number }> {
    let after = BEFORE_ALL_IDS;
    let queued = 0;
    for (;;) {
      const page = await this.articles.publishedAfter(after, 500, this.db.autocommit);
      await this.db.run(async (tx) => {
        for (const article of page) {
          if (article.publishedRevision === null) continue;
          await this.outbox.emit(tx, check, {
            articleId: article.id,
            revision: article.publishedRevision,
            reason: 'scheduled',
          });
          queued++;
        }
      });
      if (page.length < 500) return { queued };
      after = page[page.length - 1].id;
    }
  }
}
