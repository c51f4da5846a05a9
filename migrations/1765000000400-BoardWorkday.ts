import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The board's working day (contract §17): due dates on assignments, when an article was last submitted
 * (the other start of the review clock), notifications with their email bookkeeping and each user's
 * email preference, the overdue reminders already sent, and re-reviews of live articles.
 */
export class BoardWorkday1765000000400 implements MigrationInterface {
  name = 'BoardWorkday1765000000400';

  async up(q: QueryRunner): Promise<void> {
    // null: REVIEW_SLA_DAYS after the later of assignment and submission, computed when read, so a
    // change of the setting applies to every open assignment.
    await q.query(`ALTER TABLE article_reviewers ADD COLUMN due_at timestamptz`);
    await q.query(`ALTER TABLE articles ADD COLUMN submitted_at timestamptz, ADD COLUMN re_review_at timestamptz`);
    // Earlier submissions are in the audit log; the latest per article is the clock's start.
    await q.query(`
      UPDATE articles a SET submitted_at = s.at
      FROM (SELECT article_id, max(at) AS at FROM audit_log WHERE action = 'article.submitted' GROUP BY article_id) s
      WHERE s.article_id = a.id`);

    // A re-review publishes the live revision again under a new approval: an approval, not a revision,
    // is what publishes once.
    await q.query(`ALTER TABLE published_versions DROP CONSTRAINT published_versions_article_id_revision_key`);
    await q.query(
      `CREATE UNIQUE INDEX published_versions_one_per_approval ON published_versions (article_id, (document->>'approvedAt'))`,
    );
    await q.query(`
      ALTER TABLE users ADD COLUMN email_preference text NOT NULL DEFAULT 'immediate'
        CHECK (email_preference IN ('immediate', 'daily', 'off'))`);
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        kind text NOT NULL CHECK (kind IN (
          'review.assigned', 'review.revision_ready', 'review.overdue', 'article.changes_requested',
          'comment.reply', 'article.approved', 'article.published', 'article.review_due', 'evidence.alert'
        )),
        article_id uuid REFERENCES articles (id),
        revision integer,
        title text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(data) = 'object'),
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        -- pending: to be mailed (now, or in the next digest); sent; skipped (preference off, no SMTP)
        email_status text NOT NULL DEFAULT 'pending' CHECK (email_status IN ('pending', 'sent', 'skipped')),
        emailed_at timestamptz
      )`);
    await q.query(`CREATE INDEX notifications_of_user ON notifications (user_id, created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX notifications_unread ON notifications (user_id, created_at DESC, id DESC) WHERE read_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX notifications_to_mail ON notifications (user_id, created_at) WHERE email_status = 'pending'`,
    );
    await q.query(`
      CREATE TABLE overdue_reminders (
        article_id uuid NOT NULL REFERENCES articles (id),
        reviewer_id uuid NOT NULL REFERENCES users (id),
        revision integer NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (article_id, reviewer_id, revision)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE overdue_reminders`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`ALTER TABLE users DROP COLUMN email_preference`);
    await q.query(`DROP INDEX published_versions_one_per_approval`);
    await q.query(
      `ALTER TABLE published_versions ADD CONSTRAINT published_versions_article_id_revision_key UNIQUE (article_id, revision)`,
    );
    await q.query(`ALTER TABLE articles DROP COLUMN re_review_at, DROP COLUMN submitted_at`);
    await q.query(`ALTER TABLE article_reviewers DROP COLUMN due_at`);
  }
}
