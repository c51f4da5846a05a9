import { ApprovalFacts, evaluateApproval, pendingChecks, requiredApprovals } from './approval';

const A = 'reviewer-a';
const B = 'reviewer-b';
const C = 'reviewer-c';

const ready = (): ApprovalFacts => ({
  state: 'under_review',
  currentRevision: 3,
  assignedReviewerIds: [A, B, C],
  conflictedIds: [],
  signoffs: [
    { reviewerId: A, revision: 3, decision: 'approve' },
    { reviewerId: B, revision: 3, decision: 'approve' },
  ],
  openBlockingComments: 0,
  checks: {
    citations: 'passed',
    links: 'passed',
    staleness: 'pending',
    readability: 'pending',
    consistency: 'passed',
    evidence: 'passed',
  },
});
const policy = { requiredSignoffs: 2 };

describe('approval rule', () => {
  it('approves when every condition holds, naming the approvers', () => {
    expect(evaluateApproval(ready(), policy)).toEqual({ approved: true, approvers: [A, B], blockers: [] });
  });

  it('accepts warnings on the gating checks and ignores staleness and readability', () => {
    const checks = {
      citations: 'warning',
      links: 'warning',
      staleness: 'failed',
      readability: 'failed',
      consistency: 'warning',
      evidence: 'warning',
    } as const;
    expect(evaluateApproval({ ...ready(), checks }, policy).approved).toBe(true);
  });

  it.each(['pending', 'failed'] as const)(
    'is blocked while evidence is %s (a retracted paper, or not looked up yet)',
    (evidence) => {
      const verdict = evaluateApproval({ ...ready(), checks: { ...ready().checks, evidence } }, policy);
      expect(verdict.approved).toBe(false);
      expect(verdict.blockers).toEqual([{ reason: 'check', check: 'evidence', status: evidence }]);
    },
  );

  it.each(['pending', 'warning'] as const)('is not blocked when readability is %s', (readability) => {
    expect(evaluateApproval({ ...ready(), checks: { ...ready().checks, readability } }, policy).approved).toBe(true);
  });

  it.each(['draft', 'submitted', 'changes_requested', 'approved', 'archived'] as const)(
    'is blocked when the article is %s',
    (state) => {
      expect(evaluateApproval({ ...ready(), state }, policy)).toMatchObject({
        approved: false,
        blockers: [{ reason: 'not_under_review', state }],
      });
    },
  );

  it('is blocked below quorum', () => {
    const facts = { ...ready(), signoffs: [{ reviewerId: A, revision: 3, decision: 'approve' as const }] };
    expect(evaluateApproval(facts, policy)).toMatchObject({
      approved: false,
      blockers: [{ reason: 'quorum', approvals: 1, required: 2 }],
    });
  });

  it('counts distinct reviewers only', () => {
    const facts = {
      ...ready(),
      signoffs: [
        { reviewerId: A, revision: 3, decision: 'approve' as const },
        { reviewerId: A, revision: 3, decision: 'approve' as const },
      ],
    };
    expect(evaluateApproval(facts, policy).approved).toBe(false);
  });

  it('ignores sign-offs on other revisions', () => {
    const facts = {
      ...ready(),
      signoffs: [
        { reviewerId: A, revision: 3, decision: 'approve' as const },
        { reviewerId: B, revision: 2, decision: 'approve' as const },
      ],
    };
    expect(evaluateApproval(facts, policy)).toMatchObject({
      approved: false,
      blockers: [{ reason: 'quorum', approvals: 1 }],
    });
  });

  it('ignores sign-offs of reviewers no longer assigned', () => {
    expect(evaluateApproval({ ...ready(), assignedReviewerIds: [A, C] }, policy).approved).toBe(false);
  });

  it('ignores sign-offs of reviewers in conflict', () => {
    expect(evaluateApproval({ ...ready(), conflictedIds: [B] }, policy)).toMatchObject({
      approved: false,
      approvers: [A],
    });
  });

  it('is blocked by a standing request for changes on the current revision', () => {
    const facts = {
      ...ready(),
      signoffs: [...ready().signoffs, { reviewerId: C, revision: 3, decision: 'request_changes' as const }],
    };
    expect(evaluateApproval(facts, policy)).toMatchObject({
      approved: false,
      blockers: [{ reason: 'changes_requested', reviewerIds: [C] }],
    });
  });

  it('is blocked by one open blocking comment', () => {
    expect(evaluateApproval({ ...ready(), openBlockingComments: 1 }, policy)).toMatchObject({
      approved: false,
      blockers: [{ reason: 'blocking_comments', count: 1 }],
    });
  });

  it.each([
    ['citations', 'pending'],
    ['citations', 'failed'],
    ['links', 'pending'],
    ['links', 'failed'],
    ['consistency', 'pending'],
    ['consistency', 'failed'],
  ] as const)('is blocked when %s is %s', (check, status) => {
    const facts = { ...ready(), checks: { ...ready().checks, [check]: status } };
    expect(evaluateApproval(facts, policy)).toMatchObject({
      approved: false,
      blockers: [{ reason: 'check', check, status }],
    });
  });

  it('names every gating check that blocks', () => {
    const checks = { ...ready().checks, citations: 'failed', consistency: 'failed' } as const;
    expect(evaluateApproval({ ...ready(), checks }, policy).blockers).toEqual([
      { reason: 'check', check: 'citations', status: 'failed' },
      { reason: 'check', check: 'consistency', status: 'failed' },
    ]);
  });

  it('starts every check pending', () => {
    expect(pendingChecks()).toEqual({
      citations: 'pending',
      links: 'pending',
      staleness: 'pending',
      readability: 'pending',
      consistency: 'pending',
      evidence: 'pending',
    });
  });

  it('follows the quorum of the policy', () => {
    expect(evaluateApproval(ready(), { requiredSignoffs: 3 }).approved).toBe(false);
    expect(evaluateApproval(ready(), { requiredSignoffs: 1 }).approved).toBe(true);
  });
});

