import type { ArticleState } from '../api/types';

export const STATE_LABEL: Record<ArticleState, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  under_review: 'Under review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  archived: 'Archived',
};

export const STATE_COLOR: Record<ArticleState, string> = {
  draft: 'gray',
  submitted: 'blue',
  under_review: 'indigo',
  changes_requested: 'orange',
  approved: 'green',
  archived: 'dark',
};

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** "3 Mar 2026" for a YYYY-MM-DD date or an ISO instant. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTimeFormat.format(date);
}

/** Whole days from an instant until now. */
export function daysSince(value: string, now = Date.now()): number {
  return Math.max(0, Math.floor((now - new Date(value).getTime()) / 86_400_000));
}

/** Whether an instant (e.g. a review's due date) has passed. */
export const isPast = (value: string, now = Date.now()) => new Date(value).getTime() < now;

/** An open review's deadline in words: "due 9 Dec 2026", or "due 9 Dec 2026, overdue" once passed. */
export const dueWords = (dueAt: string, now = Date.now()) =>
  `due ${formatDate(dueAt)}${isPast(dueAt, now) ? ', overdue' : ''}`;

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "article.changes_requested" → "Changes requested". */
export function humanAction(action: string): string {
  const words = action
    .replace(/^[a-z]+\./, (prefix) => (['article.', 'auth.'].includes(prefix) ? '' : prefix.replace('.', ' ')))
    .replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** How many hex digits of a content hash people are shown: enough to tell two revisions apart at a glance. */
export const SHORT_HASH_LENGTH = 12;

/** The first digits of a SHA-256 content hash, to compare by eye; the whole hash goes alongside, for machines and screen readers. */
export const shortHash = (hash: string) => hash.slice(0, SHORT_HASH_LENGTH);
