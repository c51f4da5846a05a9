import { JOB_NAMES, QUEUE_NAMES, unservedJobs, wiringProblems } from '@imprimatur/queue';
import { REGISTRATIONS, SERVED_QUEUES } from './served-queues';

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
      'webhooks.deliver',
    ]);
  });
});
