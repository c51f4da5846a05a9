import { Processor } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { CatalogueJob, QueueName } from '@imprimatur/queue';
import { CatalogueProcessor } from './catalogue.processor';

@Processor('system', { concurrency: 4 })
export class SystemProcessor extends CatalogueProcessor {
  static override readonly queue: QueueName = 'system';
  static override readonly handles = ['system.ping'] as const;

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
