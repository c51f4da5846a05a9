import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change to what readers may read is announced, at commit, on the channel `imprimatur_public`
 * with the article's slug as payload (`*` after a TRUNCATE): the API processes keep the live
 * documents in memory (apps/api/src/public/live-changes.service.ts) and drop a slug when they hear
 * it. A trigger rather than a call in each writer: publish, unpublish, retraction and the
 * update-in-review flag (kept by the triggers of 1765000000100-ReaderTrust) all change this one table,
 * and a writer added later cannot forget to announce. ENABLE ALWAYS, like the other triggers.
 */
export class PublicChanges1765000000800 implements MigrationInterface {
  name = 'PublicChanges1765000000800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION public_articles_announce() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          PERFORM pg_notify('imprimatur_public', OLD.slug);
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.slug IS DISTINCT FROM OLD.slug) THEN
          PERFORM pg_notify('imprimatur_public', NEW.slug);
        END IF;
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER public_articles_announce AFTER INSERT OR UPDATE OR DELETE ON public_articles
      FOR EACH ROW EXECUTE FUNCTION public_articles_announce()`);
    await q.query(`ALTER TABLE public_articles ENABLE ALWAYS TRIGGER public_articles_announce`);
    await q.query(`
      CREATE FUNCTION public_articles_announce_all() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('imprimatur_public', '*');
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER public_articles_announce_truncate AFTER TRUNCATE ON public_articles
      FOR EACH STATEMENT EXECUTE FUNCTION public_articles_announce_all()`);
    await q.query(`ALTER TABLE public_articles ENABLE ALWAYS TRIGGER public_articles_announce_truncate`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER public_articles_announce_truncate ON public_articles`);
    await q.query(`DROP FUNCTION public_articles_announce_all()`);
    await q.query(`DROP TRIGGER public_articles_announce ON public_articles`);
    await q.query(`DROP FUNCTION public_articles_announce()`);
  }
}
