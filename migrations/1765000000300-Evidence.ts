import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence checks (contract §16): the `evidence` check of a revision, why an article is due for
 * review, and the alerts raised for retractions of papers a live version cites (once per version and notice).
 */
export class Evidence1765000000300 implements MigrationInterface {
  name = 'Evidence1765000000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE check_results DROP CONSTRAINT check_results_check_check`);
    await q.query(`
      ALTER TABLE check_results ADD CONSTRAINT check_results_check_check
        CHECK ("check" IN ('citations', 'links', 'staleness', 'readability', 'consistency', 'evidence'))`);
    await q.query(`
      ALTER TABLE articles ADD COLUMN review_due_reason text
        CHECK (review_due_reason IN ('schedule', 'retraction'))`);
    await q.query(`UPDATE articles SET review_due_reason = 'schedule' WHERE review_due`);
    await q.query(`ALTER TABLE webhook_subscriptions DROP CONSTRAINT webhook_subscriptions_events_check`);
    await q.query(`
      ALTER TABLE webhook_subscriptions ADD CONSTRAINT webhook_subscriptions_events_check CHECK (
        cardinality(events) > 0 AND events <@ ARRAY[
          'article.published', 'article.unpublished', 'article.review_due', 'article.evidence_alert'
        ]::text[]
      )`);
    await q.query(`
      CREATE TABLE evidence_alerts (
        article_id uuid NOT NULL REFERENCES articles (id),
        version integer NOT NULL,
        notice_key text NOT NULL,
        reference_n integer NOT NULL,
        notice jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (article_id, version, notice_key)
      )`);

    // A revision that cites no DOI or PMID has nothing to look up: the check passes by definition.
    // Without a result it would read as pending, and a pending gate would hold up every article in review.
    await q.query(`
      INSERT INTO check_results (article_id, revision, "check", status, details)
      SELECT r.article_id, r.number, 'evidence', 'passed', '{"references": []}'
      FROM revisions r
      WHERE NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements(r."references") AS ref
        WHERE coalesce(ref->>'doi', '') <> '' OR coalesce(ref->>'pmid', '') <> ''
      )
      ON CONFLICT (article_id, revision, "check") DO NOTHING`);
    // The revisions that matter now, the current one of every article and the live one, are looked up
    // by the worker (through the outbox, as any check is queued); older revisions stay pending: never asked.
    await q.query(`
      INSERT INTO outbox (queue, name, payload)
      SELECT 'checks', 'checks.evidence',
             jsonb_build_object('articleId', t.article_id, 'revision', t.revision, 'reason', 'scheduled')
      FROM (
        SELECT id AS article_id, current_revision AS revision FROM articles WHERE state <> 'archived'
        UNION
        SELECT id, published_revision FROM articles WHERE published_revision IS NOT NULL
      ) t
      WHERE NOT EXISTS (
        SELECT 1 FROM check_results c
        WHERE c.article_id = t.article_id AND c.revision = t.revision AND c."check" = 'evidence'
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM outbox WHERE name = 'checks.evidence' AND dispatched_at IS NULL`);
    await q.query(`DROP TABLE evidence_alerts`);
    await q.query(`ALTER TABLE webhook_subscriptions DROP CONSTRAINT webhook_subscriptions_events_check`);
    await q.query(`
      ALTER TABLE webhook_subscriptions ADD CONSTRAINT webhook_subscriptions_events_check CHECK (
        cardinality(events) > 0 AND events <@ ARRAY['article.published', 'article.unpublished', 'article.review_due']::text[]
      )`);
    await q.query(`ALTER TABLE articles DROP COLUMN review_due_reason`);
    await q.query(`DELETE FROM check_results WHERE "check" = 'evidence'`);
    await q.query(`ALTER TABLE check_results DROP CONSTRAINT check_results_check_check`);
    await q.query(`
      ALTER TABLE check_results ADD CONSTRAINT check_results_check_check
        CHECK ("check" IN ('citations', 'links', 'staleness', 'readability', 'consistency'))`);
  }
}
