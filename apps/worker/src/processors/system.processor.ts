import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { CatalogueJob, QueueName } from '@imprimatur/queue';

@Processor('system', { concurrency: 4 })
export class SystemProcessor extends WorkerHost {
  static readonly queue: QueueName = 'system';
  static readonly handles = ['system.ping'] as const;
  private readonly logger = new Logger(SystemProcessor.name);

  async process(job: Job): Promise<unknown> {
    const { name, data } = job as unknown as CatalogueJob;
    switch (name) {
      case 'system.ping':
        this.logger.log({ jobId: job.id, requestedAt: data.requestedAt }, 'ping');
        return { pong: true, requestedAt: data.requestedAt };
      default:
        throw new UnrecoverableError(`no handler for job ${String(name)}`);
    }
  }
}
