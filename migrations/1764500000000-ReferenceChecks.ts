import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReferenceChecks1764500000000 implements MigrationInterface {
  name = 'ReferenceChecks1764500000000';

  async up(q: QueryRunner): Promise<void> {
    // Which revision readers see (publishing fills it) and which published version the review-due
    // flag was raised for, so that the scan flags each published version once.
    await q.query(`ALTER TABLE articles ADD COLUMN published_revision integer`);
    await q.query(`ALTER TABLE articles ADD COLUMN review_due_version integer`);
    await q.query(`CREATE INDEX articles_published ON articles (id) WHERE published_version IS NOT NULL`);
    await q.query(
      `CREATE INDEX articles_next_review_due ON articles (next_review_due, id) WHERE published_version IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX articles_next_review_due`);
    await q.query(`DROP INDEX articles_published`);
    await q.query(`ALTER TABLE articles DROP COLUMN review_due_version`);
    await q.query(`ALTER TABLE articles DROP COLUMN published_revision`);
  }
}
