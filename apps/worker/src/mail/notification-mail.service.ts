import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { NotificationsRepository, TransactionRunner, UsersRepository } from '@imprimatur/database';
import { digestMail, Mailer, MailLinks, notificationMail } from './mailer';

/** Users per page of the digest run, and the most notifications one digest lists (the rest wait for the next). */
const USERS_PAGE = 100;
const DIGEST_LIMIT = 200;
const BEFORE_ALL_IDS = '00000000-0000-0000-0000-000000000000';

export type EmailOutcome = 'sent' | 'skipped' | 'for_digest' | 'not_pending';

/**
 * Emails notifications (contract §17) as each recipient prefers: `immediate` one mail each, `daily` one
 * digest, `off` none. A notification is locked while it is mailed and marked in the same transaction,
 * so two runs of one job cannot both send it. A crash after the server accepted the mail and before the
 * commit leaves it pending and it is sent again: that second copy has the same Message-ID, which mail
 * clients and servers use to drop the duplicate. That is as close to exactly once as SMTP allows.
 */
@Injectable()
export class NotificationMail {
  private readonly logger = new Logger(NotificationMail.name);
  private readonly links: MailLinks;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly notifications: NotificationsRepository,
    private readonly users: UsersRepository,
    private readonly mailer: Mailer,
  ) {
    this.links = { publicBaseUrl: config.publicBaseUrl };
  }

  /** One notification's email job. An SMTP failure rejects (the transaction rolls back) for BullMQ to retry. */
  sendOne(notificationId: string): Promise<{ outcome: EmailOutcome }> {
    return this.db.run(async (tx) => {
      const notification = await this.notifications.lockPendingEmail(notificationId, tx);
      if (!notification) return { outcome: 'not_pending' };
      const user = await this.users.emailPreferenceOf(notification.userId, tx);
      // No SMTP server here (the API has one configured, this worker not): nothing will ever send it.
      if (!this.mailer.enabled || !user || !user.active || user.preference === 'off') {
        await this.notifications.setEmailStatus([notification.id], 'skipped', tx);
        return { outcome: 'skipped' };
      }
      if (user.preference === 'daily') return { outcome: 'for_digest' };
      await this.mailer.send(
        notificationMail(notification, { id: notification.userId, name: user.name, email: user.email }, this.links),
      );
      await this.notifications.setEmailStatus([notification.id], 'sent', tx);
      return { outcome: 'sent' };
    });
  }

  /**
   * The daily digest due at `scheduledAt`: every `daily` user with notifications pending gets one mail
   * listing those written before then. The cut-off makes a retried run send the same digests (same
   * Message-ID, per user and day) and leaves what came later for the next day. Users already done are
   * marked, so a run retried after a failure carries on where it stopped.
   */
  async sendDigests(scheduledAt: Date): Promise<{ digests: number; notifications: number }> {
    const day = scheduledAt.toISOString().slice(0, 10);
    let after = BEFORE_ALL_IDS;
    let digests = 0;
    let notifications = 0;
    if (!this.mailer.enabled) return { digests, notifications };
    for (;;) {
      const userIds = await this.notifications.usersWithPendingEmail('daily', after, USERS_PAGE, this.db.autocommit);
      for (const userId of userIds) {
        const listed = await this.digestOf(userId, scheduledAt, day);
        if (listed > 0) digests++;
        notifications += listed;
      }
      if (userIds.length < USERS_PAGE) break;
      after = userIds[userIds.length - 1];
    }
    if (digests > 0) this.logger.log({ day, digests, notifications }, 'daily digests sent');
    return { digests, notifications };
  }

  /** One user's digest; how many notifications it listed. */
  private digestOf(userId: string, cutOff: Date, day: string): Promise<number> {
    return this.db.run(async (tx) => {
      const user = await this.users.emailPreferenceOf(userId, tx);
      const pending = (await this.notifications.lockPendingEmailsOf(userId, DIGEST_LIMIT, tx)).filter(
        (n) => n.createdAt.getTime() <= cutOff.getTime(),
      );
      if (!user || pending.length === 0) return 0;
      const ids = pending.map((n) => n.id);
      // Turned off (or deactivated) since the page was read: these are never to be mailed.
      if (!user.active || user.preference === 'off') {
        await this.notifications.setEmailStatus(ids, 'skipped', tx);
        return 0;
      }
      await this.mailer.send(digestMail(pending, { id: userId, name: user.name, email: user.email }, day, this.links));
      await this.notifications.setEmailStatus(ids, 'sent', tx);
      return pending.length;
    });
  }
}