describe('approval rule with change significance (contract §15)', () => {
  const oneApproval = (): ApprovalFacts => ({
    ...ready(),
    signoffs: [{ reviewerId: A, revision: 3, decision: 'approve' }],
  });
  const policy = { requiredSignoffs: 2, editorialSignoffs: 1 };

  it('lets one approval carry an editorial revision of a live article', () => {
    const verdict = evaluateApproval({ ...oneApproval(), changeClass: 'editorial', live: true }, policy);
    expect(verdict).toMatchObject({ approved: true, approvers: [A] });
  });

  it('needs the full quorum for a clinical revision of a live article', () => {
    const verdict = evaluateApproval({ ...oneApproval(), changeClass: 'clinical', live: true }, policy);
    expect(verdict.approved).toBe(false);
    expect(verdict.blockers).toContainEqual({ reason: 'quorum', approvals: 1, required: 2 });
  });

  it('needs the full quorum for an editorial revision of an article that is not live', () => {
    expect(evaluateApproval({ ...oneApproval(), changeClass: 'editorial', live: false }, policy).approved).toBe(false);
  });

  it('needs the full quorum when the class is unknown (the first revision, or from before classes)', () => {
    expect(evaluateApproval({ ...oneApproval(), changeClass: null, live: true }, policy).approved).toBe(false);
    expect(evaluateApproval({ ...oneApproval(), live: true }, policy).approved).toBe(false);
  });

  it('answers how many approvals a revision needs', () => {
    expect(requiredApprovals({ changeClass: 'editorial', live: true }, policy)).toBe(1);
    expect(requiredApprovals({ changeClass: 'editorial', live: true }, { requiredSignoffs: 3 })).toBe(3);
    expect(requiredApprovals({ changeClass: 'clinical', live: true }, policy)).toBe(2);
  });
});
