/**
 * What waits on someone (contract §17 `GET /me/tasks`): a review to give, a revision to write, a live
 * article to review again, reviewers to assign. Pure: the order and the clock are decided here.
 */
export const TASK_KINDS = ['review', 'revise', 're_review', 'assign'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export interface Task {
  kind: TaskKind;
  articleId: string;
  title: string;
  revision: number;
  /** When it should be done; null when nothing sets a date (an editor's revision, an admin's assignment). */
  dueAt: Date | null;
  overdue: boolean;
  /** Since when it has been waiting. */
  since: Date;
}

const DAY_MS = 24 * 3_600_000;

/**
 * An assignment's due date: the one the admin set, else REVIEW_SLA_DAYS after the later of the
 * assignment and the article's (latest) submission; null while the article was never submitted.
 */
export function assignmentDueAt(
  assignment: { dueAt: Date | null; assignedAt: Date },
  submittedAt: Date | null,
  slaDays: number,
): Date | null {
  if (assignment.dueAt) return assignment.dueAt;
  if (!submittedAt) return null;
  const start = Math.max(assignment.assignedAt.getTime(), submittedAt.getTime());
  return new Date(start + slaDays * DAY_MS);
}

/**
 * Most urgent first: overdue before not, then the earliest due date (undated after dated), then the
 * longest waiting; the article id settles ties so the order is stable between requests.
 */
export function orderTasks(tasks: readonly Omit<Task, 'overdue'>[], now: Date): Task[] {
  const withOverdue = tasks.map((t) => ({ ...t, overdue: t.dueAt !== null && t.dueAt.getTime() < now.getTime() }));
  return withOverdue.sort((a, b) => {
    if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
    const dueA = a.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
    const dueB = b.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
    if (dueA !== dueB) return dueA - dueB;
    if (a.since.getTime() !== b.since.getTime()) return a.since.getTime() - b.since.getTime();
    return a.articleId < b.articleId ? -1 : a.articleId > b.articleId ? 1 : a.kind < b.kind ? -1 : 1;
  });
}
