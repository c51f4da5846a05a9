import { EvidenceCheckService, LinksCheckService } from '@imprimatur/checks';
import { CatalogueProcessor, CatalogueQueue, Handlers } from './catalogue.processor';

const QUEUE = 'checks';

@CatalogueQueue(QUEUE, { concurrency: 4 })
export class ChecksProcessor extends CatalogueProcessor<typeof QUEUE> {
  constructor(
    private readonly links: LinksCheckService,
    private readonly evidence: EvidenceCheckService,
  ) {
    super();
  }

  readonly handlers: Handlers<typeof QUEUE> = {
    'checks.links': async ({ articleId, revision, fresh }) => {
      const outcome = await this.links.run(articleId, revision, { fresh });
      return outcome ? { status: outcome.status, links: outcome.links.length } : { skipped: true };
    },
    'checks.evidence': async ({ articleId, revision, fresh }) => {
      const outcome = await this.evidence.run(articleId, revision, { fresh });
      return outcome
        ? { status: outcome.status, references: outcome.references.length, alerts: outcome.alerts }
        : { skipped: true };
    },
  };
}
