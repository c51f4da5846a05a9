import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import {
  bootLog,
  LogFn,
  loadConfigOrExit,
  prepareDatabaseOrExit,
  stopOnSignals,
  warnIfRedisEvicts,
} from '@imprimatur/platform';
import { abandonHostWaits } from '@imprimatur/outbound';
import { PROCESSORS } from './served-queues';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  await prepareDatabaseOrExit(config, 'worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const logger = new NestLogger('Worker');
  const log: LogFn = (level, msg, fields = {}) => logger[level === 'info' ? 'log' : level](fields, msg);
  const workers = () => PROCESSORS.map((processor) => app.get(processor, { strict: false }).worker);

  // Not Nest's enableShutdownHooks: its close waits for BullMQ, and BullMQ's close waits for Redis,
  // forever when Redis is gone. Instead: stop taking jobs and let the active ones finish for up to
  // SHUTDOWN_GRACE_MS; then close the BullMQ workers with force (an unfinished job's lock runs out
  // and another worker re-runs it) and everything else, and exit (docs/operations.md).
  stopOnSignals(
    {
      drain: () => {
        const paused = Promise.all(workers().map((worker) => worker.pause(false)));
        // Jobs that only wait for a host's slot go back to the queue rather than hold up the drain.
        abandonHostWaits();
        return paused;
      },
      close: async () => {
        await Promise.all(workers().map((worker) => worker.close(true)));
        await app.close();
      },
    },
    { graceMs: config.shutdownGraceMs, log },
  );
  log('info', 'worker started', {
    lockDurationMs: config.queueWorkers.lockDurationMs,
    stalledIntervalMs: config.queueWorkers.stalledIntervalMs,
    shutdownGraceMs: config.shutdownGraceMs,
  });
  // BullMQ needs a Redis that never evicts; say so loudly if this one would.
  void warnIfRedisEvicts(config.redisUrl, log);
}

main().catch((error: unknown) => {
  bootLog('worker', `worker failed to start: ${(error as Error).message}`, 'error');
  process.exit(1);
});
