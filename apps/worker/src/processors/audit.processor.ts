import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { AuditDigestRepository } from '@imprimatur/database';
import { JOB_OPTIONS } from '@imprimatur/queue';
import { CatalogueProcessor, CatalogueQueue, Handlers } from './catalogue.processor';

const QUEUE = 'audit';

/** The message of the log line that carries each digest: a copy outside the database to check the chain against. */
export const AUDIT_DIGEST_LOG_MESSAGE = 'audit digest';

/** Signed digests of the audit chain's head (see libs/domain audit/digest.ts). */
@CatalogueQueue(QUEUE, { concurrency: 1 })
export class AuditProcessor extends CatalogueProcessor<typeof QUEUE> {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly digests: AuditDigestRepository,
  ) {
    super();
  }

  readonly handlers: Handlers<typeof QUEUE> = {
    'audit.digest': async () => {
      const key = await this.digests.signingKey(this.config.auditDigest.signingKeyPem);
      const { entry, digest, appended } = await this.digests.append(key);
      const logged = { seq: entry.seq, at: entry.at, ...digest };
      // Logged whether or not a new entry was needed: every run leaves a copy of the newest digest.
      this.logger.log({ auditDigest: logged, appended }, AUDIT_DIGEST_LOG_MESSAGE);
      return { ...logged, appended };
    },
  };
}

/** The daily digest, as a BullMQ job scheduler: upserting is idempotent, so every worker does it at start. */
@Injectable()
export class AuditDigestSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuditDigestSchedule.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QUEUE) private readonly queue: Queue,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: with Redis down the worker still starts, and the upsert goes through once it is back.
    void this.upsert().catch((error: Error) =>
      this.logger.error({ err: error.message }, 'could not register the audit digest schedule'),
    );
  }

  async upsert(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'audit-digest',
      { pattern: this.config.auditDigest.cron, tz: 'UTC' },
      { name: 'audit.digest', data: {}, opts: JOB_OPTIONS['audit.digest'] },
    );
    this.logger.log({ auditDigest: this.config.auditDigest.cron }, 'audit digest schedule registered');
  }
}
