import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Change significance (contract §15): each revision after the first is `clinical` or `editorial`
 * against the revision that was live when it was written (else the previous one), with the changes
 * that explain it. Revisions from before this are left unclassified (NULL), which the approval rule
 * treats as clinical: the full quorum.
 */
export class ChangeSignificance1765000000200 implements MigrationInterface {
  name = 'ChangeSignificance1765000000200';

  async up(q: QueryRunner): Promise<void> {
    // New columns with defaults write no row, so the immutable revisions' trigger is not involved.
    await q.query(`
      ALTER TABLE revisions
        ADD COLUMN change_class text CHECK (change_class IN ('clinical', 'editorial')),
        ADD COLUMN change_base integer,
        ADD COLUMN changes jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(changes) = 'array')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE revisions DROP COLUMN changes, DROP COLUMN change_base, DROP COLUMN change_class`);
  }
}
