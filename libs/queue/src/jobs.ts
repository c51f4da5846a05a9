/**
 * The one catalogue of queued work: every job's name, its queue and its payload type. Producers
 * (through the outbox) and processors are type-checked against it, and the worker refuses to start
 * unless every job of a queue it serves has exactly one handler.
 */
export const QUEUE_NAMES = ['system', 'checks', 'maintenance', 'publishing', 'webhooks', 'audit', 'mail'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobPayloads {
  /** A no-op that proves the path from a committed transaction through the outbox to a processor. */
  'system.ping': { requestedAt: string; note?: string };
  /** Check every link of a revision's references; `fresh` ignores cached results. */
  'checks.links': { articleId: string; revision: number; reason: 'revision' | 'manual' | 'scheduled'; fresh?: boolean };
  /**
   * Look a revision's DOIs and PMIDs up in Crossref and PubMed (contract §16); `fresh` ignores cached
   * answers. A run on a live article's published revision also raises evidence alerts.
   */
  'checks.evidence': {
    articleId: string;
    revision: number;
    reason: 'revision' | 'manual' | 'scheduled';
    fresh?: boolean;
  };
  /** Flag published articles whose review is due on or before `asOf` (default: when the job runs). */
  'articles.review_due_scan': { asOf: string | null };
  /** Queue a links check of every published article's live revision. */
  'articles.recheck_published_links': Record<string, never>;
  /** Queue an evidence check of every published article's live revision (EVIDENCE_RECHECK_HOURS). */
  'articles.recheck_published_evidence': Record<string, never>;
  /** Delete what has served its purpose: dispatched outbox rows and expired login-throttle windows. */
  'maintenance.prune': Record<string, never>;
  /** The board approved a revision; the publishing processor publishes it, at `publishAt` if later. */
  'article.approved': {
    articleId: string;
    revision: number;
    approvedAt: string;
    publishAt: string | null;
    approverIds: string[];
  };
  /** Events for downstream readers: the webhooks queue fans each out to the subscriptions that want it. */
  'article.published': {
    articleId: string;
    slug: string;
    version: number;
    revision: number;
    title: string;
    publishedAt: string;
    url: string;
    /** Contract §14: clinical or editorial; the change notes this version includes. */
    significance: 'clinical' | 'editorial';
    changeSummary: string | null;
    /** Contract §17: a periodic re-review published the same content with new review dates. */
    reReview: boolean;
  };
  'article.unpublished': { articleId: string; slug: string; version: number; reason: string; unpublishedAt: string };
  'article.review_due': {
    articleId: string;
    slug: string;
    publishedVersion: number;
    nextReviewDue: string | null;
    asOf: string;
  };
  /** A retraction (or withdrawal) newly found for a paper a live version cites (contract §16). */
  'article.evidence_alert': {
    articleId: string;
    slug: string;
    version: number;
    reference: { n: number; doi: string | null; pmid: string | null; title: string };
    notice: { type: string; doi: string | null; source: string | null; date: string | null };
  };
  /** One delivery of one event to one subscription (retried with the webhook backoff schedule). */
  'webhooks.deliver': { deliveryId: string };
  /** Email one notification (contract §17), as its recipient's preference says when the job runs. */
  'notifications.email': { notificationId: string };
  /** The daily digest (DIGEST_CRON): one email per `daily` user with notifications not yet mailed. */
  'notifications.digest': Record<string, never>;
  /** The daily overdue scan (OVERDUE_SCAN_CRON): `review.overdue` once per assignment and revision. */
  'reviews.overdue_scan': { asOf: string | null };
  /** Append a signed digest of the audit chain's head (daily) and write it to the application log. */
  'audit.digest': Record<string, never>;
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUES = {
  'system.ping': 'system',
  'checks.links': 'checks',
  'checks.evidence': 'checks',
  'articles.review_due_scan': 'maintenance',
  'articles.recheck_published_links': 'maintenance',
  'articles.recheck_published_evidence': 'maintenance',
  'maintenance.prune': 'maintenance',
  'article.approved': 'publishing',
  'article.published': 'webhooks',
  'article.unpublished': 'webhooks',
  'article.review_due': 'webhooks',
  'article.evidence_alert': 'webhooks',
  'webhooks.deliver': 'webhooks',
  'audit.digest': 'audit',
  'notifications.email': 'mail',
  'notifications.digest': 'mail',
  'reviews.overdue_scan': 'maintenance',
} as const satisfies { readonly [N in JobName]: QueueName };

/** The jobs of one queue. */
export type JobsOf<Q extends QueueName> = { [N in JobName]: (typeof JOB_QUEUES)[N] extends Q ? N : never }[JobName];

/**
 * What a processor does with each job of its queue: one handler per job name, so the compiler
 * rejects a processor that forgets one (or handles a job of another queue). `JobRun` is the queue
 * system's own job handle (BullMQ's Job, with the lock token), for the few handlers that reschedule.
 */
export type QueueHandlers<Q extends QueueName, JobRun> = {
  readonly [N in JobsOf<Q>]: (data: JobPayloads[N], run: JobRun) => Promise<unknown>;
};

/** The events downstream readers may subscribe to (contract §8). */
export const WEBHOOK_EVENTS = [
  'article.published',
  'article.unpublished',
  'article.review_due',
  'article.evidence_alert',
] as const satisfies readonly JobName[];
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const JOB_NAMES = Object.keys(JOB_QUEUES) as JobName[];

export interface CatalogueJob<N extends JobName = JobName> {
  name: N;
  data: JobPayloads[N];
}

/** Any job of the catalogue, discriminated by name so that a switch on `name` narrows `data`. */
export type AnyCatalogueJob = { [N in JobName]: CatalogueJob<N> }[JobName];

export const isJobName = (name: string): name is JobName => Object.prototype.hasOwnProperty.call(JOB_QUEUES, name);

/** Ids of jobs relayed from the outbox: deterministic, so a relay that runs twice enqueues once. */
export const outboxJobId = (outboxId: string): string => `outbox-${outboxId}`;

/** The outbox row a job was relayed from (the inverse of outboxJobId); null for jobs of job schedulers. */
export const outboxIdOfJob = (jobId: string | undefined): string | null =>
  /^outbox-(\d+)$/.exec(jobId ?? '')?.[1] ?? null;

export interface HandlerRegistration {
  queue: QueueName;
  names: readonly string[];
}

/**
 * What is wrong with the worker's wiring: on every queue it serves, jobs with no handler or with
 * more than one, and handlers for jobs the catalogue does not know or puts on another queue.
 * Empty when all is well. Queues it does not serve are not its business (see `unservedJobs`).
 */
export function wiringProblems(registrations: readonly HandlerRegistration[]): string[] {
  const problems: string[] = [];
  const served = new Set(registrations.map((r) => r.queue));
  const seen = new Map<string, number>();
  for (const { queue, names } of registrations) {
    for (const name of names) {
      if (!isJobName(name)) {
        problems.push(`a handler on queue "${queue}" names unknown job "${name}"`);
        continue;
      }
      if (JOB_QUEUES[name] !== queue)
        problems.push(`job "${name}" belongs to queue "${JOB_QUEUES[name]}", not "${queue}"`);
      seen.set(name, (seen.get(name) ?? 0) + 1);
    }
  }
  for (const name of JOB_NAMES.filter((n) => served.has(JOB_QUEUES[n]))) {
    const count = seen.get(name) ?? 0;
    if (count === 0) problems.push(`job "${name}" has no handler`);
    if (count > 1) problems.push(`job "${name}" has ${count} handlers`);
  }
  return problems;
}

/** Jobs whose queue no processor of this build serves: they wait in the outbox until one does. */
export function unservedJobs(registrations: readonly HandlerRegistration[]): JobName[] {
  const served = new Set(registrations.map((r) => r.queue));
  return JOB_NAMES.filter((name) => !served.has(JOB_QUEUES[name]));
}
