import { Injectable } from '@nestjs/common';
import { TableColumns } from '../columns';
import { SecretBox } from '../secret-box';
import { exec, many, maybeOne, one } from '../sql';
import { Tx } from '../transaction';

/** A subscription as the API shows it: never the secret. */
export interface WebhookSubscriptionRecord {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdBy: string | null;
  createdAt: Date;
  deletedAt: Date | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'abandoned';

/** A delivery with what the worker needs to make its next attempt, the subscription's secret included. */
export interface DeliveryForAttempt {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  messageId: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  /** True while a lease taken by an attempt in flight has not run out (by the database's clock). */
  leased: boolean;
  jobRef: string | null;
  subscription: { url: string; secret: string; active: boolean; deleted: boolean };
}

export interface AttemptRecord {
  id: string;
  deliveryId: string;
  eventId: string;
  eventType: string;
  messageId: string;
  attempt: number;
  at: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  outcome: string;
}

export interface NewAttempt {
  deliveryId: string;
  subscriptionId: string;
  attempt: number;
  at: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  outcome: string;
}

interface SubscriptionRow {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  disabled_at: Date | null;
  disabled_reason: string | null;
  created_by: string | null;
  created_at: Date;
  deleted_at: Date | null;
}

export const WEBHOOK_SUBSCRIPTION_COLUMNS = new TableColumns<SubscriptionRow>(
  'webhook_subscriptions',
  {
    id: true,
    url: true,
    events: true,
    active: true,
    disabled_at: true,
    disabled_reason: true,
    created_by: true,
    created_at: true,
    deleted_at: true,
  },
  { secret: 'never part of a record: lockForAttempt alone reads it, to sign the attempt' },
);

const toSubscription = (r: SubscriptionRow): WebhookSubscriptionRecord => ({
  id: r.id,
  url: r.url,
  events: r.events,
  active: r.active,
  disabledAt: r.disabled_at,
  disabledReason: r.disabled_reason,
  createdBy: r.created_by,
  createdAt: r.created_at,
  deletedAt: r.deleted_at,
});

interface DeliveryRow {
  id: string;
  subscription_id: string;
  /** bigint, as a string. */
  event_id: string;
  event_type: string;
  message_id: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  lease_until: Date | null;
  /** bigint (an outbox id), as a string. */
  job_ref: string | null;
}

export const WEBHOOK_DELIVERY_COLUMNS = new TableColumns<DeliveryRow>(
  'webhook_deliveries',
  {
    id: true,
    subscription_id: true,
    event_id: true,
    event_type: true,
    message_id: true,
    body: true,
    status: true,
    attempts: true,
    next_attempt_at: true,
    lease_until: true,
    job_ref: true,
  },
  {
    created_at: 'written for operators; no code path reads it',
    updated_at: 'written on every change, for operators; no code path reads it',
    completed_at: 'written when a delivery ends, for operators; status says whether it has',
  },
);

/** A delivery locked for an attempt, with its subscription's address and secret. */
type DeliveryForAttemptRow = DeliveryRow & {
  leased: boolean;
  url: string;
  secret: string;
  active: boolean;
  deleted: boolean;
};

interface AttemptRow {
  /** bigint, as a string. */
  id: string;
  delivery_id: string;
  attempt: number;
  at: Date;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  outcome: string;
}

export const WEBHOOK_ATTEMPT_COLUMNS = new TableColumns<AttemptRow>(
  'webhook_attempts',
  {
    id: true,
    delivery_id: true,
    attempt: true,
    at: true,
    status_code: true,
    duration_ms: true,
    error: true,
    outcome: true,
  },
  {
    subscription_id:
      'a filter only: attempts are listed per subscription (copied from the delivery so that one index serves it)',
  },
);

/** The column a webhook secret is sealed for (secrets at rest). */
export const WEBHOOK_SECRET_COLUMN = 'webhook_subscriptions.secret';

/**
 * Subscriptions, their deliveries (one per event and subscription) and every attempt of each. Secrets
 * are sealed under SECRETS_KEY on the way in and opened only to sign an attempt.
 */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly box: SecretBox) {}

  async insertSubscription(
    input: { url: string; events: string[]; secret: string; createdBy: string | null },
    tx: Tx,
  ): Promise<WebhookSubscriptionRecord> {
    const row = await one<SubscriptionRow>(
      tx,
      `INSERT INTO webhook_subscriptions (url, events, secret, created_by) VALUES ($1, $2, $3, $4) RETURNING ${WEBHOOK_SUBSCRIPTION_COLUMNS.list}`,
      [input.url, input.events, this.box.seal(input.secret, WEBHOOK_SECRET_COLUMN), input.createdBy],
    );
    return toSubscription(row);
  }

  /** A subscription that has not been deleted; `lock` holds it for the caller's transaction. */
  async findSubscription(id: string, tx: Tx, lock = false): Promise<WebhookSubscriptionRecord | null> {
    const row = await maybeOne<SubscriptionRow>(
      tx,
      `SELECT ${WEBHOOK_SUBSCRIPTION_COLUMNS.list} FROM webhook_subscriptions WHERE id = $1 AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return row ? toSubscription(row) : null;
  }

  /** Subscriptions not deleted, oldest first, keyset-paginated on (created_at, id); one row more than asked. */
  async pageSubscriptions(
    after: { createdAt: string; id: string } | null,
    limit: number,
    tx: Tx,
  ): Promise<WebhookSubscriptionRecord[]> {
    const rows = after
      ? await many<SubscriptionRow>(
          tx,
          `SELECT ${WEBHOOK_SUBSCRIPTION_COLUMNS.list} FROM webhook_subscriptions
           WHERE deleted_at IS NULL AND (created_at, id) > ($1::timestamptz, $2::uuid) ORDER BY created_at, id LIMIT $3`,
          [after.createdAt, after.id, limit + 1],
        )
      : await many<SubscriptionRow>(
          tx,
          `SELECT ${WEBHOOK_SUBSCRIPTION_COLUMNS.list} FROM webhook_subscriptions WHERE deleted_at IS NULL ORDER BY created_at, id LIMIT $1`,
          [limit + 1],
        );
    return rows.map(toSubscription);
  }

  async softDelete(id: string, tx: Tx): Promise<WebhookSubscriptionRecord | null> {
    const row = await maybeOne<SubscriptionRow>(
      tx,
      `UPDATE webhook_subscriptions SET active = false, deleted_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING ${WEBHOOK_SUBSCRIPTION_COLUMNS.list}`,
      [id],
    );
    return row ? toSubscription(row) : null;
  }

  /** Deactivates an active subscription; null when it was already inactive or deleted. */
  async disable(id: string, reason: string, tx: Tx): Promise<WebhookSubscriptionRecord | null> {
    const row = await maybeOne<SubscriptionRow>(
      tx,
      `UPDATE webhook_subscriptions SET active = false, disabled_at = now(), disabled_reason = $2
       WHERE id = $1 AND active AND deleted_at IS NULL RETURNING ${WEBHOOK_SUBSCRIPTION_COLUMNS.list}`,
      [id, reason],
    );
    return row ? toSubscription(row) : null;
  }

  /** When an outbox event was committed, if its row is still there. */
  async eventTime(eventId: string, tx: Tx): Promise<Date | null> {
    const row = await maybeOne<{ created_at: Date }>(tx, 'SELECT created_at FROM outbox WHERE id = $1', [eventId]);
    return row?.created_at ?? null;
  }

  /**
   * One pending delivery of the event for each active subscription that wants its type, each with a
   * message id of its own. A delivery that exists already (the fan-out ran before) is left alone;
   * answers the ids of those inserted now.
   */
  async fanOut(
    event: { id: string; type: string; body: string },
    tx: Tx,
  ): Promise<{ id: string; subscriptionId: string }[]> {
    const rows = await many<Pick<DeliveryRow, 'id' | 'subscription_id'>>(
      tx,
      `INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, message_id, body)
       SELECT s.id, $1, $2, 'msg_' || gen_random_uuid(), $3 FROM webhook_subscriptions s
       WHERE s.active AND s.deleted_at IS NULL AND s.events @> ARRAY[$2]::text[]
       ORDER BY s.created_at, s.id
       ON CONFLICT (event_id, subscription_id) DO NOTHING
       RETURNING id, subscription_id`,
      [event.id, event.type, event.body],
    );
    return rows.map((r) => ({ id: r.id, subscriptionId: r.subscription_id }));
  }

  /** Hands the delivery's next attempt to the job of this outbox id (and to no other). */
  async assignJob(deliveryId: string, jobRef: string, tx: Tx): Promise<void> {
    await exec(tx, 'UPDATE webhook_deliveries SET job_ref = $2, updated_at = now() WHERE id = $1', [
      deliveryId,
      jobRef,
    ]);
  }

  /** The delivery and its subscription, the delivery row locked for the caller's transaction. */
  async lockForAttempt(deliveryId: string, tx: Tx): Promise<DeliveryForAttempt | null> {
    const r = await maybeOne<DeliveryForAttemptRow>(
      tx,
      `SELECT ${WEBHOOK_DELIVERY_COLUMNS.of('d')}, coalesce(d.lease_until > now(), false) AS leased,
              s.url, s.secret, s.active, s.deleted_at IS NOT NULL AS deleted
       FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
       WHERE d.id = $1 FOR UPDATE OF d`,
      [deliveryId],
    );
    if (!r) return null;
    return {
      id: r.id,
      subscriptionId: r.subscription_id,
      eventId: String(r.event_id),
      eventType: r.event_type,
      messageId: r.message_id,
      body: r.body,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
      leaseUntil: r.lease_until,
      leased: r.leased,
      jobRef: r.job_ref === null ? null : String(r.job_ref),
      subscription: {
        url: r.url,
        secret: this.box.open(r.secret, WEBHOOK_SECRET_COLUMN),
        active: r.active,
        deleted: r.deleted,
      },
    };
  }

  /** Fences an attempt in flight for `ms`; answers when the lease ends. */
  async lease(deliveryId: string, ms: number, tx: Tx): Promise<Date> {
    const row = await one<{ lease_until: Date }>(
      tx,
      `UPDATE webhook_deliveries SET lease_until = now() + $2 * interval '1 millisecond', updated_at = now() WHERE id = $1 RETURNING lease_until`,
      [deliveryId, ms],
    );
    return row.lease_until;
  }

  async releaseLease(deliveryId: string, tx: Tx): Promise<void> {
    await exec(tx, 'UPDATE webhook_deliveries SET lease_until = NULL WHERE id = $1', [deliveryId]);
  }

  async insertAttempt(attempt: NewAttempt, tx: Tx): Promise<void> {
    await exec(
      tx,
      `INSERT INTO webhook_attempts (delivery_id, subscription_id, attempt, at, status_code, duration_ms, error, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        attempt.deliveryId,
        attempt.subscriptionId,
        attempt.attempt,
        attempt.at,
        attempt.statusCode,
        attempt.durationMs,
        attempt.error,
        attempt.outcome,
      ],
    );
  }

  /** Ends a delivery: delivered, failed (no attempts left, or the receiver said 410) or abandoned. */
  async finish(
    deliveryId: string,
    status: Exclude<DeliveryStatus, 'pending'>,
    attempts: number,
    tx: Tx,
  ): Promise<void> {
    await exec(
      tx,
      `UPDATE webhook_deliveries SET status = $2, attempts = $3, lease_until = NULL, completed_at = now(), updated_at = now() WHERE id = $1`,
      [deliveryId, status, attempts],
    );
  }

  /** After a failed attempt with attempts left: the next one is due at `nextAttemptAt`. */
  async reschedule(deliveryId: string, attempts: number, nextAttemptAt: Date, tx: Tx): Promise<void> {
    await exec(
      tx,
      `UPDATE webhook_deliveries SET attempts = $2, next_attempt_at = $3, lease_until = NULL, updated_at = now() WHERE id = $1`,
      [deliveryId, attempts, nextAttemptAt],
    );
  }

  /**
   * Pending deliveries whose next attempt is overdue by more than `graceMs` although the job that owns
   * it left the outbox long ago (its Redis entry was lost, or BullMQ gave up on it), locked for the
   * caller's transaction; rows locked by anyone else are skipped. An attempt in flight holds a lease
   * and is not overdue.
   */
  async lockStalled(graceMs: number, limit: number, tx: Tx): Promise<string[]> {
    const rows = await many<Pick<DeliveryRow, 'id'>>(
      tx,
      `SELECT d.id FROM webhook_deliveries d LEFT JOIN outbox o ON o.id = d.job_ref
       WHERE d.status = 'pending'
         AND d.next_attempt_at < now() - $1 * interval '1 millisecond'
         AND (d.lease_until IS NULL OR d.lease_until < now())
         AND (o.id IS NULL OR o.dispatched_at < now() - $1 * interval '1 millisecond')
       ORDER BY d.next_attempt_at LIMIT $2 FOR UPDATE OF d SKIP LOCKED`,
      [graceMs, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Marks a re-issued delivery as due now, so that it is not re-issued again before its grace runs out. */
  async touchNextAttempt(deliveryId: string, tx: Tx): Promise<void> {
    await exec(tx, 'UPDATE webhook_deliveries SET next_attempt_at = now(), updated_at = now() WHERE id = $1', [
      deliveryId,
    ]);
  }

  /** A subscription's attempts, newest first, keyset-paginated on the attempt id; one row more than asked. */
  async pageAttempts(subscriptionId: string, beforeId: string | null, limit: number, tx: Tx): Promise<AttemptRecord[]> {
    const rows = await many<AttemptRow & Pick<DeliveryRow, 'event_id' | 'event_type' | 'message_id'>>(
      tx,
      `SELECT ${WEBHOOK_ATTEMPT_COLUMNS.of('a')}, d.event_id, d.event_type, d.message_id
       FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
       WHERE a.subscription_id = $1 AND ($2::bigint IS NULL OR a.id < $2::bigint)
       ORDER BY a.id DESC LIMIT $3`,
      [subscriptionId, beforeId, limit + 1],
    );
    return rows.map((r) => ({
      id: String(r.id),
      deliveryId: r.delivery_id,
      eventId: String(r.event_id),
      eventType: r.event_type,
      messageId: r.message_id,
      attempt: r.attempt,
      at: r.at,
      statusCode: r.status_code,
      durationMs: r.duration_ms,
      error: r.error,
      outcome: r.outcome,
    }));
  }

  /**
   * Deletes up to `limit` deliveries that finished (delivered, failed, abandoned) more than `days` before
   * `asOf`, with their attempts, in one statement (foreign keys are checked at its end). Pending
   * deliveries are never pruned, however old: their next attempt is still owed.
   */
  async pruneFinished(
    asOf: Date,
    days: number,
    limit: number,
    tx: Tx,
  ): Promise<{ deliveries: number; attempts: number }> {
    const row = await one<{ deliveries: string; attempts: string }>(
      tx,
      `WITH doomed AS (
         SELECT id FROM webhook_deliveries
         WHERE status <> 'pending' AND completed_at < $1::timestamptz - make_interval(days => $2)
         ORDER BY completed_at LIMIT $3
       ), attempts AS (
         DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM doomed) RETURNING 1
       ), deliveries AS (
         DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM doomed) RETURNING 1
       )
       SELECT (SELECT count(*) FROM deliveries) AS deliveries, (SELECT count(*) FROM attempts) AS attempts`,
      [asOf, days, limit],
    );
    return { deliveries: Number(row.deliveries), attempts: Number(row.attempts) };
  }

  /** Every subscription's stored secret as it is at rest, a page at a time by id (for sealing them again). */
  async storedSecrets(afterId: string, limit: number, tx: Tx): Promise<{ id: string; stored: string }[]> {
    return many<{ id: string; stored: string }>(
      tx,
      'SELECT id, secret AS stored FROM webhook_subscriptions WHERE id > $1 ORDER BY id LIMIT $2',
      [afterId, limit],
    );
  }

  /** Replaces a stored secret by the same secret sealed anew, unless someone changed it meanwhile. */
  async replaceStoredSecret(id: string, before: string, after: string, tx: Tx): Promise<void> {
    await exec(tx, 'UPDATE webhook_subscriptions SET secret = $3 WHERE id = $1 AND secret = $2', [id, before, after]);
  }
}
