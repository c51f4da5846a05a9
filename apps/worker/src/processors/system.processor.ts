import { Processor } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { AnyCatalogueJob, QueueName } from '@imprimatur/queue';
import { CatalogueProcessor } from './catalogue.processor';

@Processor('system', { concurrency: 4 })
export class SystemProcessor extends CatalogueProcessor {
  static override readonly queue: QueueName = 'system';
  static override readonly handles = ['system.ping'] as const;

  async process(job: Job): Promise<unknown> {
    const catalogued = job as unknown as AnyCatalogueJob;
    if (catalogued.name !== 'system.ping') throw new UnrecoverableError(`no handler for job ${job.name}`);
    this.logger.log({ jobId: job.id, requestedAt: catalogued.data.requestedAt }, 'ping');
    return { pong: true, requestedAt: catalogued.data.requestedAt };
  }
}
