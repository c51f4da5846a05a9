import { createHash } from 'node:crypto';
import { ExecutionContext, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { redisOptions } from '@imprimatur/queue';

/** A hit counted while Redis cannot count: how long it may wait before the request goes on uncounted. */
const COMMAND_TIMEOUT_MS = 500;

/**
 * The general rate limit's counters (RATE_LIMIT_PER_MINUTE), in Redis so that every API process counts
 * the same hits: @nest-lab/throttler-storage-redis's atomic script, under this deployment's prefix. With
 * Redis unreachable the limit fails open (the request is served uncounted, one warning per outage):
 * the limit protects the service, and refusing everyone while Redis is away would be the outage.
 */
@Injectable()
export class SharedThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger(SharedThrottlerStorage.name);
  private readonly redis: Redis;
  private readonly store: ThrottlerStorageRedisService;
  private failing = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = new Redis({
      ...redisOptions(config.redisUrl, 'producer'),
      // Queued while (re)connecting, but never for longer than the timeout.
      enableOfflineQueue: true,
      commandTimeout: COMMAND_TIMEOUT_MS,
      keyPrefix: `${config.queuePrefix}:throttle:`,
    });
    this.redis.on('error', () => undefined);
    this.store = new ThrottlerStorageRedisService(this.redis);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    try {
      const record = await this.store.increment(key, ttl, limit, blockDuration, throttlerName);
      if (this.failing) this.logger.log('rate limit counting again');
      this.failing = false;
      return record;
    } catch (error) {
      if (!this.failing)
        this.logger.warn({ err: (error as Error).message }, 'rate limit cannot count (Redis); serving uncounted');
      this.failing = true;
      return { totalHits: 0, timeToExpire: ttl, isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

/**
 * One budget per client address (contract §1), whichever route it calls: @nestjs/throttler's default key
 * adds the controller and handler, which would give every route a budget of its own. Hashed, so that
 * Redis holds no client addresses.
 */
export function perClientKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
  return createHash('sha256').update(`${throttlerName}-${tracker}`).digest('hex');
}

@Module({ providers: [SharedThrottlerStorage], exports: [SharedThrottlerStorage] })
export class SharedThrottlerStorageModule {}
