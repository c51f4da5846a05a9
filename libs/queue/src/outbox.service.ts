import { Injectable } from '@nestjs/common';
import { OutboxRepository, Tx } from '@imprimatur/database';
import { JOB_QUEUES, JobName, JobPayloads } from './jobs';

/**
 * Emits queued work from inside a database transaction: the job is an outbox row that commits (or
 * rolls back) with its cause, and the worker's relay moves it to BullMQ. Requests never talk to Redis.
 */
@Injectable()
export class OutboxService {
  constructor(private readonly outbox: OutboxRepository) {}

  /** `runAt`: the job must not run before then (e.g. publishing at publishAt). */
  emit<N extends JobName>(
    tx: Tx,
    name: N,
    data: JobPayloads[N],
    options: { runAt?: Date | null } = {},
  ): Promise<string> {
    return this.outbox.insert({ queue: JOB_QUEUES[name], name, payload: data, runAt: options.runAt ?? null }, tx);
  }
}
