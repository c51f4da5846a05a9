import { DomainError } from '../errors';
import type { Role } from '../users/roles';

export const ARTICLE_STATES = [
  'draft',
  'submitted',
  'under_review',
  'changes_requested',
  'approved',
  'archived',
] as const;
export type ArticleState = (typeof ARTICLE_STATES)[number];

/**
 * Who may take an action, beyond holding a role:
 * - `any`: any holder of the roles;
 * - `assigned`: an assigned reviewer of the article (and not in conflict);
 * - `assignee`: an assigned reviewer, in conflict or not (to declare one);
 * - `participant`: one of the article's editors (authors of its revisions), assigned reviewers or an admin;
 * - `system`: nobody directly; the approval rule takes it.
 */
export type Actor = 'any' | 'assigned' | 'assignee' | 'participant' | 'system';

export interface WorkflowRule {
  roles: readonly Role[];
  actor: Actor;
  from: readonly ArticleState[];
  /** The state after the action; `null` leaves the state as it is. */
  to: ArticleState | null | ((from: ArticleState) => ArticleState | null);
}

const ALL_BUT_ARCHIVED = ARTICLE_STATES.filter((s) => s !== 'archived');

/**
 * The whole workflow (contract §5): one declarative table of actions × states × roles × actors, which
 * `ArticleActions.take` (libs/workflow) enforces for every action. Two admin actions are outside it
 * because they do not act on the workflow state: `unpublish` takes the live version down whatever the
 * state (it needs a published version, not a state), and re-running checks changes no state.
 */
export const WORKFLOW = {
  submit: { roles: ['editor'], actor: 'any', from: ['draft'], to: 'submitted' },
  start_review: { roles: ['reviewer'], actor: 'assigned', from: ['submitted'], to: 'under_review' },
  withdraw: { roles: ['editor'], actor: 'any', from: ['submitted', 'under_review'], to: 'draft' },
  approve_signoff: { roles: ['reviewer'], actor: 'assigned', from: ['under_review'], to: null },
  request_changes: { roles: ['reviewer'], actor: 'assigned', from: ['under_review'], to: 'changes_requested' },
  approve: { roles: [], actor: 'system', from: ['under_review'], to: 'approved' },
  // An approval not yet published falls back when the rule stops holding (a signer became ineligible).
  withdraw_approval: { roles: [], actor: 'system', from: ['approved'], to: 'under_review' },
  // Periodic review (contract §17): the live revision goes back to the board as it is.
  re_review: { roles: ['admin'], actor: 'any', from: ['approved'], to: 'under_review' },
  archive: { roles: ['admin'], actor: 'any', from: ALL_BUT_ARCHIVED, to: 'archived' },
  revise: {
    roles: ['editor'],
    actor: 'any',
    from: ALL_BUT_ARCHIVED,
    to: (from) => (from === 'changes_requested' || from === 'approved' ? 'draft' : null),
  },
  assign_reviewers: { roles: ['admin'], actor: 'any', from: ALL_BUT_ARCHIVED, to: null },
  declare_conflict: { roles: ['reviewer'], actor: 'assignee', from: ALL_BUT_ARCHIVED, to: null },
  comment: { roles: ['editor', 'reviewer', 'admin'], actor: 'participant', from: ALL_BUT_ARCHIVED, to: null },
  resolve_comment: { roles: ['editor', 'reviewer', 'admin'], actor: 'participant', from: ALL_BUT_ARCHIVED, to: null },
} as const satisfies Record<string, WorkflowRule>;

export type WorkflowAction = keyof typeof WORKFLOW;
export const WORKFLOW_ACTIONS = Object.keys(WORKFLOW) as WorkflowAction[];

/** Actions a person could take from a state (the approval rule's own `approve` is not one). */
export function allowedActions(state: ArticleState): WorkflowAction[] {
  return WORKFLOW_ACTIONS.filter((action) => {
    const rule: WorkflowRule = WORKFLOW[action];
    return rule.actor !== 'system' && rule.from.includes(state);
  });
}

/** Whether the roles of `roles` include one the action names (a system action names none). */
export const hasRoleFor = (action: WorkflowAction, roles: readonly Role[]): boolean =>
  (WORKFLOW[action].roles as readonly Role[]).some((role) => roles.includes(role));

export function canTake(action: WorkflowAction, state: ArticleState): boolean {
  const rule: WorkflowRule = WORKFLOW[action];
  return rule.from.includes(state);
}

/**
 * The state after `action` from `from`, or a 409 `invalid_transition` naming the state and the
 * actions it allows.
 */
export function transition(action: WorkflowAction, from: ArticleState): ArticleState {
  const rule: WorkflowRule = WORKFLOW[action];
  if (!rule.from.includes(from)) {
    throw new DomainError(
      'invalid_transition',
      `Cannot ${action.replace(/_/g, ' ')} an article that is ${from.replace(/_/g, ' ')}`,
      {
        from,
        action,
        allowed: allowedActions(from),
      },
    );
  }
  const to = typeof rule.to === 'function' ? rule.to(from) : rule.to;
  return to ?? from;
}

export const isArticleState = (value: unknown): value is ArticleState =>
  typeof value === 'string' && (ARTICLE_STATES as readonly string[]).includes(value);
