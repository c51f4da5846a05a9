/**
 * The one catalogue of queued work: every job's name, its queue and its payload type. Producers
 * (through the outbox) and processors are type-checked against it, and the worker refuses to start
 * unless every job here has exactly one handler.
 */
export const QUEUE_NAMES = ['system'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobPayloads {
  /** A no-op that proves the path from a committed transaction through the outbox to a processor. */
  'system.ping': { requestedAt: string; note?: string };
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUES: { readonly [N in JobName]: QueueName } = {
  'system.ping': 'system',
};

export const JOB_NAMES = Object.keys(JOB_QUEUES) as JobName[];

export interface CatalogueJob<N extends JobName = JobName> {
  name: N;
  data: JobPayloads[N];
}

export const isJobName = (name: string): name is JobName => Object.prototype.hasOwnProperty.call(JOB_QUEUES, name);

/** Ids of jobs relayed from the outbox: deterministic, so a relay that runs twice enqueues once. */
export const outboxJobId = (outboxId: string): string => `outbox-${outboxId}`;

export interface HandlerRegistration {
  queue: QueueName;
  names: readonly string[];
}

/**
 * What is wrong with the worker's wiring: jobs with no handler, with more than one, handled on the
 * wrong queue, or handlers for jobs the catalogue does not know. Empty when all is well.
 */
export function wiringProblems(registrations: readonly HandlerRegistration[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const { queue, names } of registrations) {
    for (const name of names) {
      if (!isJobName(name)) {
        problems.push(`a handler on queue "${queue}" names unknown job "${name}"`);
        continue;
      }
      if (JOB_QUEUES[name] !== queue) problems.push(`job "${name}" belongs to queue "${String(JOB_QUEUES[name])}", not "${String(queue)}"`);
      seen.set(name, (seen.get(name) ?? 0) + 1);
    }
  }
  for (const name of JOB_NAMES) {
    const count = seen.get(name) ?? 0;
    if (count === 0) problems.push(`job "${name}" has no handler`);
    if (count > 1) problems.push(`job "${name}" has ${count} handlers`);
  }
  return problems;
}
