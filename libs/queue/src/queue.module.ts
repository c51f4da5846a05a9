import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { redisOptions } from './connection';
import { QueueName } from './jobs';
import { OutboxService } from './outbox.service';

@Global()
@Module({ providers: [OutboxService], exports: [OutboxService] })
export class OutboxModule {}

/** BullMQ's root connection (with QUEUE_PREFIX) and the queues the worker serves. */
export function bullModules(queues: readonly QueueName[]): DynamicModule[] {
  return [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: { ...redisOptions(config.redisUrl, 'worker') },
        prefix: config.queuePrefix,
      }),
    }),
    ...queues.map((name) => BullModule.registerQueue({ name })),
  ];
}
