import { Injectable } from '@nestjs/common';
import { TableColumns } from '../columns';
import { advisoryXactLock, exec, many, maybeOne, one } from '../sql';
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
  /** When its job completed or failed for good (set by the worker). */
  finished_at: Date | null;
  created_at: Date;
}

export const OUTBOX_COLUMNS = new TableColumns<OutboxRow>('outbox', {
  id: true,
  queue: true,
  name: true,
  payload: true,
  run_at: true,
  dispatched_at: true,
  finished_at: true,
  created_at: true,
});

/** Serialises the Redis-loss sweeps of several workers (an arbitrary constant of this project's). */
const REDIS_LOSS_LOCK = 0x1d50e50c;

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

  /** The job of this row completed, or failed for good: a Redis that loses its data need not run it again. */
  async markFinished(id: string, tx: Tx): Promise<void> {
    await exec(tx, 'UPDATE outbox SET finished_at = now() WHERE id = $1 AND finished_at IS NULL', [id]);
  }

  /** Held for the caller's transaction: one worker at a time decides whether Redis lost its data. */
  async lockRedisLossSweep(tx: Tx): Promise<void> {
    await advisoryXactLock(tx, REDIS_LOSS_LOCK);
  }

  /**
   * Redis lost its data: every dispatched row whose job has not finished goes back to the relay, which
   * enqueues it again under the same job id (delayed to its run_at, if that is still ahead). Answers how many.
   */
  async redispatchUnfinished(tx: Tx): Promise<number> {
    return exec(tx, 'UPDATE outbox SET dispatched_at = NULL WHERE dispatched_at IS NOT NULL AND finished_at IS NULL');
  }

  /**
   * Deletes up to `limit` messages finished more than `days` days before `asOf` (a batch, so that no long
   * statement holds locks); answers how many it deleted. Unfinished ones stay, however old: a Redis that
   * loses its data needs them to re-issue their jobs (a publication scheduled months ahead, say).
   */
  async deleteFinished(asOf: Date, days: number, limit: number, tx: Tx): Promise<number> {
    return exec(
      tx,
      `DELETE FROM outbox WHERE id IN (
         SELECT id FROM outbox WHERE finished_at < $1::timestamptz - make_interval(days => $2) LIMIT $3)`,
      [asOf, days, limit],
    );
  }
}
