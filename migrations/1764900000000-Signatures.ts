import { MigrationInterface, QueryRunner } from 'typeorm';
import type { ArticleContent, Reference } from '../libs/domain/src/articles/content';
import { renderRevision } from '../libs/domain/src/rendering/server';

interface StoredRevision {
  article_id: string;
  number: number;
  title: string;
  summary: string | null;
  body: string;
  references: Reference[];
  specialties: string[];
  review_interval_days: number | null;
}

/**
 * What you see is what you sign (contract §12): every revision keeps the HTML it was rendered to and
 * a content hash over content and HTML; a sign-off is an immutable signature record; publications are
 * signed with the keys in publication_keys.
 */
export class Signatures1764900000000 implements MigrationInterface {
  name = 'Signatures1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE revisions ADD COLUMN summary_html text, ADD COLUMN body_html text`);
    // The one time revisions change: earlier revisions get the HTML they would have been rendered to
    // and a hash of the new definition. Content is left exactly as written (no normalisation), so
    // that the hash stays a function of what is stored.
    await q.query(`ALTER TABLE revisions DISABLE TRIGGER revisions_immutable`);
    const revisions = (await q.query(
      `SELECT article_id, number, title, summary, body, "references", specialties, review_interval_days FROM revisions`,
    )) as StoredRevision[];
    for (const r of revisions) {
      const content: ArticleContent = {
        title: r.title,
        summary: r.summary,
        body: r.body,
        references: r.references,
        specialties: r.specialties,
        reviewIntervalDays: r.review_interval_days,
        // Revisions from before audience variants had none.
        variants: [],
      };
      const { html, contentHash } = renderRevision(content);
      await q.query(
        `UPDATE revisions SET summary_html = $3, body_html = $4, content_hash = $5 WHERE article_id = $1 AND number = $2`,
        [r.article_id, r.number, html.summaryHtml, html.bodyHtml, contentHash],
      );
    }
    await q.query(`ALTER TABLE revisions ENABLE ALWAYS TRIGGER revisions_immutable`);
    await q.query(`ALTER TABLE revisions ALTER COLUMN body_html SET NOT NULL`);

    await q.query(`ALTER TABLE articles ADD COLUMN current_content_hash char(64)`);
    await q.query(`
      UPDATE articles a SET current_content_hash = r.content_hash
      FROM revisions r WHERE r.article_id = a.id AND r.number = a.current_revision`);
    await q.query(`ALTER TABLE articles ALTER COLUMN current_content_hash SET NOT NULL`);

    // Signature manifestations: the signer's printed name and credentials as they were when they
    // signed, and the hash of what they signed. Sign-offs from before this migration are credited
    // with their revision's hash: they named that revision, which has not changed since.
    await q.query(`
      ALTER TABLE signoffs ADD COLUMN content_hash char(64), ADD COLUMN reviewer_name text,
        ADD COLUMN reviewer_credentials text`);
    await q.query(`
      UPDATE signoffs s SET content_hash = r.content_hash, reviewer_name = u.name, reviewer_credentials = u.credentials
      FROM revisions r, users u
      WHERE r.article_id = s.article_id AND r.number = s.revision AND u.id = s.reviewer_id`);
    await q.query(
      `ALTER TABLE signoffs ALTER COLUMN content_hash SET NOT NULL, ALTER COLUMN reviewer_name SET NOT NULL`,
    );
    await q.query(`DROP INDEX signoffs_one_standing`);
    await q.query(`ALTER TABLE signoffs DROP CONSTRAINT IF EXISTS signoffs_status_check`);
    await q.query(`UPDATE signoffs SET status = 'counted' WHERE status = 'standing'`);
    await q.query(`ALTER TABLE signoffs ALTER COLUMN status SET DEFAULT 'counted'`);
    await q.query(
      `ALTER TABLE signoffs ADD CONSTRAINT signoffs_status_check CHECK (status IN ('counted', 'replaced', 'dismissed'))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX signoffs_one_counted ON signoffs (article_id, revision, reviewer_id) WHERE status = 'counted'`,
    );
    // A signature is never edited or deleted; it only ends, once, by being replaced or dismissed.
    await q.query(`
      CREATE FUNCTION signoffs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND OLD.status = 'counted' AND NEW.status IN ('replaced', 'dismissed') AND NEW.ended_at IS NOT NULL
           AND (NEW.id, NEW.article_id, NEW.revision, NEW.reviewer_id, NEW.reviewer_name, NEW.reviewer_credentials,
                NEW.decision, NEW.content_hash, NEW.note, NEW.created_at)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.article_id, OLD.revision, OLD.reviewer_id, OLD.reviewer_name, OLD.reviewer_credentials,
                OLD.decision, OLD.content_hash, OLD.note, OLD.created_at)
        THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'sign-offs are signatures: % may only end a counted one', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER signoffs_immutable BEFORE UPDATE OR DELETE ON signoffs
      FOR EACH ROW EXECUTE FUNCTION signoffs_refuse_change()`);
    await q.query(`ALTER TABLE signoffs ENABLE ALWAYS TRIGGER signoffs_immutable`);

    // The publisher's Ed25519 keys. Public halves are kept for ever, so versions signed by a retired
    // key still verify; private_key is set only for keys generated here (PUBLICATION_SIGNING_KEY
    // unset), and at most one generated key is active at a time.
    await q.query(`
      CREATE TABLE publication_keys (
        kid text PRIMARY KEY,
        public_jwk jsonb NOT NULL,
        private_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX publication_keys_one_active_generated ON publication_keys ((true))
       WHERE private_key IS NOT NULL AND retired_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE publication_keys`);
    await q.query(`DROP TRIGGER signoffs_immutable ON signoffs`);
    await q.query(`DROP FUNCTION signoffs_refuse_change`);
    await q.query(`DROP INDEX signoffs_one_counted`);
    await q.query(`ALTER TABLE signoffs DROP CONSTRAINT signoffs_status_check`);
    await q.query(`UPDATE signoffs SET status = 'standing' WHERE status = 'counted'`);
    await q.query(`ALTER TABLE signoffs ALTER COLUMN status SET DEFAULT 'standing'`);
    await q.query(
      `ALTER TABLE signoffs ADD CONSTRAINT signoffs_status_check CHECK (status IN ('standing', 'replaced', 'dismissed'))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX signoffs_one_standing ON signoffs (article_id, revision, reviewer_id) WHERE status = 'standing'`,
    );
    await q.query(
      `ALTER TABLE signoffs DROP COLUMN content_hash, DROP COLUMN reviewer_name, DROP COLUMN reviewer_credentials`,
    );
    await q.query(`ALTER TABLE articles DROP COLUMN current_content_hash`);
    // The new hashes stay: the old definition is not recomputed on the way down.
    await q.query(`ALTER TABLE revisions DROP COLUMN summary_html, DROP COLUMN body_html`);
  }
}
