import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finished webhook deliveries are pruned after WEBHOOK_LOG_RETENTION_DAYS (found by when they finished),
 * and webhook secrets may be stored sealed under SECRETS_KEY (`enc:v1:…`, libs/database/src/secret-box.ts).
 */
export class RetentionAndSecrets1765000000500 implements MigrationInterface {
  name = 'RetentionAndSecrets1765000000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (completed_at) WHERE status <> 'pending'`,
    );
    await q.query(`ALTER TABLE webhook_subscriptions DROP CONSTRAINT webhook_subscriptions_secret_check`);
    await q.query(`
      ALTER TABLE webhook_subscriptions ADD CONSTRAINT webhook_subscriptions_secret_check
        CHECK (secret LIKE 'whsec\\_%' OR secret LIKE 'enc:v1:%')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_subscriptions DROP CONSTRAINT webhook_subscriptions_secret_check`);
    // Sealed secrets cannot be opened here: a down migration needs them stored plain first (SECRETS_KEY unset).
    await q.query(
      `ALTER TABLE webhook_subscriptions ADD CONSTRAINT webhook_subscriptions_secret_check CHECK (secret LIKE 'whsec\\_%')`,
    );
    await q.query(`DROP INDEX webhook_deliveries_finished`);
  }
}
