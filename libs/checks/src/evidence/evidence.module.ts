import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import type { LookupOutcome } from '@imprimatur/domain';
import { HostLimiter, SafeHttpClient, SharedResultCache } from '@imprimatur/outbound';
import { redisOptions } from '@imprimatur/queue';
import { closeOutbound } from '../outbound-resources';
import { ReferenceLookup } from './reference-lookup.service';
import { RegistryClient } from './registry-client';

const REGISTRY_REDIS = Symbol('REGISTRY_REDIS');
const REGISTRY_HTTP = Symbol('REGISTRY_HTTP');

/** Headroom of a lease over the one request it covers. */
const LEASE_MARGIN_MS = 5_000;

/**
 * Each registry's published etiquette, as host limits shared by every process: Crossref's polite pool
 * takes a few requests at once; NCBI allows 3 requests a second without an API key.
 */
const REGISTRY_LIMITS = {
  crossref: { concurrency: 3, spacingMs: 100 },
  pubmed: { concurrency: 1, spacingMs: 340 },
} as const;

@Injectable()
class RegistryResources implements OnApplicationShutdown {
  constructor(
    @Inject(REGISTRY_REDIS) private readonly redis: Redis,
    @Inject(REGISTRY_HTTP) private readonly http: SafeHttpClient,
  ) {}

  onApplicationShutdown(): Promise<void> {
    return closeOutbound(this.http, this.redis);
  }
}

/**
 * Crossref and PubMed for the evidence check (worker) and the reference lookup (API): one SSRF-safe
 * client, the registries' host limits and one shared answer cache on Redis. `redis` is how this
 * process should treat Redis: the worker waits for it; the API fails fast (a lookup answers 502).
 */
@Module({})
export class EvidenceModule {
  static register(options: { redis: 'worker' | 'producer' }): DynamicModule {
    return {
      module: EvidenceModule,
      providers: [
        {
          provide: REGISTRY_REDIS,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => {
            const redis = new Redis(redisOptions(config.redisUrl, options.redis));
            redis.on('error', () => undefined);
            return redis;
          },
        },
        {
          provide: REGISTRY_HTTP,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) =>
            new SafeHttpClient({
              allowHosts: config.outbound.allowHosts,
              timeoutMs: config.outbound.linkCheckTimeoutMs,
            }),
        },
        {
          provide: RegistryClient,
          inject: [APP_CONFIG, REGISTRY_REDIS, REGISTRY_HTTP],
          useFactory: (config: AppConfig, redis: Redis, http: SafeHttpClient) => {
            const logger = new Logger(RegistryClient.name);
            const leaseMs = config.outbound.linkCheckTimeoutMs + LEASE_MARGIN_MS;
            const limiter = (registry: keyof typeof REGISTRY_LIMITS) =>
              new HostLimiter(redis, {
                keyPrefix: `${config.queuePrefix}:registry:hosts`,
                ...REGISTRY_LIMITS[registry],
                leaseMs,
              });
            return new RegistryClient(
              http,
              { crossref: limiter('crossref'), pubmed: limiter('pubmed') },
              new SharedResultCache<Extract<LookupOutcome, { outcome: 'found' | 'not_found' }>>(redis, {
                keyPrefix: `${config.queuePrefix}:registry:answers:v1`,
                ttlSeconds: config.evidence.cacheTtlSeconds,
                lockMs: leaseMs,
              }),
              {
                crossrefUrl: config.evidence.crossrefUrl,
                eutilsUrl: config.evidence.eutilsUrl,
                pubmedUrl: config.outbound.pubmedUrl,
                contactEmail: config.evidence.contactEmail,
                timeoutMs: config.outbound.linkCheckTimeoutMs,
                retries: config.linkCheck.retries,
                retryBaseMs: config.linkCheck.retryBaseMs,
                maxRetryAfterMs: config.linkCheck.maxRetryAfterMs,
                onUnexpectedError: (error, registry, id) =>
                  logger.error(
                    {
                      err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
                      registry,
                      id,
                    },
                    'registry lookup failed unexpectedly',
                  ),
              },
            );
          },
        },
        RegistryResources,
        ReferenceLookup,
      ],
      exports: [RegistryClient, ReferenceLookup],
    };
  }
}
