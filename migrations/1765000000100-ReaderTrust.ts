import { MigrationInterface, QueryRunner } from 'typeorm';
import { renderArticleHtml } from '../libs/domain/src/rendering/server';

/**
 * The policy readers find at /read/editorial-policy until an admin writes the publisher's own (PUT
 * /admin/editorial-policy). Kept here, not in code: it is what this migration wrote, whatever a later
 * default says.
 */
const DEFAULT_POLICY = `Every article on this site is written by our editors and reviewed by the Medical Advisory Board, a panel of practising clinicians, before it is published.

## How an article is reviewed

- An editor writes the article and submits it for review, with its references.
- Board members are assigned to it. A member who has a conflict of interest with an article declares it and does not review that article.
- The references are checked: every citation must point to a listed source, and every link must work.
- The article is published only when the required number of board members have each approved exactly the text you read. Their names, credentials and the date of their approval are shown on the article.

## Keeping articles up to date

Each article shows when it was last reviewed and when its next review is due. When an update is being reviewed, the article says so; the version you read stays the approved one until the update is approved.

## Versions for patients and caregivers

Some articles have a version written for patients or caregivers in plain language. It is reviewed together with the version for healthcare professionals, as one article, and must agree with it on every dose and figure.

## Corrections and withdrawals

When we find an error we correct it in a new reviewed version. An article we withdraw says so, with the reason.

## Not a substitute for advice

Our articles are general information. They do not replace the advice of a doctor or another qualified health professional who knows your situation.`;

/**
 * What readers are told about review (contract §14): whether a newer revision of a live article is in
 * review, kept on the live row so that reading it stays one primary-key lookup; and the editorial policy.
 */
export class ReaderTrust1765000000100 implements MigrationInterface {
  name = 'ReaderTrust1765000000100';

  async up(q: QueryRunner): Promise<void> {
    // "An update to this article is under review": the article's current revision is newer than the
    // live one and is with the board (submitted, under review, or approved and not yet published).
    // Drafts and revisions sent back for changes are not: the board has nothing to review yet.
    await q.query(`
      CREATE FUNCTION article_update_in_review(state text, current_revision integer, published_revision integer)
      RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
        SELECT coalesce(current_revision > published_revision, false)
               AND state IN ('submitted', 'under_review', 'approved')
      $$`);
    await q.query(`ALTER TABLE public_articles ADD COLUMN update_in_review boolean NOT NULL DEFAULT false`);
    await q.query(`
      UPDATE public_articles p SET update_in_review = article_update_in_review(a.state, a.current_revision, a.published_revision)
      FROM articles a WHERE a.id = p.article_id`);

    // The column is the database's alone: whatever a statement writes to the live row, it is computed
    // from the article; and every change to the article's state or revisions recomputes it, in the
    // transaction of that change. ENABLE ALWAYS, like the integrity triggers: it holds under
    // session_replication_role = replica too.
    await q.query(`
      CREATE FUNCTION public_articles_derive_update_in_review() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.update_in_review := coalesce(
          (SELECT article_update_in_review(a.state, a.current_revision, a.published_revision)
             FROM articles a WHERE a.id = NEW.article_id),
          false);
        RETURN NEW;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER public_articles_update_in_review BEFORE INSERT OR UPDATE ON public_articles
      FOR EACH ROW EXECUTE FUNCTION public_articles_derive_update_in_review()`);
    await q.query(`ALTER TABLE public_articles ENABLE ALWAYS TRIGGER public_articles_update_in_review`);
    await q.query(`
      CREATE FUNCTION articles_refresh_update_in_review() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE public_articles
           SET update_in_review = article_update_in_review(NEW.state, NEW.current_revision, NEW.published_revision)
         WHERE article_id = NEW.id
           AND update_in_review IS DISTINCT FROM
               article_update_in_review(NEW.state, NEW.current_revision, NEW.published_revision);
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER articles_update_in_review AFTER UPDATE OF state, current_revision, published_revision ON articles
      FOR EACH ROW EXECUTE FUNCTION articles_refresh_update_in_review()`);
    await q.query(`ALTER TABLE articles ENABLE ALWAYS TRIGGER articles_update_in_review`);

    // One row, always there (the key can only be true): readers never meet a missing policy.
    await q.query(`
      CREATE TABLE editorial_policy (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        body text NOT NULL,
        body_html text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO editorial_policy (body, body_html) VALUES ($1, $2)`, [
      DEFAULT_POLICY,
      renderArticleHtml(DEFAULT_POLICY, { referenceCount: 0 }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE editorial_policy`);
    await q.query(`DROP TRIGGER articles_update_in_review ON articles`);
    await q.query(`DROP FUNCTION articles_refresh_update_in_review`);
    await q.query(`DROP TRIGGER public_articles_update_in_review ON public_articles`);
    await q.query(`DROP FUNCTION public_articles_derive_update_in_review`);
    await q.query(`ALTER TABLE public_articles DROP COLUMN update_in_review`);
    await q.query(`DROP FUNCTION article_update_in_review`);
  }
}
