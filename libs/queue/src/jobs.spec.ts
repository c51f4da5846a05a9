import { JOB_NAMES, outboxJobId, wiringProblems } from './jobs';

describe('job catalogue wiring', () => {
  it('accepts one handler per job on its own queue', () => {
    expect(wiringProblems([{ queue: 'system', names: JOB_NAMES }])).toEqual([]);
  });

  it('refuses a job with no handler', () => {
    expect(wiringProblems([])).toContain('job "system.ping" has no handler');
  });

  it('refuses a job with two handlers', () => {
    expect(wiringProblems([{ queue: 'system', names: ['system.ping'] }, { queue: 'system', names: ['system.ping'] }])).toEqual([
      'job "system.ping" has 2 handlers',
    ]);
  });

  it('refuses handlers for unknown jobs', () => {
    expect(wiringProblems([{ queue: 'system', names: ['system.ping', 'system.pong'] }])).toEqual([
      'a handler on queue "system" names unknown job "system.pong"',
    ]);
  });

  it('makes outbox job ids deterministic and free of ":" (BullMQ refuses it)', () => {
    expect(outboxJobId('42')).toBe('outbox-42');
    expect(outboxJobId('42')).not.toContain(':');
  });
});
