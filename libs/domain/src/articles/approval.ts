import type { ArticleState } from './workflow';

export const CHECK_NAMES = ['citations', 'links', 'staleness', 'readability', 'consistency', 'evidence'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];
export const CHECK_STATUSES = ['pending', 'passed', 'warning', 'failed'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];
export type CheckSummary = Record<CheckName, CheckStatus>;

/** Every check pending: what a revision shows before any result is stored. */
export const pendingChecks = (): CheckSummary =>
  Object.fromEntries(CHECK_NAMES.map((name) => [name, 'pending'])) as CheckSummary;

/**
 * Checks whose result gates approval; a warning is shown to reviewers but does not block. Reference
 * age and reading level are advice to reviewers (contract §6, §13): never a gate. `evidence` fails
 * only on a retracted paper (contract §16), and is pending until the registries have been asked.
 */
export const GATING_CHECKS: readonly CheckName[] = ['citations', 'links', 'consistency', 'evidence'];

export type SignoffDecision = 'approve' | 'request_changes';

export interface SignoffFact {
  reviewerId: string;
  revision: number;
  decision: SignoffDecision;
}

export interface ApprovalFacts {
  state: ArticleState;
  currentRevision: number;
  assignedReviewerIds: readonly string[];
  /** Reviewers who wrote a revision of the article or declared a conflict. */
  conflictedIds: readonly string[];
  /** The standing (not replaced, not dismissed) sign-offs. */
  signoffs: readonly SignoffFact[];
  openBlockingComments: number;
  checks: CheckSummary;
  /**
   * The current revision's class against the live one (contract §15), and whether the article is
   * live: an editorial fix of a live article needs only `editorialSignoffs` approvals.
   */
  changeClass?: 'clinical' | 'editorial' | null;
  live?: boolean;
}

export interface ApprovalPolicy {
  requiredSignoffs: number;
  /** EDITORIAL_SIGNOFFS; absent: editorial revisions need the full quorum too. */
  editorialSignoffs?: number;
}

/** The approvals a revision needs: the full quorum, unless it is an editorial change to a live article. */
export function requiredApprovals(facts: Pick<ApprovalFacts, 'changeClass' | 'live'>, policy: ApprovalPolicy): number {
  const editorialFix = facts.live === true && facts.changeClass === 'editorial';
  return editorialFix && policy.editorialSignoffs !== undefined ? policy.editorialSignoffs : policy.requiredSignoffs;
}

export type ApprovalBlocker =
  | { reason: 'not_under_review'; state: ArticleState }
  | { reason: 'quorum'; approvals: number; required: number }
  | { reason: 'changes_requested'; reviewerIds: string[] }
  | { reason: 'blocking_comments'; count: number }
  | { reason: 'check'; check: CheckName; status: CheckStatus };

export interface ApprovalVerdict {
  approved: boolean;
  /** Distinct assigned, unconflicted reviewers approving the current revision. */
  approvers: string[];
  blockers: ApprovalBlocker[];
}

/**
 * The approval rule (contract §5, §15): the article is approved when it is under review, at least
 * `requiredSignoffs` distinct assigned reviewers without a conflict approve the current revision (an
 * editorial change to a live article: `editorialSignoffs`; unknown or clinical: the full quorum),
 * no blocking comment is open, and every gating check has passed (or passed with warnings).
 */
export function evaluateApproval(facts: ApprovalFacts, policy: ApprovalPolicy): ApprovalVerdict {
  const blockers: ApprovalBlocker[] = [];
  if (facts.state !== 'under_review') blockers.push({ reason: 'not_under_review', state: facts.state });

  const eligible = new Set(facts.assignedReviewerIds.filter((id) => !facts.conflictedIds.includes(id)));
  const current = facts.signoffs.filter((s) => s.revision === facts.currentRevision && eligible.has(s.reviewerId));
  const approvers = [...new Set(current.filter((s) => s.decision === 'approve').map((s) => s.reviewerId))].sort();
  const objectors = [
    ...new Set(current.filter((s) => s.decision === 'request_changes').map((s) => s.reviewerId)),
  ].sort();

  const required = requiredApprovals(facts, policy);
  if (approvers.length < required) blockers.push({ reason: 'quorum', approvals: approvers.length, required });
  // A standing request for changes on this revision outweighs any number of approvals.
  if (objectors.length > 0) blockers.push({ reason: 'changes_requested', reviewerIds: objectors });
  if (facts.openBlockingComments > 0) blockers.push({ reason: 'blocking_comments', count: facts.openBlockingComments });
  for (const check of GATING_CHECKS) {
    const status = facts.checks[check];
    if (status !== 'passed' && status !== 'warning') blockers.push({ reason: 'check', check, status });
  }
  return { approved: blockers.length === 0, approvers, blockers };
}
