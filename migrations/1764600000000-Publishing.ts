import { MigrationInterface, QueryRunner } from 'typeorm';

export class Publishing1764600000000 implements MigrationInterface {
  name = 'Publishing1764600000000';

  async up(q: QueryRunner): Promise<void> {
    // Published versions are immutable documents, rendered once at publish time.
    await q.query(`
      CREATE TABLE published_versions (
        article_id uuid NOT NULL REFERENCES articles (id),
        version integer NOT NULL CHECK (version > 0),
        revision integer NOT NULL,
        document jsonb NOT NULL,
        content_hash char(64) NOT NULL,
        etag text NOT NULL,
        published_at timestamptz NOT NULL,
        PRIMARY KEY (article_id, version),
        UNIQUE (article_id, revision),
        FOREIGN KEY (article_id, revision) REFERENCES revisions (article_id, number)
      )`);
    await q.query(`
      CREATE FUNCTION published_versions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'published versions are immutable: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER published_versions_immutable BEFORE UPDATE OR DELETE ON published_versions
      FOR EACH ROW EXECUTE FUNCTION published_versions_refuse_change()`);

    // What readers get, one row per live slug: the read path is one primary-key lookup.
    await q.query(`
      CREATE TABLE public_articles (
        slug text PRIMARY KEY,
        article_id uuid NOT NULL UNIQUE REFERENCES articles (id),
        version integer NOT NULL,
        document jsonb NOT NULL,
        etag text NOT NULL,
        retracted_at timestamptz,
        retraction_reason text,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX public_articles_updated ON public_articles (updated_at DESC, slug DESC)`);

    // Jobs that must not run before a time (publishing at publishAt) carry it to the relay.
    await q.query(`ALTER TABLE outbox ADD COLUMN run_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN run_at`);
    await q.query(`DROP TABLE public_articles`);
    await q.query(`DROP TABLE published_versions`);
    await q.query(`DROP FUNCTION published_versions_refuse_change`);
  }
}
