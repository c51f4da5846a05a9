import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `at` in seq order, readable from an index alone. A `GET /audit?since=` page starts from a lower
 * bound on seq that each API process works out from the latest `at` per block of seqs
 * (AuditQueryRepository, AuditTimeline): the first time over the whole log, then over the entries
 * appended since. Without this index that first pass read the whole table (700 MiB at a million
 * entries); with it, it reads this index in order and groups as it goes.
 */
export class AuditAtIndex1765000000900 implements MigrationInterface {
  name = 'AuditAtIndex1765000000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX audit_log_seq_at ON audit_log (seq) INCLUDE (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_log_seq_at`);
  }
}
