import { DomainError } from '../errors';
import {
  allowedActions,
  ARTICLE_STATES,
  ArticleState,
  hasRoleFor,
  transition,
  WORKFLOW,
  WORKFLOW_ACTIONS,
  WorkflowAction,
  WorkflowRule,
} from './workflow';

/**
 * The expected outcome of every action from every state, written out in full so that a change to
 * the table shows up here as a deliberate edit. `409` means invalid_transition.
 */
const EXPECTED: Record<WorkflowAction, Record<ArticleState, ArticleState | 409>> = {
  submit: {
    draft: 'submitted',
    submitted: 409,
    under_review: 409,
    changes_requested: 409,
    approved: 409,
    archived: 409,
  },
  re_review: {
    draft: 409,
    submitted: 409,
    under_review: 409,
    changes_requested: 409,
    approved: 'under_review',
    archived: 409,
  },
  start_review: {
    draft: 409,
    submitted: 'under_review',
    under_review: 409,
    changes_requested: 409,
    approved: 409,
    archived: 409,
  },
  withdraw: {
    draft: 409,
    submitted: 'draft',
    under_review: 'draft',
    changes_requested: 409,
    approved: 409,
    archived: 409,
  },
  approve_signoff: {
    draft: 409,
    submitted: 409,
    under_review: 'under_review',
    changes_requested: 409,
    approved: 409,
    archived: 409,
  },
  request_changes: {
    draft: 409,
    submitted: 409,
    under_review: 'changes_requested',
    changes_requested: 409,
    approved: 409,
    archived: 409,
  },
  approve: {
    draft: 409,
    submitted: 409,
    under_review: 'approved',
    changes_requested: 409,
    approved: 409,
    archived: 409,
  },
  withdraw_approval: {
    draft: 409,
    submitted: 409,
    under_review: 409,
    changes_requested: 409,
    approved: 'under_review',
    archived: 409,
  },
  archive: {
    draft: 'archived',
    submitted: 'archived',
    under_review: 'archived',
    changes_requested: 'archived',
    approved: 'archived',
    archived: 409,
  },
  revise: {
    draft: 'draft',
    submitted: 'submitted',
    under_review: 'under_review',
    changes_requested: 'draft',
    approved: 'draft',
    archived: 409,
  },
  assign_reviewers: {
    draft: 'draft',
    submitted: 'submitted',
    under_review: 'under_review',
    changes_requested: 'changes_requested',
    approved: 'approved',
    archived: 409,
  },
  declare_conflict: {
    draft: 'draft',
    submitted: 'submitted',
    under_review: 'under_review',
    changes_requested: 'changes_requested',
    approved: 'approved',
    archived: 409,
  },
  comment: {
    draft: 'draft',
    submitted: 'submitted',
    under_review: 'under_review',
    changes_requested: 'changes_requested',
    approved: 'approved',
    archived: 409,
  },
  resolve_comment: {
    draft: 'draft',
    submitted: 'submitted',
    under_review: 'under_review',
    changes_requested: 'changes_requested',
    approved: 'approved',
    archived: 409,
  },
};

describe('workflow state table', () => {
  it('covers exactly the actions of the table', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...WORKFLOW_ACTIONS].sort());
  });

  const cases = WORKFLOW_ACTIONS.flatMap((action) =>
    ARTICLE_STATES.map((state) => [action, state, EXPECTED[action][state]] as const),
  );

  it.each(cases)('%s from %s → %s', (action, state, expected) => {
    if (expected === 409) {
      let error: unknown;
      try {
        transition(action, state);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('invalid_transition');
      expect((error as DomainError).details).toEqual({ from: state, action, allowed: allowedActions(state) });
    } else {
      expect(transition(action, state)).toBe(expected);
    }
  });

  it('lists the allowed actions of each state, never the system-only approve', () => {
    expect(allowedActions('draft')).toEqual([
      'submit',
      'archive',
      'revise',
      'assign_reviewers',
      'declare_conflict',
      'comment',
      'resolve_comment',
    ]);
    expect(allowedActions('under_review')).toContain('approve_signoff');
    expect(allowedActions('under_review')).not.toContain('approve');
    expect(allowedActions('approved')).not.toContain('withdraw_approval');
    expect(allowedActions('archived')).toEqual([]);
  });

  it('names the roles of the contract: editors write, reviewers review, admins administer', () => {
    expect(WORKFLOW.submit.roles).toEqual(['editor']);
    expect(WORKFLOW.withdraw.roles).toEqual(['editor']);
    expect(WORKFLOW.revise.roles).toEqual(['editor']);
    expect(WORKFLOW.start_review).toMatchObject({ roles: ['reviewer'], actor: 'assigned' });
    expect(WORKFLOW.approve_signoff).toMatchObject({ roles: ['reviewer'], actor: 'assigned' });
    expect(WORKFLOW.request_changes).toMatchObject({ roles: ['reviewer'], actor: 'assigned' });
    expect(WORKFLOW.archive.roles).toEqual(['admin']);
    expect(WORKFLOW.assign_reviewers.roles).toEqual(['admin']);
    expect(WORKFLOW.approve.actor).toBe('system');
    expect(WORKFLOW.withdraw_approval.actor).toBe('system');
  });

  it('gives every action a who: actions for people name roles, system actions none', () => {
    for (const action of WORKFLOW_ACTIONS) {
      const rule: WorkflowRule = WORKFLOW[action];
      expect(rule.roles.length === 0).toBe(rule.actor === 'system');
    }
    expect(WORKFLOW.declare_conflict.actor).toBe('assignee');
  });

  it('checks roles against the table', () => {
    expect(hasRoleFor('submit', ['editor'])).toBe(true);
    expect(hasRoleFor('submit', ['reviewer', 'admin'])).toBe(false);
    expect(hasRoleFor('comment', ['reviewer'])).toBe(true);
    expect(hasRoleFor('approve', ['admin', 'editor', 'reviewer'])).toBe(false);
  });
});
