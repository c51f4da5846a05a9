import { Injectable } from '@nestjs/common';
import { TableColumns } from '../columns';
import { exec, many } from '../sql';
import { TransactionRunner, Tx } from '../transaction';

/** One counter to take a slot from: a key (an account, an address, or the pair) and its limit per window. */
export interface ThrottleSlot {
  key: string;
  limit: number;
}

export type Reservation = { taken: true } | { taken: false; retryAfterSeconds: number };

interface LoginThrottleRow {
  key: string;
  failures: number;
  window_started_at: Date;
}

export const LOGIN_THROTTLE_COLUMNS = new TableColumns<LoginThrottleRow>('login_throttle', {
  key: true,
  failures: true,
  window_started_at: true,
});

/**
 * Counts failed logins per key in a fixed window, in PostgreSQL so that every API process sees the
 * same counts and a Redis outage does not switch the limit off.
 *
 * A login first takes a slot on each of its keys, under the keys' row locks, and only then checks
 * the password: so however many requests race, at most `limit` of them ever reach the hash. A
 * successful login hands its slots back.
 */
@Injectable()
export class LoginThrottleRepository {
  constructor(private readonly db: TransactionRunner) {}

  /**
   * Takes one slot on every key, or none if any key is at its limit in the current window (then
   * answers how long until the latest of the full keys frees up). A refused attempt takes nothing,
   * so a caller hammering a locked pair does not use up the account's budget across addresses.
   */
  reserve(slots: readonly ThrottleSlot[], windowSeconds: number): Promise<Reservation> {
    // One lock order for every caller, so two logins sharing keys cannot deadlock.
    const keys = [...new Set(slots.map((s) => s.key))].sort();
    const limitOf = new Map(slots.map((s) => [s.key, s.limit]));
    return this.db.run(async (tx) => {
      await exec(
        tx,
        `INSERT INTO login_throttle (key, failures, window_started_at)
         SELECT k, 0, now() FROM unnest($1::text[]) AS k ORDER BY k
         ON CONFLICT (key) DO NOTHING`,
        [keys],
      );
      // The failures of a window that has run out count as none; retry_after is derived from window_started_at.
      const rows = await many<Pick<LoginThrottleRow, 'key' | 'failures'> & { retry_after: string }>(
        tx,
        `SELECT key,
                CASE WHEN window_started_at + make_interval(secs => $2) <= now() THEN 0 ELSE failures END AS failures,
                ceil(extract(epoch FROM window_started_at + make_interval(secs => $2) - now())) AS retry_after
         FROM login_throttle WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE`,
        [keys, windowSeconds],
      );
      const full = rows.filter((r) => r.failures >= (limitOf.get(r.key) ?? Infinity));
      if (full.length > 0) {
        return { taken: false, retryAfterSeconds: Math.max(1, ...full.map((r) => Number(r.retry_after))) };
      }
      await exec(
        tx,
        `UPDATE login_throttle SET
           failures = CASE WHEN window_started_at + make_interval(secs => $2) <= now() THEN 1 ELSE failures + 1 END,
           window_started_at = CASE WHEN window_started_at + make_interval(secs => $2) <= now() THEN now() ELSE window_started_at END
         WHERE key = ANY($1::text[])`,
        [keys, windowSeconds],
      );
      return { taken: true };
    });
  }

  /**
   * Locks the counters in the one order `reserve` uses (by key, in SQL), for a caller that changes
   * several of them in one transaction: changing them in another order deadlocks against a
   * concurrent `reserve` of the same account (seen in the soak: two sign-offs by one reviewer).
   */
  async lock(keys: readonly string[], tx: Tx): Promise<void> {
    await many(tx, 'SELECT key FROM login_throttle WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE', [
      [...new Set(keys)],
    ]);
  }

  /** Gives back a slot taken by an attempt that turned out to succeed. */
  async release(keys: readonly string[], tx: Tx): Promise<void> {
    await exec(tx, 'UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE key = ANY($1::text[])', [
      [...keys],
    ]);
  }

  async clear(keys: readonly string[], tx: Tx): Promise<void> {
    await exec(tx, 'DELETE FROM login_throttle WHERE key = ANY($1::text[])', [[...keys]]);
  }

  /** Deletes the counters whose window of `windowSeconds` had ended by `asOf`; answers how many it deleted. */
  async deleteEnded(asOf: Date, windowSeconds: number, tx: Tx): Promise<number> {
    return exec(
      tx,
      'DELETE FROM login_throttle WHERE window_started_at + make_interval(secs => $2) < $1::timestamptz',
      [asOf, windowSeconds],
    );
  }
}
