import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { NotificationsRepository, ReviewersRepository, RevisionsRepository, Tx } from '@imprimatur/database';
import { NotificationKind, NotificationRecord, Principal } from '@imprimatur/domain';
import { OutboxService } from '@imprimatur/queue';

export interface NotificationCause {
  kind: NotificationKind;
  article: { id: string; title: string };
  revision: number | null;
  data?: Record<string, unknown>;
}

/**
 * Writes notifications (contract §17) in the transaction of their cause, and queues each one's email
 * through the outbox: the mail job decides by the recipient's preference when it runs (immediate now,
 * daily in the digest, off never). Nobody is told of what they did themselves.
 */
@Injectable()
export class Notifications {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifications: NotificationsRepository,
    private readonly reviewers: ReviewersRepository,
    private readonly revisions: RevisionsRepository,
    private readonly outbox: OutboxService,
  ) {}

  async notify(
    tx: Tx,
    recipients: readonly string[],
    cause: NotificationCause,
    actor: Pick<Principal, 'id'> | null = null,
  ): Promise<NotificationRecord[]> {
    const userIds = [...new Set(recipients)].filter((id) => id !== actor?.id).sort();
    const mail = this.config.board.smtpUrl !== null;
    const written = await this.notifications.insertMany(
      userIds.map((userId) => ({
        userId,
        kind: cause.kind,
        articleId: cause.article.id,
        revision: cause.revision,
        title: cause.article.title,
        data: cause.data ?? {},
        emailStatus: mail ? 'pending' : 'skipped',
      })),
      tx,
    );
    if (mail) {
      for (const n of written) await this.outbox.emit(tx, 'notifications.email', { notificationId: n.id });
    }
    return written;
  }

  /** The article's assigned reviewers (active, still on the board). */
  async toReviewers(tx: Tx, cause: NotificationCause, actor: Pick<Principal, 'id'> | null = null) {
    return this.notify(tx, await this.reviewers.eligibleAssignedIds(cause.article.id, tx), cause, actor);
  }

  /** The article's editors: everyone who wrote a revision of it. */
  async toEditors(tx: Tx, cause: NotificationCause, actor: Pick<Principal, 'id'> | null = null) {
    return this.notify(tx, await this.revisions.authorIds(cause.article.id, tx), cause, actor);
  }
}
