import { DynamicModule, Module, OnModuleInit } from '@nestjs/common';
import { AppConfig, AppConfigModule } from '@imprimatur/config';
import { DatabaseModule } from '@imprimatur/database';
import { loggingModule } from '@imprimatur/platform';
import { bullModules, OutboxModule, wiringProblems } from '@imprimatur/queue';
import { OutboxRelay } from './outbox-relay.service';
import { SystemProcessor } from './processors/system.processor';

export const PROCESSORS = [SystemProcessor];

@Module({})
export class WorkerModule implements OnModuleInit {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [AppConfigModule.forRoot(config), loggingModule(config, 'worker'), DatabaseModule, OutboxModule, ...bullModules()],
      providers: [...PROCESSORS, OutboxRelay],
    };
  }

  /** Refuses to start when a job of the catalogue has no handler, or two. */
  onModuleInit(): void {
    const problems = wiringProblems(PROCESSORS.map((p) => ({ queue: p.queue, names: p.handles })));
    if (problems.length > 0) throw new Error(`worker wiring is wrong: ${problems.join('; ')}`);
  }
}
