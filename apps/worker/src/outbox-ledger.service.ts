import { Injectable, Logger } from '@nestjs/common';
import { OutboxRepository, TransactionRunner } from '@imprimatur/database';
import { outboxIdOfJob } from '@imprimatur/queue';

/**
 * Records in PostgreSQL that a relayed job is done with (completed, or failed for good), so that a Redis
 * that comes back empty costs only the jobs still to do. Jobs of job schedulers have other ids and no row.
 */
@Injectable()
export class OutboxLedger {
  private readonly logger = new Logger(OutboxLedger.name);

  constructor(
    private readonly db: TransactionRunner,
    private readonly outbox: OutboxRepository,
  ) {}

  async finished(jobId: string | undefined): Promise<void> {
    const id = outboxIdOfJob(jobId);
    if (!id) return;
    try {
      await this.outbox.markFinished(id, this.db.autocommit);
    } catch (error) {
      // The job's effect is done; without the mark, a later Redis loss would only run it once more (idempotently).
      this.logger.warn({ jobId, err: (error as Error).message }, 'could not mark the outbox row finished');
    }
  }
}
