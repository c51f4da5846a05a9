/**
 * What the board is told (contract §17): notifications in the app, mirrored by email as each user
 * prefers. Browser-safe: the web app names the kinds from here.
 */
export const NOTIFICATION_KINDS = [
  'review.assigned',
  'review.revision_ready',
  'review.overdue',
  'article.changes_requested',
  'comment.reply',
  'article.approved',
  'article.published',
  'article.review_due',
  'evidence.alert',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** `immediate`: one email per notification; `daily`: one digest at DIGEST_CRON; `off`: none. */
export const EMAIL_PREFERENCES = ['immediate', 'daily', 'off'] as const;
export type EmailPreference = (typeof EMAIL_PREFERENCES)[number];

export interface NotificationRecord {
  id: string;
  userId: string;
  kind: NotificationKind;
  articleId: string | null;
  revision: number | null;
  /** The article's title when the notification was written. */
  title: string;
  data: Record<string, unknown>;
  createdAt: Date;
  readAt: Date | null;
  emailStatus: 'pending' | 'sent' | 'skipped';
  emailedAt: Date | null;
}

/** The screen of the web app a notification leads to, under `/app/` (contract §17: each links to its screen). */
export function notificationPath(notification: Pick<NotificationRecord, 'kind' | 'articleId'>): string {
  if (notification.articleId === null) return '/app/';
  const article = `/app/articles/${notification.articleId}`;
  switch (notification.kind) {
    case 'review.assigned':
    case 'review.revision_ready':
    case 'review.overdue':
    case 'evidence.alert':
    case 'article.review_due':
      return `${article}/review`;
    case 'article.changes_requested':
      return `${article}/edit`;
    default:
      return article;
  }
}

/** One line that says what happened, for the app's list and the email's subject. */
export function notificationSentence(notification: Pick<NotificationRecord, 'kind' | 'title' | 'revision'>): string {
  const title = `"${notification.title}"`;
  switch (notification.kind) {
    case 'review.assigned':
      return `You were asked to review ${title}`;
    case 'review.revision_ready':
      return `Revision ${notification.revision ?? ''} of ${title} is ready for your review`.replace('  ', ' ');
    case 'review.overdue':
      return `Your review of ${title} is overdue`;
    case 'article.changes_requested':
      return `The board asked for changes to ${title}`;
    case 'comment.reply':
      return `Someone replied to your comment on ${title}`;
    case 'article.approved':
      return `${title} was approved by the board`;
    case 'article.published':
      return `${title} was published`;
    case 'article.review_due':
      return `${title} is due for review`;
    case 'evidence.alert':
      return `A paper cited by ${title} was retracted`;
  }
}
