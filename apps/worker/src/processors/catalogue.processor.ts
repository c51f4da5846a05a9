import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import {
  DelayedError,
  Job,
  RateLimitError,
  UnrecoverableError,
  WaitingChildrenError,
  WaitingError,
  WorkerOptions,
} from 'bullmq';
import { QueueHandlers, QueueName } from '@imprimatur/queue';
import { OutboxLedger } from '../outbox-ledger.service';

/** A job as its handler gets it: BullMQ's job and the lock token (to reschedule it, for example). */
export interface JobRun {
  job: Job;
  token?: string;
}

export type Handlers<Q extends QueueName> = QueueHandlers<Q, JobRun>;

/** Any handler of the map: a handler of one job takes that job's payload, and `never` is every payload. */
type SomeHandler = (data: never, run: JobRun) => Promise<unknown>;

const CATALOGUE_QUEUE = Symbol('imprimatur:catalogue-queue');

/**
 * `@CatalogueQueue(queue, options)` on a processor: BullMQ's `@Processor` for that queue, and the
 * queue recorded on the class, so that the queue is named once (the class's type parameter takes it
 * from the same constant) and the worker knows which queues it serves before it builds any processor.
 */
export function CatalogueQueue(queue: QueueName, options: Partial<WorkerOptions> = {}): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(CATALOGUE_QUEUE, queue, target);
    Processor(queue, options)(target);
  };
}

/** The queue a processor class serves (from `@CatalogueQueue`). */
export function queueOf(processor: abstract new (...args: never[]) => unknown): QueueName {
  const queue = Reflect.getOwnMetadata(CATALOGUE_QUEUE, processor) as QueueName | undefined;
  if (!queue) throw new Error(`${processor.name} has no @CatalogueQueue`);
  return queue;
}

/**
 * Base of every processor: a handler per job of its queue (a mapped type over the job catalogue, so
 * a missing one does not compile), dispatched by job name. BullMQ prints each Redis connection error
 * to stderr unless the worker has an error listener; during an outage that would be one line per
 * reconnect attempt, so the first error of an outage is logged as a warning and the rest not, until
 * the worker runs a job again.
 */
export abstract class CatalogueProcessor<Q extends QueueName> extends WorkerHost {
  protected readonly logger = new Logger(this.constructor.name);
  private failing = false;
  // A property, so that the processors' own constructors need not pass it on.
  @Inject(OutboxLedger) private readonly ledger?: OutboxLedger;

  abstract readonly handlers: Handlers<Q>;

  async process(job: Job, token?: string): Promise<unknown> {
    // A job name is a key of the handler map or a job this queue does not know (which retrying cannot fix).
    const handlers: Partial<Record<string, SomeHandler>> = this.handlers;
    const handler = Object.prototype.hasOwnProperty.call(handlers, job.name) ? handlers[job.name] : undefined;
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name} on this queue`);
    let result: unknown;
    try {
      // The catalogue types the payload by name, and the outbox wrote it from that type.
      result = await handler(job.data as never, { job, token });
    } catch (error) {
      if (isFinalFailure(job, error)) await this.ledger?.finished(job.id);
      throw error;
    }
    await this.ledger?.finished(job.id);
    return result;
  }

  /** The job names this processor handles: the keys of its handler map (for the boot-time wiring check). */
  handledJobs(): string[] {
    return Object.keys(this.handlers);
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn({ err: error.message }, 'queue connection error; retrying');
  }

  @OnWorkerEvent('active')
  onWorkerActive(): void {
    this.failing = false;
  }
}

/** Whether BullMQ will not run the job again after this error (rescheduling "errors" are no failures). */
export function isFinalFailure(job: Job, error: unknown): boolean {
  if (
    error instanceof DelayedError ||
    error instanceof WaitingChildrenError ||
    error instanceof WaitingError ||
    error instanceof RateLimitError
  )
    return false;
  if (error instanceof UnrecoverableError) return true;
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
