import { CatalogueProcessor, CatalogueQueue, Handlers } from './catalogue.processor';

const QUEUE = 'system';

@CatalogueQueue(QUEUE, { concurrency: 4 })
export class SystemProcessor extends CatalogueProcessor<typeof QUEUE> {
  readonly handlers: Handlers<typeof QUEUE> = {
    'system.ping': async ({ requestedAt }, { job }) => {
      this.logger.log({ jobId: job.id, requestedAt }, 'ping');
      return { pong: true, requestedAt };
    },
  };
}
