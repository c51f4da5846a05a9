import { Processor } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { LinksCheckService } from '@imprimatur/checks';
import { AnyCatalogueJob, QueueName } from '@imprimatur/queue';
import { CatalogueProcessor } from './catalogue.processor';

@Processor('checks', { concurrency: 4 })
export class ChecksProcessor extends CatalogueProcessor {
  static override readonly queue: QueueName = 'checks';
  static override readonly handles = ['checks.links'] as const;

  constructor(private readonly links: LinksCheckService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const catalogued = job as unknown as AnyCatalogueJob;
    if (catalogued.name !== 'checks.links') throw new UnrecoverableError(`no handler for job ${job.name}`);
    const { articleId, revision, fresh } = catalogued.data;
    const outcome = await this.links.run(articleId, revision, { fresh });
    return outcome ? { status: outcome.status, links: outcome.links.length } : { skipped: true };
  }
}
