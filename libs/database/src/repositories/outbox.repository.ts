import { Injectable } from '@nestjs/common';
import { TransactionRunner, Tx } from '../transaction';

export interface OutboxMessage {
  id: string;
  queue: string;
  name: string;
  payload: unknown;
  /** Not to run before this time (the relay enqueues it delayed). */
  runAt: Date | null;
}

@Injectable()
export class OutboxRepository {
  constructor(private readonly db: TransactionRunner) {}

  async insert(message: Omit<OutboxMessage, 'id'>, tx: Tx): Promise<string> {
    const rows: { id: string }[] = await tx.query(
      'INSERT INTO outbox (queue, name, payload, run_at) VALUES ($1, $2, $3, $4) RETURNING id',
      [message.queue, message.name, JSON.stringify(message.payload), message.runAt],
    );
    return rows[0].id;
  }

  /**
   * Claims the oldest undispatched messages for the length of the caller's transaction; SKIP LOCKED
   * lets several relays work side by side without taking the same rows.
   */
  async claimPending(queues: readonly string[], limit: number, tx: Tx): Promise<OutboxMessage[]> {
    return tx.query(
      `SELECT id, queue, name, payload, run_at AS "runAt" FROM outbox
       WHERE dispatched_at IS NULL AND queue = ANY($1::text[]) ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [queues, limit],
    );
  }

  async markDispatched(ids: string[], tx: Tx): Promise<void> {
    await tx.query('UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])', [ids]);
  }

  async findById(id: string, tx: Tx = this.db.manager): Promise<(OutboxMessage & { dispatchedAt: Date | null }) | null> {
    const rows: (OutboxMessage & { dispatchedAt: Date | null })[] = await tx.query(
      'SELECT id, queue, name, payload, run_at AS "runAt", dispatched_at AS "dispatchedAt" FROM outbox WHERE id = $1',
      [id],
    );
    return rows[0] ?? null;
  }
}
