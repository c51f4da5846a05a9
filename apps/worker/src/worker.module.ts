import { getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Logger, Module, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { AppConfig, AppConfigModule } from '@imprimatur/config';
import { DatabaseModule } from '@imprimatur/database';
import { loggingModule } from '@imprimatur/platform';
import { ChecksModule } from '@imprimatur/checks';
import { PublishingModule } from '@imprimatur/publishing';
import { WebhookDeliveryModule } from '@imprimatur/webhooks';
import { bullModules, OutboxModule, unservedJobs, wiringProblems } from '@imprimatur/queue';
import { MailModule } from './mail/mail.module';
import { SchedulesService } from './schedules.service';
import { AuditDigestSchedule } from './processors/audit.processor';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxLedger } from './outbox-ledger.service';
import { RedisLossSweeper } from './redis-loss.service';
import { applyWorkerOptions } from './worker-settings';
import { PROCESSORS, registrationsOf, SERVED_QUEUES } from './served-queues';

@Module({})
export class WorkerModule implements OnModuleInit {
  constructor(private readonly moduleRef: ModuleRef) {}

  static forRoot(config: AppConfig): DynamicModule {
    // WORKER_LOCK_DURATION_MS / WORKER_STALLED_INTERVAL_MS, read when the module creates the BullMQ workers.
    applyWorkerOptions(PROCESSORS, config);
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(config),
        loggingModule(config, 'worker'),
        DatabaseModule,
        OutboxModule,
        ChecksModule,
        PublishingModule,
        WebhookDeliveryModule,
        MailModule,
        ...bullModules(SERVED_QUEUES),
      ],
      providers: [...PROCESSORS, OutboxLedger, OutboxRelay, RedisLossSweeper, SchedulesService, AuditDigestSchedule],
    };
  }

  /** Refuses to start when a job of the catalogue has no handler, or two. */
  onModuleInit(): void {
    const registrations = registrationsOf(
      PROCESSORS.map((processor) => this.moduleRef.get(processor, { strict: false })),
    );
    const problems = wiringProblems(registrations);
    if (problems.length > 0) throw new Error(`worker wiring is wrong: ${problems.join('; ')}`);
    for (const name of SERVED_QUEUES) {
      // Connection errors surface through the processors' listeners; unheard, BullMQ prints each one.
      this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }).on('error', () => undefined);
    }
    const waiting = unservedJobs(registrations);
    if (waiting.length > 0)
      new Logger(WorkerModule.name).log(
        { jobs: waiting },
        'no processor in this build for these jobs: they wait in the outbox',
      );
  }
}
