import { JOB_NAMES, JOB_QUEUES, outboxIdOfJob, outboxJobId, unservedJobs, wiringProblems } from './jobs';

describe('job catalogue wiring', () => {
  const all = (['system', 'checks', 'maintenance', 'publishing', 'webhooks', 'audit', 'mail'] as const).map(
    (queue) => ({
      queue,
      names: JOB_NAMES.filter((n) => JOB_QUEUES[n] === queue),
    }),
  );

  it('accepts one handler per job on its own queue', () => {
    expect(wiringProblems(all)).toEqual([]);
    expect(unservedJobs(all)).toEqual([]);
  });

  it('refuses a served queue with a job that has no handler', () => {
    expect(wiringProblems([{ queue: 'system', names: [] }])).toEqual(['job "system.ping" has no handler']);
  });

  it('leaves jobs of unserved queues waiting instead of refusing to start', () => {
    const registrations = [{ queue: 'system' as const, names: ['system.ping'] }];
    expect(wiringProblems(registrations)).toEqual([]);
    expect(unservedJobs(registrations)).toEqual([
      'checks.links',
      'checks.evidence',
      'articles.review_due_scan',
      'articles.recheck_published_links',
      'articles.recheck_published_evidence',
      'maintenance.prune',
      'article.approved',
      'article.published',
      'article.unpublished',
      'article.review_due',
      'article.evidence_alert',
      'webhooks.deliver',
      'audit.digest',
      'notifications.email',
      'notifications.digest',
      'reviews.overdue_scan',
    ]);
  });

  it('puts notification emails and the digest on the mail queue, and the overdue scan with the other sweeps', () => {
    expect(JOB_NAMES.filter((n) => JOB_QUEUES[n] === 'mail')).toEqual(['notifications.email', 'notifications.digest']);
    expect(JOB_QUEUES['reviews.overdue_scan']).toBe('maintenance');
  });

  it('refuses a job with two handlers', () => {
    expect(
      wiringProblems([
        { queue: 'system', names: ['system.ping'] },
        { queue: 'system', names: ['system.ping'] },
      ]),
    ).toEqual(['job "system.ping" has 2 handlers']);
  });

  it('refuses handlers for unknown jobs and for jobs of another queue', () => {
    expect(wiringProblems([{ queue: 'system', names: ['system.ping', 'system.pong'] }])).toEqual([
      'a handler on queue "system" names unknown job "system.pong"',
    ]);
    expect(wiringProblems([{ queue: 'system', names: ['system.ping', 'article.approved'] }])).toContain(
      'job "article.approved" belongs to queue "publishing", not "system"',
    );
  });

  it('makes outbox job ids deterministic and free of ":" (BullMQ refuses it)', () => {
    expect(outboxJobId('42')).toBe('outbox-42');
    expect(outboxJobId('42')).not.toContain(':');
    expect(outboxIdOfJob(outboxJobId('42'))).toBe('42');
    expect(outboxIdOfJob('repeat:review-due-scan:1')).toBeNull();
    expect(outboxIdOfJob(undefined)).toBeNull();
  });
});
