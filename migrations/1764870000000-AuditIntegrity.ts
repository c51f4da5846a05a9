import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditIntegrity1764870000000 implements MigrationInterface {
  name = 'AuditIntegrity1764870000000';

  async up(q: QueryRunner): Promise<void> {
    // ENABLE ALWAYS: the append-only triggers fire under session_replication_role = replica too, so a
    // session that sets it (a superuser's, or a logical replication apply worker's) cannot skip them.
    await q.query(`ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update_delete`);
    await q.query(`ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_truncate`);
    // What was signed and what was published are as immutable as the log that records them.
    await q.query(`ALTER TABLE revisions ENABLE ALWAYS TRIGGER revisions_immutable`);
    await q.query(`ALTER TABLE published_versions ENABLE ALWAYS TRIGGER published_versions_immutable`);

    // Public keys that have signed audit digests, so that every earlier digest stays checkable after a
    // key changes. private_key is set only for the key generated when AUDIT_DIGEST_KEY is not set.
    await q.query(`
      CREATE TABLE audit_digest_keys (
        key_id text PRIMARY KEY,
        algorithm text NOT NULL CHECK (algorithm = 'Ed25519'),
        public_key text NOT NULL,
        private_key text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // At most one generated key: workers that generate one at the same moment keep the first stored.
    await q.query(
      `CREATE UNIQUE INDEX audit_digest_keys_one_generated ON audit_digest_keys ((true)) WHERE private_key IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_digest_keys`);
    await q.query(`ALTER TABLE published_versions ENABLE TRIGGER published_versions_immutable`);
    await q.query(`ALTER TABLE revisions ENABLE TRIGGER revisions_immutable`);
    await q.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate`);
    await q.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete`);
  }
}
