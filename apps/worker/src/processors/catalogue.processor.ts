import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { QueueName } from '@imprimatur/queue';

/**
 * Base of every processor. BullMQ prints each Redis connection error to stderr unless the worker has
 * an error listener; during an outage that would be one line per reconnect attempt, so log the first
 * error of an outage as a warning and stay quiet until the worker runs a job again.
 */
export abstract class CatalogueProcessor extends WorkerHost {
  protected readonly logger = new Logger(this.constructor.name);
  private failing = false;

  static readonly queue: QueueName;
  static readonly handles: readonly string[];

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn({ err: error.message }, 'queue connection error; retrying');
  }

  @OnWorkerEvent('active')
  onWorkerActive(): void {
    this.failing = false;
  }
}
