import { outboxJobId } from '@imprimatur/queue';
import { outboxIdOfJob } from './job-ref';

describe('outbox id of a job', () => {
  it('reads back what the relay wrote', () => {
    expect(outboxIdOfJob(outboxJobId('42'))).toBe('42');
    expect(outboxIdOfJob('outbox-9007199254740993')).toBe('9007199254740993');
  });

  it('is null for a job that did not come from the outbox', () => {
    for (const id of [
      undefined,
      '',
      '42',
      'outbox-',
      'outbox-x1',
      'outbox-1-2',
      'repeat:outbox-1',
      'outbox-12345678901234567890',
    ]) {
      expect(outboxIdOfJob(id)).toBeNull();
    }
  });
});
