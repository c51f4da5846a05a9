import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { bootLog, loadConfigOrExit, prepareDatabaseOrExit } from '@imprimatur/platform';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  await prepareDatabaseOrExit(config, 'worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  // SIGINT/SIGTERM close the BullMQ workers, which finish their active jobs first.
  app.enableShutdownHooks();
  app.get(Logger).log('worker started');
}

main().catch((error: unknown) => {
  bootLog('worker', `worker failed to start: ${(error as Error).message}`, 'error');
  process.exit(1);
});
