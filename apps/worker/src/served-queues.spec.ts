import { JOB_NAMES, QUEUE_NAMES, QueueName, unservedJobs, wiringProblems } from '@imprimatur/queue';
import { CatalogueProcessor } from './processors/catalogue.processor';
import { PROCESSORS, registrationsOf, SERVED_QUEUES } from './served-queues';

/** The processors as the worker builds them, minus their services: their handler maps are all the check reads. */
const built: CatalogueProcessor<QueueName>[] = PROCESSORS.map(
  (Processor) => Reflect.construct(Processor, []) as CatalogueProcessor<QueueName>,
);
const REGISTRATIONS = registrationsOf(built);

describe("this build's worker wiring", () => {
  it('has exactly one handler for every job of every queue it serves', () => {
    expect(wiringProblems(REGISTRATIONS)).toEqual([]);
  });

  it('serves every queue of the catalogue, so no job waits in the outbox for a processor', () => {
    expect([...SERVED_QUEUES].sort()).toEqual([...QUEUE_NAMES].sort());
    expect(unservedJobs(REGISTRATIONS)).toEqual([]);
    expect(REGISTRATIONS.flatMap((r) => r.names).sort()).toEqual([...JOB_NAMES].sort());
  });

  it('fans webhook events out and delivers them on the webhooks queue', () => {
    expect(REGISTRATIONS.filter((r) => r.queue === 'webhooks').flatMap((r) => r.names)).toEqual([
      'article.published',
      'article.unpublished',
      'article.review_due',
      'article.evidence_alert',
      'webhooks.deliver',
    ]);
  });

  it('mails notifications and digests on the mail queue, and scans for overdue reviews with the other sweeps', () => {
    expect(REGISTRATIONS.filter((r) => r.queue === 'mail').flatMap((r) => r.names)).toEqual([
      'notifications.email',
      'notifications.digest',
    ]);
    expect(REGISTRATIONS.find((r) => r.queue === 'maintenance')?.names).toContain('reviews.overdue_scan');
  });

  it('answers a job its queue does not know with an unrecoverable error, not a retry', async () => {
    const [system] = built;
    await expect(system.process({ name: 'checks.links', data: {} } as never)).rejects.toThrow(
      'no handler for job checks.links on this queue',
    );
  });
});
