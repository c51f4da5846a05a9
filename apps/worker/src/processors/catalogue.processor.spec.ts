import { DelayedError, Job, RateLimitError, UnrecoverableError, WaitingChildrenError } from 'bullmq';
import { isFinalFailure } from './catalogue.processor';

const job = (attemptsMade: number, attempts?: number) => ({ attemptsMade, opts: { attempts } }) as unknown as Job;

describe('isFinalFailure (when an outbox row is done with)', () => {
  it('is final on the last attempt, not before', () => {
    expect(isFinalFailure(job(0, 3), new Error('boom'))).toBe(false);
    expect(isFinalFailure(job(1, 3), new Error('boom'))).toBe(false);
    expect(isFinalFailure(job(2, 3), new Error('boom'))).toBe(true);
  });

  it('treats a job without attempts as one attempt', () => {
    expect(isFinalFailure(job(0), new Error('boom'))).toBe(true);
  });

  it('is final at once for an unrecoverable error', () => {
    expect(isFinalFailure(job(0, 5), new UnrecoverableError('no handler'))).toBe(true);
  });

  it('never counts a rescheduling as a failure', () => {
    for (const error of [new DelayedError(), new WaitingChildrenError(), new RateLimitError()])
      expect(isFinalFailure(job(9, 10), error)).toBe(false);
  });
});
