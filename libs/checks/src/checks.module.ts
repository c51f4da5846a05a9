import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { HostLimiter, SafeHttpClient, SharedResultCache } from '@imprimatur/outbound';
import { redisOptions } from '@imprimatur/queue';
import { WorkflowModule } from '@imprimatur/workflow';
import type { LinkResult } from './links/classify';
import { LinkChecker } from './links/link-checker';
import { LINK_RESULT_CACHE, LinksCheckService } from './links-check.service';
import { RetentionService } from './retention.service';
import { PublishedLinksRecheckService, ReviewDueScanService } from './review-due.service';

export const CHECKS_REDIS = Symbol('CHECKS_REDIS');

/** Closes what the checks opened when the worker stops. */
@Injectable()
class ChecksResources implements OnApplicationShutdown {
  constructor(
    @Inject(CHECKS_REDIS) private readonly redis: Redis,
    private readonly http: SafeHttpClient,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
    this.redis.disconnect();
  }
}

/** The worker's reference checks: the SSRF-safe client, per-host politeness and the shared result cache on Redis. */
@Module({
  imports: [WorkflowModule],
  providers: [
    {
      provide: CHECKS_REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const redis = new Redis(redisOptions(config.redisUrl, 'worker'));
        redis.on('error', () => undefined);
        return redis;
      },
    },
    {
      provide: SafeHttpClient,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new SafeHttpClient({ allowHosts: config.outbound.allowHosts, timeoutMs: config.outbound.linkCheckTimeoutMs }),
    },
    {
      provide: LinkChecker,
      inject: [APP_CONFIG, CHECKS_REDIS, SafeHttpClient],
      useFactory: (config: AppConfig, redis: Redis, http: SafeHttpClient) =>
        new LinkChecker(
          http,
          new HostLimiter(redis, {
            keyPrefix: `${config.queuePrefix}:linkcheck:hosts`,
            concurrency: config.linkCheck.hostConcurrency,
            spacingMs: config.linkCheck.hostSpacingMs,
            // A request holds its slot at most its timeout; a crashed worker's slot frees after that.
            leaseMs: config.outbound.linkCheckTimeoutMs + 5_000,
          }),
          {
            timeoutMs: config.outbound.linkCheckTimeoutMs,
            retries: config.linkCheck.retries,
            retryBaseMs: config.linkCheck.retryBaseMs,
            maxRetryAfterMs: config.linkCheck.maxRetryAfterMs,
          },
        ),
    },
    {
      provide: LINK_RESULT_CACHE,
      inject: [APP_CONFIG, CHECKS_REDIS],
      useFactory: (config: AppConfig, redis: Redis) =>
        new SharedResultCache<LinkResult>(redis, {
          keyPrefix: `${config.queuePrefix}:linkcheck:results`,
          ttlSeconds: config.linkCheck.cacheTtlSeconds,
          // Long enough for one link's retries; a crashed checker's lock frees after it.
          lockMs: (config.outbound.linkCheckTimeoutMs + config.linkCheck.maxRetryAfterMs) * (config.linkCheck.retries + 1) + 5_000,
        }),
    },
    ChecksResources,
    LinksCheckService,
    ReviewDueScanService,
    PublishedLinksRecheckService,
    RetentionService,
  ],
  exports: [LinksCheckService, ReviewDueScanService, PublishedLinksRecheckService, RetentionService],
})
export class ChecksModule {}
