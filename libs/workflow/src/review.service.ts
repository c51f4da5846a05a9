import { Injectable } from '@nestjs/common';
import {
  ArticlesRepository,
  AuditRepository,
  ReviewersRepository,
  RevisionsRepository,
  SignoffsRepository,
  TransactionRunner,
  Tx,
  UsersRepository,
} from '@imprimatur/database';
import {
  ArticleRecord,
  DomainError,
  meaningOf,
  notFound,
  Principal,
  SignoffDecision,
  transition,
  validationFailed,
  WorkflowAction,
} from '@imprimatur/domain';
import { ArticleAccess } from './access';
import { ArticleActions, actorOf } from './actions';
import { ApprovalService } from './approval.service';
import { Notifications } from './notifications.service';
import { ReReviews } from './re-review.service';
import { ReviewStart } from './review-start';
import { RevisionChecks } from './checks.service';
import { ArticleView, ArticleViews, SignoffView, signoffView } from './views';

/** The workflow's transitions (contract §5); each is one transaction holding the article's row lock. */
@Injectable()
export class ReviewService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly articles: ArticlesRepository,
    private readonly revisions: RevisionsRepository,
    private readonly reviewers: ReviewersRepository,
    private readonly signoffs: SignoffsRepository,
    private readonly users: UsersRepository,
    private readonly access: ArticleAccess,
    private readonly actions: ArticleActions,
    private readonly approval: ApprovalService,
    private readonly checks: RevisionChecks,
    private readonly audit: AuditRepository,
    private readonly views: ArticleViews,
    private readonly notifications: Notifications,
    private readonly reReviews: ReReviews,
    private readonly reviewStart: ReviewStart,
  ) {}

  /** An admin opens the periodic review of a live article (contract §17). */
  reReview(user: Principal, id: string): Promise<ArticleView> {
    return this.change(id, async (article, tx) => {
      await this.actions.take(user, 're_review', article, tx);
      return this.reReviews.open(article, actorOf(user), 'admin', tx);
    });
  }

  /** `publishAt` undefined keeps the one set at an earlier submission; null clears it. */
  submit(user: Principal, id: string, requestedPublishAt: Date | null | undefined): Promise<ArticleView> {
    return this.change(id, (article, tx) => this.submitLocked(user, article, requestedPublishAt, tx));
  }

  /**
   * Submits the locked article in the caller's transaction (also "save and submit", contract §19).
   * An article that came back from changes_requested through a new revision goes straight to
   * under_review: its board had started, and nobody should have to start it again.
   */
  async submitLocked(
    user: Principal,
    article: ArticleRecord,
    requestedPublishAt: Date | null | undefined,
    tx: Tx,
  ): Promise<ArticleRecord> {
    const submitted = await this.actions.take(user, 'submit', article, tx);
    const to = article.reviewResumes ? transition('start_review', submitted) : submitted;
    const revision = await this.revisions.find(article.id, article.currentRevision, tx);
    if (!revision) throw notFound(`Revision ${article.currentRevision}`);
    const report = this.checks.citations(revision);
    const errors = report.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      throw new DomainError(
        'citation_errors',
        `Revision ${revision.number} has ${errors.length} citation error(s); fix them before submitting`,
        errors,
      );
    }
    const publishAt = requestedPublishAt === undefined ? article.publishAt : requestedPublishAt;
    // The reviewers' clock starts again (contract §17: due REVIEW_SLA_DAYS after the later of assignment and submission).
    const updated = await this.articles.update(
      article.id,
      { state: to, publishAt, submittedAt: new Date(), reviewResumes: false },
      tx,
    );
    await this.notifications.toReviewers(
      tx,
      { kind: 'review.revision_ready', article: updated, revision: article.currentRevision },
      user,
    );
    await this.record(
      user,
      'article.submitted',
      article,
      { from: article.state, to, revision: article.currentRevision, publishAt: publishAt?.toISOString() ?? null },
      tx,
    );
    return updated;
  }

  startReview(user: Principal, id: string): Promise<ArticleView> {
    return this.change(id, (article, tx) => this.move(user, 'start_review', 'review.started', article, tx));
  }

  withdraw(user: Principal, id: string): Promise<ArticleView> {
    return this.change(id, (article, tx) => this.move(user, 'withdraw', 'article.withdrawn', article, tx));
  }

  archive(user: Principal, id: string, reason: string): Promise<ArticleView> {
    return this.change(id, async (article, tx) => {
      const to = await this.actions.take(user, 'archive', article, tx);
      const updated = await this.articles.update(article.id, { state: to, archivedReason: reason }, tx);
      await this.record(user, 'article.archived', article, { from: article.state, to, reason }, tx);
      return updated;
    });
  }

  /**
   * Replaces the article's reviewers; only active reviewers without a conflict may be assigned. `dueAt`
   * sets the due date of every assignment (null: back to REVIEW_SLA_DAYS; undefined: as they were).
   */
  assignReviewers(user: Principal, id: string, requested: string[], dueAt?: Date | null): Promise<ArticleView> {
    return this.change(id, async (article, tx) => {
      await this.actions.take(user, 'assign_reviewers', article, tx);
      const reviewerIds = [...new Set(requested)].sort();
      const eligible = new Set(await this.users.activeReviewerIds(reviewerIds, tx));
      const notReviewers = reviewerIds.filter((r) => !eligible.has(r));
      if (notReviewers.length > 0) {
        throw validationFailed('Only active users with the reviewer role can be assigned', {
          fields: { reviewerIds: [`not active reviewers: ${notReviewers.join(', ')}`] },
          reviewerIds: notReviewers,
        });
      }
      const conflicted = (await this.access.conflictedIds(article.id, tx)).filter((r) => eligible.has(r)).sort();
      if (conflicted.length > 0) {
        throw new DomainError(
          'conflict_of_interest',
          'These reviewers wrote a revision of the article or declared a conflict',
          { reviewerIds: conflicted },
        );
      }
      const { added, removed } = await this.reviewers.replace(article.id, reviewerIds, user.id, tx);
      if (dueAt !== undefined) await this.reviewers.setDueAt(article.id, reviewerIds, dueAt, tx);
      await this.notifications.notify(
        tx,
        added,
        {
          kind: 'review.assigned',
          article,
          revision: article.currentRevision,
          data: { dueAt: dueAt?.toISOString() ?? null },
        },
        user,
      );
      await this.record(
        user,
        'reviewers.assigned',
        article,
        { reviewerIds, added, removed, ...(dueAt !== undefined ? { dueAt: dueAt?.toISOString() ?? null } : {}) },
        tx,
      );
      return this.approval.approveIfReady(article, actorOf(user), tx);
    });
  }

  /** An assigned reviewer steps aside: unassigned, and barred from this article from now on. */
  declareConflict(user: Principal, id: string, reason: string): Promise<ArticleView> {
    return this.change(id, async (article, tx) => {
      await this.actions.take(user, 'declare_conflict', article, tx);
      await this.reviewers.declareConflict(article.id, user.id, reason, tx);
      await this.reviewers.unassign(article.id, user.id, tx);
      await this.record(user, 'conflict.declared', article, { reviewerId: user.id, reason }, tx);
      return article;
    });
  }

  /**
   * Records an electronic signature (contract §12): the reviewer names the revision and the content
   * hash they were shown, which must both be current, so that what is signed is exactly what they saw.
   * The password was confirmed before this is called (the API's Reauthentication).
   */
  async signOff(
    user: Principal,
    id: string,
    input: { decision: SignoffDecision; revision: number; contentHash: string; note: string | null },
  ): Promise<{ signoff: SignoffView; article: ArticleView }> {
    return this.db.run(async (tx) => {
      // Signing a submitted article starts its review first (contract §19).
      const article = await this.reviewStart.byReviewerAction(user, await this.actions.lock(id, tx), 'signoff', tx);
      const to = await this.actions.take(
        user,
        input.decision === 'approve' ? 'approve_signoff' : 'request_changes',
        article,
        tx,
      );
      if (input.revision !== article.currentRevision || input.contentHash !== article.currentContentHash) {
        throw new DomainError(
          'stale_revision',
          input.revision !== article.currentRevision
            ? `You signed off revision ${input.revision}, but the current revision is ${article.currentRevision}`
            : `The content you signed is not revision ${article.currentRevision} as it stands; reload it and sign again`,
          { currentRevision: article.currentRevision, contentHash: article.currentContentHash },
        );
      }
      if (input.decision === 'request_changes' && !input.note) {
        throw validationFailed('A request for changes needs a note saying what to change', {
          fields: { note: ['is required when decision is request_changes'] },
        });
      }
      const signer = await this.users.findById(user.id, tx);
      if (!signer) throw notFound('User');
      const { signoff, replaced } = await this.signoffs.record(
        {
          articleId: article.id,
          revision: input.revision,
          reviewerId: user.id,
          // The printed name and credentials as they are now: the signature keeps them (§11.50).
          reviewerName: signer.name,
          reviewerCredentials: signer.credentials,
          decision: input.decision,
          contentHash: input.contentHash,
          note: input.note,
        },
        tx,
      );
      await this.audit.append(
        {
          actor: actorOf(user),
          action: 'signoff.recorded',
          entityType: 'signoff',
          entityId: signoff.id,
          articleId: article.id,
          data: {
            revision: signoff.revision,
            contentHash: signoff.contentHash,
            decision: signoff.decision,
            meaning: meaningOf(signoff.decision),
            reviewer: { name: signoff.reviewerName, credentials: signoff.reviewerCredentials },
            note: signoff.note,
            replaces: replaced?.id ?? null,
          },
        },
        tx,
      );
      let result = article;
      if (to !== article.state) {
        result = await this.articles.update(article.id, { state: to }, tx);
        await this.record(
          user,
          'article.changes_requested',
          article,
          { from: article.state, to, revision: signoff.revision, note: signoff.note },
          tx,
        );
        await this.notifications.toEditors(
          tx,
          { kind: 'article.changes_requested', article, revision: signoff.revision, data: { note: signoff.note } },
          user,
        );
      } else {
        result = await this.approval.approveIfReady(article, actorOf(user), tx);
      }
      return { signoff: signoffView(signoff), article: await this.views.one(result, tx) };
    });
  }

  /** Runs `work` on the locked article in one transaction and answers the article as it then is. */
  private change(id: string, work: (article: ArticleRecord, tx: Tx) => Promise<ArticleRecord>): Promise<ArticleView> {
    return this.db.run(async (tx) => {
      const article = await this.actions.lock(id, tx);
      const after = await work(article, tx);
      // Assignment changes reviewers but not the row, so always re-read what the view shows.
      return this.views.one(after, tx);
    });
  }

  private async move(
    user: Principal,
    action: WorkflowAction,
    auditAction: string,
    article: ArticleRecord,
    tx: Tx,
  ): Promise<ArticleRecord> {
    const to = await this.actions.take(user, action, article, tx);
    const updated = await this.articles.update(article.id, { state: to }, tx);
    await this.record(user, auditAction, article, { from: article.state, to, revision: article.currentRevision }, tx);
    return updated;
  }

  private async record(
    user: Principal,
    action: string,
    article: ArticleRecord,
    data: Record<string, string | number | null | string[]>,
    tx: Tx,
  ): Promise<void> {
    await this.audit.append(
      { actor: actorOf(user), action, entityType: 'article', entityId: article.id, articleId: article.id, data },
      tx,
    );
  }
}
