import { Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { HostLimiter, SafeHttpClient, SharedResultCache } from '@imprimatur/outbound';
import { redisOptions } from '@imprimatur/queue';
import { WorkflowModule } from '@imprimatur/workflow';
import type { LinkResult } from './links/classify';
import { LinkChecker } from './links/link-checker';
import { LINK_RESULT_CACHE, LinksCheckService } from './links-check.service';
import { closeOutbound } from './outbound-resources';
import { RetentionService } from './retention.service';
import { EvidenceModule } from './evidence/evidence.module';
import { EvidenceCheckService } from './evidence/evidence-check.service';
import { PublishedRecheckService, ReviewDueScanService } from './review-due.service';

export const CHECKS_REDIS = Symbol('CHECKS_REDIS');

/** Headroom of a lease over the one request it covers: Redis round trips, a busy event loop. */
const LEASE_MARGIN_MS = 5_000;

/**
 * How long a link's single-flight lock in the result cache outlives a crashed holder: one request
 * (LINK_CHECK_TIMEOUT_MS) plus a margin. A live holder renews it every third of that for as long as
 * its retries and Retry-After waits take, so the lock no longer has to cover them all; what a dead
 * worker leaves behind frees within this, sooner than BullMQ hands its jobs to another worker.
 */
export const linkLockMs = (config: AppConfig): number => config.outbound.linkCheckTimeoutMs + LEASE_MARGIN_MS;

/**
 * The checks' connection: every link takes a few short commands, and many links are in flight at
 * once, so commands issued in the same tick go out in one write (ioredis's auto-pipelining) rather
 * than a write each. Nothing on it blocks, which pipelining would hold the others behind.
 */
export const checksRedisOptions = (redisUrl: string): RedisOptions => ({
  ...redisOptions(redisUrl, 'worker'),
  enableAutoPipelining: true,
});

/** Closes what the checks opened when the worker stops. */
@Injectable()
class ChecksResources implements OnApplicationShutdown {
  constructor(
    @Inject(CHECKS_REDIS) private readonly redis: Redis,
    private readonly http: SafeHttpClient,
  ) {}

  onApplicationShutdown(): Promise<void> {
    return closeOutbound(this.http, this.redis);
  }
}

/** The worker's reference checks: the SSRF-safe client, per-host politeness and the shared result cache on Redis. */
@Module({
  imports: [WorkflowModule, EvidenceModule.register({ redis: 'worker' })],
  providers: [
    {
      provide: CHECKS_REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const redis = new Redis(checksRedisOptions(config.redisUrl));
        redis.on('error', () => undefined);
        return redis;
      },
    },
    {
      provide: SafeHttpClient,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new SafeHttpClient({ allowHosts: config.outbound.allowHosts, timeoutMs: config.outbound.linkCheckTimeoutMs }),
    },
    {
      provide: LinkChecker,
      inject: [APP_CONFIG, CHECKS_REDIS, SafeHttpClient],
      useFactory: (config: AppConfig, redis: Redis, http: SafeHttpClient) => {
        const logger = new Logger(LinkChecker.name);
        return new LinkChecker(
          http,
          new HostLimiter(redis, {
            keyPrefix: `${config.queuePrefix}:linkcheck:hosts`,
            concurrency: config.linkCheck.hostConcurrency,
            spacingMs: config.linkCheck.hostSpacingMs,
            // A request holds its slot at most its timeout; a crashed worker's slot frees after that.
            leaseMs: config.outbound.linkCheckTimeoutMs + LEASE_MARGIN_MS,
          }),
          {
            timeoutMs: config.outbound.linkCheckTimeoutMs,
            retries: config.linkCheck.retries,
            retryBaseMs: config.linkCheck.retryBaseMs,
            maxRetryAfterMs: config.linkCheck.maxRetryAfterMs,
            // The link's details only say the request failed; the real error is for the logs.
            onUnexpectedError: (error, target) =>
              logger.error(
                {
                  err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
                  url: target.url,
                },
                'link check failed unexpectedly',
              ),
          },
        );
      },
    },
    {
      provide: LINK_RESULT_CACHE,
      inject: [APP_CONFIG, CHECKS_REDIS],
      useFactory: (config: AppConfig, redis: Redis) =>
        new SharedResultCache<LinkResult>(redis, {
          // v2: results no longer carry raw error text; older entries (which may) are left to expire.
          keyPrefix: `${config.queuePrefix}:linkcheck:results:v2`,
          ttlSeconds: config.linkCheck.cacheTtlSeconds,
          lockMs: linkLockMs(config),
        }),
    },
    ChecksResources,
    LinksCheckService,
    ReviewDueScanService,
    PublishedRecheckService,
    EvidenceCheckService,
    RetentionService,
  ],
  exports: [LinksCheckService, EvidenceCheckService, ReviewDueScanService, PublishedRecheckService, RetentionService],
})
export class ChecksModule {}
