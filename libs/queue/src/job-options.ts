import type { JobsOptions } from 'bullmq';
import type { JobName } from './jobs';

const HOUR_S = 3600;

/** Kept long enough for a deterministic job id to deduplicate a re-relayed outbox row. */
export const KEEP_COMPLETED = { age: 24 * HOUR_S, count: 10_000 };
export const KEEP_FAILED = { age: 7 * 24 * HOUR_S };

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: KEEP_COMPLETED,
  removeOnFail: KEEP_FAILED,
};

export const JOB_OPTIONS: { readonly [N in JobName]: JobsOptions } = {
  'system.ping': { ...DEFAULT_JOB_OPTIONS, attempts: 1 },
  'checks.links': { ...DEFAULT_JOB_OPTIONS, attempts: 3 },
  'checks.evidence': { ...DEFAULT_JOB_OPTIONS, attempts: 3 },
  'articles.review_due_scan': DEFAULT_JOB_OPTIONS,
  'articles.recheck_published_links': { ...DEFAULT_JOB_OPTIONS, attempts: 2 },
  'articles.recheck_published_evidence': { ...DEFAULT_JOB_OPTIONS, attempts: 2 },
  'maintenance.prune': { ...DEFAULT_JOB_OPTIONS, attempts: 2 },
  'article.approved': DEFAULT_JOB_OPTIONS,
  'article.published': DEFAULT_JOB_OPTIONS,
  'article.unpublished': DEFAULT_JOB_OPTIONS,
  'article.review_due': DEFAULT_JOB_OPTIONS,
  'article.evidence_alert': DEFAULT_JOB_OPTIONS,
  // One job per delivery attempt: a failed attempt writes the next one's job to the outbox (runAt = the
  // WEBHOOK_BACKOFF_MS / Standard Webhooks schedule, up to WEBHOOK_MAX_ATTEMPTS; see libs/webhooks). These
  // BullMQ retries only cover infrastructure errors (database down) before an attempt is recorded.
  'webhooks.deliver': DEFAULT_JOB_OPTIONS,
  'audit.digest': DEFAULT_JOB_OPTIONS,
  // An SMTP server that answers 4xx (451: try later) or is down is retried with backoff for about an hour.
  'notifications.email': { ...DEFAULT_JOB_OPTIONS, attempts: 12, backoff: { type: 'exponential', delay: 2_000 } },
  'notifications.digest': DEFAULT_JOB_OPTIONS,
  'reviews.overdue_scan': DEFAULT_JOB_OPTIONS,
};
