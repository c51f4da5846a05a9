import { Injectable } from '@nestjs/common';
import { TableColumns } from '../columns';
import { exec, many, maybeOne, one } from '../sql';
import { Tx } from '../transaction';

export interface OutboxMessage {
  id: string;
  queue: string;
  name: string;
  payload: unknown;
  /** Not to run before this time (the relay enqueues it delayed). */
  runAt: Date | null;
}

interface OutboxRow {
  /** bigint, as a string. */
  id: string;
  queue: string;
  name: string;
  payload: unknown;
  run_at: Date | null;
  dispatched_at: Date | null;
  created_at: Date;
}

export const OUTBOX_COLUMNS = new TableColumns<OutboxRow>('outbox', {
  id: true,
  queue: true,
  name: true,
  payload: true,
  run_at: true,
  dispatched_at: true,
  created_at: true,
});

const toMessage = (r: OutboxRow): OutboxMessage => ({
  id: r.id,
  queue: r.queue,
  name: r.name,
  payload: r.payload,
  runAt: r.run_at,
});

@Injectable()
export class OutboxRepository {
  async insert(message: Omit<OutboxMessage, 'id'>, tx: Tx): Promise<string> {
    const row = await one<Pick<OutboxRow, 'id'>>(
      tx,
      'INSERT INTO outbox (queue, name, payload, run_at) VALUES ($1, $2, $3, $4) RETURNING id',
      [message.queue, message.name, JSON.stringify(message.payload), message.runAt],
    );
    return row.id;
  }

  /**
   * Claims the oldest undispatched messages for the length of the caller's transaction; SKIP LOCKED
   * lets several relays work side by side without taking the same rows.
   */
  async claimPending(queues: readonly string[], limit: number, tx: Tx): Promise<OutboxMessage[]> {
    const rows = await many<OutboxRow>(
      tx,
      `SELECT ${OUTBOX_COLUMNS.list} FROM outbox
       WHERE dispatched_at IS NULL AND queue = ANY($1::text[]) ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [queues, limit],
    );
    return rows.map(toMessage);
  }

  async markDispatched(ids: string[], tx: Tx): Promise<void> {
    await exec(tx, 'UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])', [ids]);
  }

  async findById(id: string, tx: Tx): Promise<(OutboxMessage & { dispatchedAt: Date | null }) | null> {
    const row = await maybeOne<OutboxRow>(tx, `SELECT ${OUTBOX_COLUMNS.list} FROM outbox WHERE id = $1`, [id]);
    return row ? { ...toMessage(row), dispatchedAt: row.dispatched_at } : null;
  }

  /**
   * Deletes up to `limit` messages dispatched more than `days` days before `asOf` (a batch, so that
   * no long statement holds locks); answers how many it deleted.
   */
  async deleteDispatched(asOf: Date, days: number, limit: number, tx: Tx): Promise<number> {
    return exec(
      tx,
      `DELETE FROM outbox WHERE id IN (
         SELECT id FROM outbox WHERE dispatched_at < $1::timestamptz - make_interval(days => $2) LIMIT $3)`,
      [asOf, days, limit],
    );
  }
}
