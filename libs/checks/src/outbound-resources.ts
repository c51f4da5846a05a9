import { setTimeout as sleep } from 'node:timers/promises';
import type Redis from 'ioredis';
import { closeHostLimiters, type SafeHttpClient } from '@imprimatur/outbound';

/** How long requests still in flight at shutdown may finish before their connections are cut. */
const HTTP_CLOSE_GRACE_MS = 1_000;

/**
 * Closes what a module's outbound requests opened when the process stops. Requests still in flight
 * belong to jobs abandoned at the shutdown deadline: a moment, then cut.
 */
export async function closeOutbound(http: SafeHttpClient, redis: Redis): Promise<void> {
  const closed = await Promise.race([http.close().then(() => true), sleep(HTTP_CLOSE_GRACE_MS, false, { ref: false })]);
  if (!closed) await http.destroy();
  closeHostLimiters(redis);
  redis.disconnect();
}
