import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1764300000000 implements MigrationInterface {
  name = 'Foundation1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL,
        credentials text,
        specialties text[] NOT NULL DEFAULT '{}',
        active boolean NOT NULL DEFAULT true,
        token_version integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_email_normalised CHECK (email = lower(btrim(email))),
        CONSTRAINT users_roles_valid CHECK (
          cardinality(roles) > 0 AND roles <@ ARRAY['editor', 'reviewer', 'admin']::text[]
        )
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);
    await q.query(`CREATE INDEX users_created_at_id ON users (created_at, id)`);

    // The audit log is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE, and the
    // unique prev_hash makes a forked chain impossible even if a writer skipped the advisory lock.
    await q.query(`
      CREATE TABLE audit_log (
        seq bigint PRIMARY KEY CHECK (seq > 0),
        at timestamptz NOT NULL,
        actor_id uuid,
        actor_email text,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text,
        article_id uuid,
        data jsonb NOT NULL,
        prev_hash char(64) NOT NULL UNIQUE,
        hash char(64) NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_log_article_seq ON audit_log (article_id, seq) WHERE article_id IS NOT NULL`);
    await q.query(`CREATE INDEX audit_log_actor_seq ON audit_log (actor_id, seq) WHERE actor_id IS NOT NULL`);
    await q.query(`CREATE INDEX audit_log_action_seq ON audit_log (action, seq)`);
    await q.query(`CREATE INDEX audit_log_at ON audit_log (at)`);
    await q.query(`
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`);

    // Jobs written in the same transaction as their cause; the worker's relay moves them to BullMQ.
    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        queue text NOT NULL,
        name text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_pending ON outbox (id) WHERE dispatched_at IS NULL`);
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('imprimatur_outbox', '');
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
      FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);

    await q.query(`
      CREATE TABLE login_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL,
        window_started_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_throttle`);
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP FUNCTION outbox_notify`);
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_refuse_change`);
    await q.query(`DROP TABLE users`);
  }
}
