import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An outbox row is finished when its job completed or failed for good. A Redis that comes back empty
 * loses the jobs of dispatched rows; those not finished are dispatched again (apps/worker/src/redis-loss.service.ts).
 * Rows dispatched before this migration count as finished: nobody can tell any more, and re-running
 * every job of the past would be worse than trusting them.
 */
export class OutboxFinished1765000000600 implements MigrationInterface {
  name = 'OutboxFinished1765000000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN finished_at timestamptz`);
    await q.query(`UPDATE outbox SET finished_at = dispatched_at WHERE dispatched_at IS NOT NULL`);
    await q.query(
      `CREATE INDEX outbox_unfinished ON outbox (id) WHERE dispatched_at IS NOT NULL AND finished_at IS NULL`,
    );
    await q.query(`CREATE INDEX outbox_finished ON outbox (finished_at) WHERE finished_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_finished`);
    await q.query(`DROP INDEX outbox_unfinished`);
    await q.query(`ALTER TABLE outbox DROP COLUMN finished_at`);
  }
}
