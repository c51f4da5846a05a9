import { assignmentDueAt, orderTasks, Task } from './tasks';

const at = (iso: string) => new Date(iso);
const task = (over: Partial<Omit<Task, 'overdue'>>): Omit<Task, 'overdue'> => ({
  kind: 'review',
  articleId: 'a',
  title: 'Can leiomyosarcoma be treated?',
  revision: 1,
  dueAt: null,
  since: at('2026-12-01T00:00:00Z'),
  ...over,
});

describe('assignmentDueAt', () => {
  const assignedAt = at('2026-12-01T09:00:00Z');

  it('is the date the admin set, whatever the clock says', () => {
    const set = at('2027-01-15T17:00:00Z');
    expect(assignmentDueAt({ dueAt: set, assignedAt }, at('2026-12-05T00:00:00Z'), 7)).toEqual(set);
  });

  it('is REVIEW_SLA_DAYS after the later of assignment and submission', () => {
    expect(assignmentDueAt({ dueAt: null, assignedAt }, at('2026-11-20T00:00:00Z'), 7)).toEqual(
      at('2026-12-08T09:00:00Z'),
    );
    expect(assignmentDueAt({ dueAt: null, assignedAt }, at('2026-12-03T12:00:00Z'), 7)).toEqual(
      at('2026-12-10T12:00:00Z'),
    );
  });

  it('has no date while the article was never submitted', () => {
    expect(assignmentDueAt({ dueAt: null, assignedAt }, null, 7)).toBeNull();
  });
});

describe('orderTasks', () => {
  const now = at('2026-12-10T00:00:00Z');

  it('puts overdue tasks first, then the earliest due, then undated by how long they have waited', () => {
    const ordered = orderTasks(
      [
        task({ articleId: 'undated-new', since: at('2026-12-09T00:00:00Z') }),
        task({ articleId: 'due-later', dueAt: at('2026-12-20T00:00:00Z') }),
        task({ articleId: 'overdue-recent', dueAt: at('2026-12-09T00:00:00Z') }),
        task({ articleId: 'undated-old', since: at('2026-11-01T00:00:00Z') }),
        task({ articleId: 'overdue-long', dueAt: at('2026-12-01T00:00:00Z') }),
        task({ articleId: 'due-soon', dueAt: at('2026-12-11T00:00:00Z') }),
      ],
      now,
    );
    expect(ordered.map((t) => [t.articleId, t.overdue])).toEqual([
      ['overdue-long', true],
      ['overdue-recent', true],
      ['due-soon', false],
      ['due-later', false],
      ['undated-old', false],
      ['undated-new', false],
    ]);
  });

  it('is not overdue at the very moment it is due, and breaks ties by article so the order is stable', () => {
    const [first, second] = orderTasks(
      [task({ articleId: 'b', dueAt: now }), task({ articleId: 'a', dueAt: now })],
      now,
    );
    expect([first.articleId, first.overdue, second.articleId]).toEqual(['a', false, 'b']);
  });

  it('leaves the input as it was', () => {
    const input = [task({ articleId: 'b' }), task({ articleId: 'a' })];
    orderTasks(input, now);
    expect(input.map((t) => t.articleId)).toEqual(['b', 'a']);
  });
});
