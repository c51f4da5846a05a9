import { MigrationInterface, QueryRunner } from 'typeorm';

export class Webhooks1764700000000 implements MigrationInterface {
  name = 'Webhooks1764700000000';

  async up(q: QueryRunner): Promise<void> {
    // Subscriptions keep their secret so the worker can sign; the API never returns it after creation.
    // Deleting is soft (inactive + deleted_at) so that deliveries and audit entries keep their subject.
    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2048),
        events text[] NOT NULL CHECK (
          cardinality(events) > 0 AND events <@ ARRAY['article.published', 'article.unpublished', 'article.review_due']::text[]
        ),
        secret text NOT NULL CHECK (secret LIKE 'whsec\\_%'),
        active boolean NOT NULL DEFAULT true,
        disabled_at timestamptz,
        disabled_reason text,
        created_by uuid REFERENCES users (id),
        -- Milliseconds, as JavaScript dates carry: list cursors hold the time and must compare exactly.
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        deleted_at timestamptz,
        CHECK (deleted_at IS NULL OR NOT active)
      )`);
    await q.query(
      `CREATE INDEX webhook_subscriptions_listed ON webhook_subscriptions (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX webhook_subscriptions_active ON webhook_subscriptions USING gin (events) WHERE active`);

    // One delivery per event (its outbox id) and subscription: a fan-out that runs twice inserts once.
    // The body is stored as sent (text, not jsonb, which would reorder keys), with one message id for
    // every attempt. job_ref is the outbox id of the job that owns the next attempt; any other job for
    // the delivery is stale and does nothing. lease_until fences an attempt in flight.
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id),
        event_id bigint NOT NULL,
        event_type text NOT NULL,
        message_id text NOT NULL UNIQUE,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'abandoned')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        job_ref bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        UNIQUE (event_id, subscription_id)
      )`);
    await q.query(
      `CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id)`);

    // Every attempt, as the deliveries log shows it (newest first by id).
    await q.query(`
      CREATE TABLE webhook_attempts (
        id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id),
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id),
        attempt integer NOT NULL CHECK (attempt > 0),
        at timestamptz NOT NULL,
        status_code integer,
        duration_ms integer NOT NULL CHECK (duration_ms >= 0),
        error text,
        outcome text NOT NULL CHECK (outcome IN ('delivered', 'disabled', 'retrying', 'failed')),
        UNIQUE (delivery_id, attempt)
      )`);
    await q.query(`CREATE INDEX webhook_attempts_subscription ON webhook_attempts (subscription_id, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_attempts`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhook_subscriptions`);
  }
}
