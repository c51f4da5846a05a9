import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReviewWorkflow1764400000000 implements MigrationInterface {
  name = 'ReviewWorkflow1764400000000';

  async up(q: QueryRunner): Promise<void> {
    // pg_trgm is a trusted extension: a database owner may create it without being a superuser.
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`
      CREATE TABLE articles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
        state text NOT NULL CHECK (state IN ('draft', 'submitted', 'under_review', 'changes_requested', 'approved', 'archived')),
        author_id uuid NOT NULL REFERENCES users (id),
        current_revision integer NOT NULL CHECK (current_revision > 0),
        title text NOT NULL,
        published_version integer,
        publish_at timestamptz,
        review_due boolean NOT NULL DEFAULT false,
        last_updated date,
        last_reviewed date,
        next_review_due date,
        approved_at timestamptz,
        archived_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX articles_created ON articles (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX articles_state_created ON articles (state, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX articles_author_created ON articles (author_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX articles_review_due ON articles (created_at DESC, id DESC) WHERE review_due`);
    await q.query(`CREATE INDEX articles_title_trgm ON articles USING gin (title gin_trgm_ops)`);

    // Revisions are immutable: the database refuses to change or remove one.
    await q.query(`
      CREATE TABLE revisions (
        article_id uuid NOT NULL REFERENCES articles (id),
        number integer NOT NULL CHECK (number > 0),
        title text NOT NULL,
        summary text,
        body text NOT NULL,
        "references" jsonb NOT NULL,
        specialties text[] NOT NULL DEFAULT '{}',
        review_interval_days integer,
        change_note text,
        author_id uuid NOT NULL REFERENCES users (id),
        content_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (article_id, number)
      )`);
    await q.query(`CREATE INDEX revisions_author ON revisions (author_id, article_id)`);
    await q.query(`
      CREATE FUNCTION revisions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'revisions are immutable: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER revisions_immutable BEFORE UPDATE OR DELETE ON revisions
      FOR EACH ROW EXECUTE FUNCTION revisions_refuse_change()`);

    await q.query(`
      CREATE TABLE article_reviewers (
        article_id uuid NOT NULL REFERENCES articles (id),
        reviewer_id uuid NOT NULL REFERENCES users (id),
        assigned_by uuid NOT NULL REFERENCES users (id),
        assigned_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (article_id, reviewer_id)
      )`);
    await q.query(`CREATE INDEX article_reviewers_reviewer ON article_reviewers (reviewer_id, article_id)`);

    await q.query(`
      CREATE TABLE conflicts (
        article_id uuid NOT NULL REFERENCES articles (id),
        reviewer_id uuid NOT NULL REFERENCES users (id),
        reason text NOT NULL,
        declared_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (article_id, reviewer_id)
      )`);

    // A sign-off stands until the same reviewer replaces it on the same revision, or a new revision
    // dismisses it; replaced and dismissed ones are kept for the history.
    await q.query(`
      CREATE TABLE signoffs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        article_id uuid NOT NULL REFERENCES articles (id),
        revision integer NOT NULL,
        reviewer_id uuid NOT NULL REFERENCES users (id),
        decision text NOT NULL CHECK (decision IN ('approve', 'request_changes')),
        note text,
        status text NOT NULL DEFAULT 'standing' CHECK (status IN ('standing', 'replaced', 'dismissed')),
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        FOREIGN KEY (article_id, revision) REFERENCES revisions (article_id, number),
        CHECK (decision = 'approve' OR note IS NOT NULL)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX signoffs_one_standing ON signoffs (article_id, revision, reviewer_id) WHERE status = 'standing'`,
    );
    await q.query(`CREATE INDEX signoffs_article ON signoffs (article_id, revision, created_at)`);

    await q.query(`
      CREATE TABLE comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        article_id uuid NOT NULL REFERENCES articles (id),
        revision integer NOT NULL,
        parent_id uuid REFERENCES comments (id),
        author_id uuid NOT NULL REFERENCES users (id),
        body text NOT NULL,
        anchor jsonb,
        blocking boolean NOT NULL DEFAULT false,
        resolved_at timestamptz,
        resolved_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX comments_article ON comments (article_id, created_at, id)`);
    await q.query(
      `CREATE INDEX comments_open_blocking ON comments (article_id) WHERE blocking AND resolved_at IS NULL`,
    );

    // One row per revision and check; the checks of later issues (links) fill theirs in.
    await q.query(`
      CREATE TABLE check_results (
        article_id uuid NOT NULL,
        revision integer NOT NULL,
        "check" text NOT NULL CHECK ("check" IN ('citations', 'links', 'staleness')),
        status text NOT NULL CHECK (status IN ('pending', 'passed', 'warning', 'failed')),
        details jsonb NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (article_id, revision, "check"),
        FOREIGN KEY (article_id, revision) REFERENCES revisions (article_id, number)
      )`);

    // Outbox rows for queues no worker of this build serves wait; the relay claims by queue.
    await q.query(`CREATE INDEX outbox_pending_queue ON outbox (queue, id) WHERE dispatched_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_pending_queue`);
    await q.query(`DROP TABLE check_results`);
    await q.query(`DROP TABLE comments`);
    await q.query(`DROP TABLE signoffs`);
    await q.query(`DROP TABLE conflicts`);
    await q.query(`DROP TABLE article_reviewers`);
    await q.query(`DROP TABLE revisions`);
    await q.query(`DROP FUNCTION revisions_refuse_change`);
    await q.query(`DROP TABLE articles`);
  }
}
