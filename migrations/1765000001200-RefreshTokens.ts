import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contract §19: sessions that survive new tabs and reloads. A sign-in starts a family of refresh
 * tokens; each refresh revokes the presented token and issues its successor in the same family.
 * Only a SHA-256 of each token is kept: a copy of this table lets nobody refresh.
 */
export class RefreshTokens1765000001200 implements MigrationInterface {
  name = 'RefreshTokens1765000001200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        family_id uuid NOT NULL,
        token_hash char(64) NOT NULL,
        token_version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text,
        replaced_by uuid REFERENCES refresh_tokens (id),
        CONSTRAINT refresh_tokens_hash_hex CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT refresh_tokens_revoked_why CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL)),
        CONSTRAINT refresh_tokens_reason_known CHECK (revoked_reason IN ('rotated', 'logout', 'reused', 'deactivated')),
        CONSTRAINT refresh_tokens_rotated_has_successor CHECK (
          (revoked_reason IS NOT DISTINCT FROM 'rotated') = (replaced_by IS NOT NULL)
        )
      )`);
    await q.query(`CREATE UNIQUE INDEX refresh_tokens_token_hash_key ON refresh_tokens (token_hash)`);
    // Revocation goes by family (logout, reuse) and by user (deactivation); only live tokens need finding.
    await q.query(`CREATE INDEX refresh_tokens_live_family ON refresh_tokens (family_id) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX refresh_tokens_live_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE refresh_tokens`);
  }
}
