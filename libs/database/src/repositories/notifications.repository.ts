import { Injectable } from '@nestjs/common';
import type { EmailPreference, NotificationKind, NotificationRecord } from '@imprimatur/domain';
import { TableColumns } from '../columns';
import { exec, many, maybeOne, one } from '../sql';
import { Tx } from '../transaction';

interface NotificationRow {
  id: string;
  user_id: string;
  kind: NotificationKind;
  article_id: string | null;
  revision: number | null;
  title: string;
  data: Record<string, unknown>;
  created_at: Date;
  read_at: Date | null;
  email_status: 'pending' | 'sent' | 'skipped';
  emailed_at: Date | null;
}

export const NOTIFICATION_COLUMNS = new TableColumns<NotificationRow>('notifications', {
  id: true,
  user_id: true,
  kind: true,
  article_id: true,
  revision: true,
  title: true,
  data: true,
  created_at: true,
  read_at: true,
  email_status: true,
  emailed_at: true,
});

interface OverdueReminderRow {
  article_id: string;
  reviewer_id: string;
  revision: number;
  sent_at: Date;
}

export const OVERDUE_REMINDER_COLUMNS = new TableColumns<OverdueReminderRow>('overdue_reminders', {
  article_id: true,
  reviewer_id: true,
  revision: true,
  sent_at: true,
});

const toNotification = (r: NotificationRow): NotificationRecord => ({
  id: r.id,
  userId: r.user_id,
  kind: r.kind,
  articleId: r.article_id,
  revision: r.revision,
  title: r.title,
  data: r.data,
  createdAt: r.created_at,
  readAt: r.read_at,
  emailStatus: r.email_status,
  emailedAt: r.emailed_at,
});

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  articleId: string | null;
  revision: number | null;
  title: string;
  data: Record<string, unknown>;
  /** `skipped` when no email will ever be sent for it (no SMTP server configured). */
  emailStatus: 'pending' | 'skipped';
}

/** Notifications (contract §17): written in the transaction of their cause, read newest first by their user. */
@Injectable()
export class NotificationsRepository {
  async insertMany(notifications: readonly NewNotification[], tx: Tx): Promise<NotificationRecord[]> {
    if (notifications.length === 0) return [];
    const rows = await many<NotificationRow>(
      tx,
      `INSERT INTO notifications (user_id, kind, article_id, revision, title, data, email_status)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::int[], $5::text[], $6::jsonb[], $7::text[])
       RETURNING ${NOTIFICATION_COLUMNS.list}`,
      [
        notifications.map((n) => n.userId),
        notifications.map((n) => n.kind),
        notifications.map((n) => n.articleId),
        notifications.map((n) => n.revision),
        notifications.map((n) => n.title),
        notifications.map((n) => JSON.stringify(n.data)),
        notifications.map((n) => n.emailStatus),
      ],
    );
    return rows.map(toNotification);
  }

  /** Newest first, keyset on (created_at, id); `unread` uses the partial index of unread ones. */
  async listOf(
    userId: string,
    options: { unread: boolean; after: { createdAt: string; id: string } | null; limit: number },
    tx: Tx,
  ): Promise<NotificationRecord[]> {
    const values: unknown[] = [userId, options.limit + 1];
    const where = ['user_id = $1'];
    if (options.unread) where.push('read_at IS NULL');
    if (options.after) {
      values.push(options.after.createdAt, options.after.id);
      where.push('(created_at, id) < ($3::timestamptz, $4::uuid)');
    }
    const rows = await many<NotificationRow>(
      tx,
      `SELECT ${NOTIFICATION_COLUMNS.list} FROM notifications WHERE ${where.join(' AND ')}
       ORDER BY created_at DESC, id DESC LIMIT $2`,
      values,
    );
    return rows.map(toNotification);
  }

  async unreadCount(userId: string, tx: Tx): Promise<number> {
    const row = await one<{ n: string }>(
      tx,
      'SELECT count(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL',
      [userId],
    );
    return Number(row.n);
  }

  /** Marks the user's own notifications read (others' ids are ignored); the ids newly marked. */
  async markRead(userId: string, ids: readonly string[] | 'all', tx: Tx): Promise<string[]> {
    const rows =
      ids === 'all'
        ? await many<{ id: string }>(
            tx,
            'UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL RETURNING id',
            [userId],
          )
        : await many<{ id: string }>(
            tx,
            `UPDATE notifications SET read_at = now()
             WHERE user_id = $1 AND id = ANY($2::uuid[]) AND read_at IS NULL RETURNING id`,
            [userId, ids],
          );
    return rows.map((r) => r.id);
  }

  /** Locks one notification for mailing it: null when it is gone or no longer pending. */
  async lockPendingEmail(id: string, tx: Tx): Promise<NotificationRecord | null> {
    const row = await maybeOne<NotificationRow>(
      tx,
      `SELECT ${NOTIFICATION_COLUMNS.list} FROM notifications WHERE id = $1 AND email_status = 'pending' FOR UPDATE`,
      [id],
    );
    return row ? toNotification(row) : null;
  }

  /** A user's notifications still waiting to be mailed, oldest first (a daily digest), locked. */
  async lockPendingEmailsOf(userId: string, limit: number, tx: Tx): Promise<NotificationRecord[]> {
    const rows = await many<NotificationRow>(
      tx,
      `SELECT ${NOTIFICATION_COLUMNS.list} FROM notifications WHERE user_id = $1 AND email_status = 'pending'
       ORDER BY created_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [userId, limit],
    );
    return rows.map(toNotification);
  }

  /** Users with notifications waiting for their digest, by id after `afterUserId`. */
  async usersWithPendingEmail(
    preference: EmailPreference,
    afterUserId: string,
    limit: number,
    tx: Tx,
  ): Promise<string[]> {
    const rows = await many<{ id: string }>(
      tx,
      `SELECT u.id FROM users u WHERE u.email_preference = $1 AND u.active AND u.id > $2
         AND EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = u.id AND n.email_status = 'pending')
       ORDER BY u.id LIMIT $3`,
      [preference, afterUserId, limit],
    );
    return rows.map((r) => r.id);
  }

  async setEmailStatus(ids: readonly string[], status: 'sent' | 'skipped', tx: Tx): Promise<void> {
    if (ids.length === 0) return;
    await exec(
      tx,
      `UPDATE notifications SET email_status = $2, emailed_at = CASE WHEN $2 = 'sent' THEN now() ELSE emailed_at END
       WHERE id = ANY($1::uuid[])`,
      [ids, status],
    );
  }

  /** Records the overdue reminder of (article, reviewer, revision); false when one was already sent. */
  async claimOverdueReminder(articleId: string, reviewerId: string, revision: number, tx: Tx): Promise<boolean> {
    const row = await maybeOne(
      tx,
      `INSERT INTO overdue_reminders (article_id, reviewer_id, revision) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING article_id`,
      [articleId, reviewerId, revision],
    );
    return row !== null;
  }
}
