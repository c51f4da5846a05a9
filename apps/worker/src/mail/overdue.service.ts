import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { NotificationsRepository, TasksRepository, TransactionRunner } from '@imprimatur/database';
import { Notifications } from '@imprimatur/workflow';

const PAGE = 200;
const NIL = '00000000-0000-0000-0000-000000000000';

/**
 * The daily overdue scan (contract §17): a `review.overdue` notification to each reviewer whose
 * assignment passed its due date by `asOf` with no decision on the current revision, once per
 * assignment and revision. A page at a time by key, each page in one transaction: the reminder's
 * claim and its notification (and its email's outbox row) commit together, so a retried scan sends
 * none twice and misses none.
 */
@Injectable()
export class OverdueReminders {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly tasks: TasksRepository,
    private readonly notificationsRepository: NotificationsRepository,
    private readonly notifications: Notifications,
  ) {}

  async scan(asOf: Date): Promise<{ overdue: number; reminded: number }> {
    let after = { articleId: NIL, reviewerId: NIL };
    let overdue = 0;
    let reminded = 0;
    for (;;) {
      const page = await this.db.run(async (tx) => {
        const assignments = await this.tasks.overdue(asOf, this.config.board.reviewSlaDays, after, PAGE, tx);
        let claimed = 0;
        for (const a of assignments) {
          if (!(await this.notificationsRepository.claimOverdueReminder(a.articleId, a.reviewerId, a.revision, tx)))
            continue;
          await this.notifications.notify(tx, [a.reviewerId], {
            kind: 'review.overdue',
            article: { id: a.articleId, title: a.title },
            revision: a.revision,
            data: { dueAt: a.dueAt.toISOString() },
          });
          claimed++;
        }
        return { assignments, claimed };
      });
      overdue += page.assignments.length;
      reminded += page.claimed;
      if (page.assignments.length < PAGE) return { overdue, reminded };
      const last = page.assignments[page.assignments.length - 1];
      after = { articleId: last.articleId, reviewerId: last.reviewerId };
    }
  }
}
