import { Injectable } from '@nestjs/common';
import { TransactionRunner, Tx } from '../transaction';

/**
 * Counts failed logins per key (an account or a client address) in a fixed window, in PostgreSQL so
 * that every API process sees the same counts and a Redis outage does not switch the limit off.
 */
@Injectable()
export class LoginThrottleRepository {
  constructor(private readonly db: TransactionRunner) {}

  /** Seconds until the key may try again, or 0 if it is below `limit` failures in the current window. */
  async retryAfterSeconds(key: string, limit: number, windowSeconds: number): Promise<number> {
    const rows: { retry_after: string }[] = await this.db.manager.query(
      `SELECT ceil(extract(epoch FROM window_started_at + make_interval(secs => $3) - now())) AS retry_after
       FROM login_throttle
       WHERE key = $1 AND failures >= $2 AND window_started_at + make_interval(secs => $3) > now()`,
      [key, limit, windowSeconds],
    );
    return rows[0] ? Math.max(1, Number(rows[0].retry_after)) : 0;
  }

  async recordFailure(key: string, windowSeconds: number, tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO login_throttle AS t (key, failures, window_started_at) VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN t.window_started_at + make_interval(secs => $2) <= now() THEN 1 ELSE t.failures + 1 END,
         window_started_at = CASE WHEN t.window_started_at + make_interval(secs => $2) <= now() THEN now() ELSE t.window_started_at END`,
      [key, windowSeconds],
    );
  }

  async clear(key: string, tx: Tx): Promise<void> {
    await tx.query('DELETE FROM login_throttle WHERE key = $1', [key]);
  }
}
