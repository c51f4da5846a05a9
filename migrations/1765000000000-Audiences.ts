import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audiences (contract §13): a revision's variants as written and their rendering, both part of its
 * content hash; and the two checks of variants.
 */
export class Audiences1765000000000 implements MigrationInterface {
  name = 'Audiences1765000000000';

  async up(q: QueryRunner): Promise<void> {
    // Adding a column with a default writes no row (no UPDATE trigger fires), and an empty list
    // is what every earlier revision had: their content hashes stay as they are.
    await q.query(`
      ALTER TABLE revisions
        ADD COLUMN variants jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(variants) = 'array'),
        ADD COLUMN variants_html jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(variants_html) = 'array')`);
    await q.query(`ALTER TABLE check_results DROP CONSTRAINT check_results_check_check`);
    await q.query(`
      ALTER TABLE check_results ADD CONSTRAINT check_results_check_check
        CHECK ("check" IN ('citations', 'links', 'staleness', 'readability', 'consistency'))`);
    // Earlier revisions have no variants, so both checks pass by definition; without a result they
    // would read as pending, and a pending consistency check would hold up every article in review.
    await q.query(`
      INSERT INTO check_results (article_id, revision, "check", status, details)
      SELECT r.article_id, r.number, c.name, 'passed', c.details::jsonb
      FROM revisions r
      CROSS JOIN (VALUES ('consistency', '{"problems": []}'), ('readability', '{"grades": [], "problems": []}'))
        AS c (name, details)
      ON CONFLICT (article_id, revision, "check") DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM check_results WHERE "check" IN ('readability', 'consistency')`);
    await q.query(`ALTER TABLE check_results DROP CONSTRAINT check_results_check_check`);
    await q.query(`
      ALTER TABLE check_results ADD CONSTRAINT check_results_check_check
        CHECK ("check" IN ('citations', 'links', 'staleness'))`);
    await q.query(`ALTER TABLE revisions DROP COLUMN variants_html, DROP COLUMN variants`);
  }
}
