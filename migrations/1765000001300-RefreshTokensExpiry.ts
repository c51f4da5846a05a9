import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retention sweep deletes sign-ins that ended more than a day ago, every user's at once: by
 * `expires_at`, which a family's tokens share, without reading the table through.
 */
export class RefreshTokensExpiry1765000001300 implements MigrationInterface {
  name = 'RefreshTokensExpiry1765000001300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX refresh_tokens_expires_at ON refresh_tokens (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX refresh_tokens_expires_at`);
  }
}
