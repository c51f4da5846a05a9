import { DelayedError } from 'bullmq';
import { CHECK_JOBS_AT_ONCE, EvidenceCheckService, LinksCheckService } from '@imprimatur/checks';
import { HostWaitAbandonedError } from '@imprimatur/outbound';
import { CatalogueProcessor, CatalogueQueue, Handlers, JobRun } from './catalogue.processor';

const QUEUE = 'checks';

@CatalogueQueue(QUEUE, { concurrency: CHECK_JOBS_AT_ONCE })
export class ChecksProcessor extends CatalogueProcessor<typeof QUEUE> {
  constructor(
    private readonly links: LinksCheckService,
    private readonly evidence: EvidenceCheckService,
  ) {
    super();
  }

  readonly handlers: Handlers<typeof QUEUE> = {
    'checks.links': ({ articleId, revision, fresh }, run) =>
      handBackIfStopping(run, async () => {
        const outcome = await this.links.run(articleId, revision, { fresh });
        return outcome ? { status: outcome.status, links: outcome.links.length } : { skipped: true };
      }),
    'checks.evidence': ({ articleId, revision, fresh }, run) =>
      handBackIfStopping(run, async () => {
        const outcome = await this.evidence.run(articleId, revision, { fresh });
        return outcome
          ? { status: outcome.status, references: outcome.references.length, alerts: outcome.alerts }
          : { skipped: true };
      }),
  };
}

/**
 * A check that was still waiting for host slots when this worker began to stop goes back to the
 * queue at once, without spending an attempt: most of its jobs only wait (CHECK_JOBS_AT_ONCE), and
 * the drain must not wait for them. What it fetched already is in the shared cache for the next run.
 */
async function handBackIfStopping<T>({ job, token }: JobRun, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof HostWaitAbandonedError)) throw error;
    await job.moveToDelayed(Date.now(), token);
    throw new DelayedError();
  }
}
