/**
 * When a failed webhook delivery is tried again. Pure: the caller supplies the randomness.
 *
 * - Default (WEBHOOK_BACKOFF_MS unset): the Standard Webhooks example schedule: the first attempt at
 *   once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h after each failure (24 h for any
 *   further ones), each with ±10 % jitter so that many deliveries failing together do not retry in step.
 * - WEBHOOK_BACKOFF_MS set: the first retry after that many ms, doubling each time, exact (no jitter),
 *   never more than 24 h.
 */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Delays before attempts 2, 3, … of the Standard Webhooks example schedule. */
export const STANDARD_RETRY_DELAYS_MS: readonly number[] = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
  24 * HOUR,
];

/** The schedule's delays are spread by up to this fraction either way. */
export const RETRY_JITTER = 0.1;

/** No retry waits longer than this. */
export const MAX_RETRY_DELAY_MS = 24 * HOUR;

export interface BackoffPolicy {
  /** WEBHOOK_MAX_ATTEMPTS: attempts in all, the first included. */
  maxAttempts: number;
  /** WEBHOOK_BACKOFF_MS, or null for the standard schedule. */
  backoffMs: number | null;
}

/**
 * The wait before the next attempt after `failedAttempts` attempts (≥ 1) have failed.
 * `random` returns a number in [0, 1), as Math.random does.
 */
export function retryDelayMs(
  failedAttempts: number,
  backoffMs: number | null,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1)
    throw new RangeError(`failedAttempts must be a whole number >= 1, not ${failedAttempts}`);
  if (backoffMs !== null) {
    // 2 ** 60 already exceeds any cap; limiting the exponent keeps the product finite.
    return Math.min(backoffMs * 2 ** Math.min(failedAttempts - 1, 60), MAX_RETRY_DELAY_MS);
  }
  const base = STANDARD_RETRY_DELAYS_MS[Math.min(failedAttempts, STANDARD_RETRY_DELAYS_MS.length) - 1];
  const spread = 1 - RETRY_JITTER + 2 * RETRY_JITTER * Math.min(Math.max(random(), 0), 1);
  return Math.round(base * spread);
}

/** What an attempt's answer means for its delivery. */
export type AttemptOutcome = 'delivered' | 'disabled' | 'retrying' | 'failed';

export const ATTEMPT_OUTCOMES: readonly AttemptOutcome[] = ['delivered', 'disabled', 'retrying', 'failed'];

/**
 * 2xx: delivered. 410 Gone: the receiver asks us to stop, so the subscription is disabled. Anything
 * else (another status, or `null` for no answer: timeout, refused, blocked) is retried while attempts
 * remain, and fails the delivery after the last.
 */
export function attemptOutcome(statusCode: number | null, attempt: number, maxAttempts: number): AttemptOutcome {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return 'delivered';
  if (statusCode === 410) return 'disabled';
  return attempt < maxAttempts ? 'retrying' : 'failed';
}
