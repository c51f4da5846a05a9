import Redis from 'ioredis';
import { redisOptions } from '@imprimatur/queue/connection';

/**
 * Deletes one run's Redis keys, and only them: SCAN for `<prefix>:*`, UNLINK what it finds. Shared by
 * the benchmarks and the browser story, which all work under a throwaway prefix of their own.
 */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisOptions(redisUrl, 'worker'));
  redis.on('error', () => undefined);
  try {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}
