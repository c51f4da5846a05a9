import { WORKER_METADATA } from '@nestjs/bullmq/dist/bull.constants';
import type { WorkerOptions } from 'bullmq';
import type { AppConfig } from '@imprimatur/config';

/** The BullMQ worker options that come from the configuration, not from a processor's decorator. */
export function configuredWorkerOptions(
  config: Pick<AppConfig, 'queueWorkers'>,
): Pick<WorkerOptions, 'lockDuration' | 'stalledInterval'> {
  return { lockDuration: config.queueWorkers.lockDurationMs, stalledInterval: config.queueWorkers.stalledIntervalMs };
}

/**
 * Adds them to every processor's `@Processor(queue, options)`, which is fixed when the class is
 * declared, before any configuration is read; @nestjs/bullmq reads these options when it creates each
 * worker (at module init), so this must run before the application is created.
 */
export function applyWorkerOptions(
  processors: readonly (abstract new (...args: never[]) => unknown)[],
  config: Pick<AppConfig, 'queueWorkers'>,
): void {
  const configured = configuredWorkerOptions(config);
  for (const processor of processors) {
    const declared = (Reflect.getMetadata(WORKER_METADATA, processor) ?? {}) as WorkerOptions;
    Reflect.defineMetadata(WORKER_METADATA, { ...declared, ...configured }, processor);
  }
}
