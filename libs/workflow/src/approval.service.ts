import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import {
  ArticlesRepository,
  AuditRepository,
  ChecksRepository,
  CommentsRepository,
  PublicationsRepository,
  ReviewersRepository,
  RevisionsRepository,
  SignoffsRepository,
  Tx,
} from '@imprimatur/database';
import {
  ApprovalVerdict,
  ArticleRecord,
  AuditActor,
  CheckSummary,
  evaluateApproval,
  transition,
} from '@imprimatur/domain';
import { OutboxService } from '@imprimatur/queue';
import { ArticleAccess } from './access';
import { Notifications } from './notifications.service';

/**
 * Applies the approval rule inside the transaction of the event that may complete it (a sign-off, a
 * resolved comment, an assignment, a finished check). The caller holds the article's row lock, so
 * two concurrent final events approve once: the second sees the article already approved.
 */
@Injectable()
export class ApprovalService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly articles: ArticlesRepository,
    private readonly reviewers: ReviewersRepository,
    private readonly signoffs: SignoffsRepository,
    private readonly comments: CommentsRepository,
    private readonly checks: ChecksRepository,
    private readonly publications: PublicationsRepository,
    private readonly revisions: RevisionsRepository,
    private readonly access: ArticleAccess,
    private readonly audit: AuditRepository,
    private readonly outbox: OutboxService,
    private readonly notifications: Notifications,
  ) {}

  async approveIfReady(article: ArticleRecord, actor: AuditActor | null, tx: Tx): Promise<ArticleRecord> {
    if (article.state !== 'under_review') return article;
    const { verdict, checks } = await this.verdictOf(article, tx);
    if (!verdict.approved) return article;

    const approvedAt = new Date();
    const approved = await this.articles.update(
      article.id,
      { state: transition('approve', article.state), approvedAt },
      tx,
    );
    await this.outbox.emit(
      tx,
      'article.approved',
      {
        articleId: article.id,
        revision: article.currentRevision,
        approvedAt: approvedAt.toISOString(),
        publishAt: article.publishAt?.toISOString() ?? null,
        approverIds: verdict.approvers,
      },
      { runAt: article.publishAt && article.publishAt > approvedAt ? article.publishAt : null },
    );
    await this.audit.append(
      {
        actor,
        action: 'article.approved',
        entityType: 'article',
        entityId: article.id,
        articleId: article.id,
        data: {
          from: article.state,
          to: approved.state,
          revision: article.currentRevision,
          approverIds: verdict.approvers,
          checks: { ...checks },
        },
      },
      tx,
    );
    await this.notifications.toEditors(tx, {
      kind: 'article.approved',
      article: approved,
      revision: article.currentRevision,
    });
    return approved;
  }

  /**
   * Re-applies the rule to an approval that is not yet published (say a signer was deactivated):
   * if it no longer holds, the article goes back to `under_review` and its pending publication will
   * find the approval gone (the publishing job compares `approvedAt`). A published approval stands.
   */
  async withdrawIfNoLongerReady(
    article: ArticleRecord,
    actor: AuditActor | null,
    reason: string,
    tx: Tx,
  ): Promise<ArticleRecord> {
    if (article.state !== 'approved') return article;
    if (
      article.approvedAt &&
      (await this.publications.versionOfApproval(article.id, article.approvedAt.toISOString(), tx))
    )
      return article;
    const { verdict } = await this.verdictOf({ ...article, state: 'under_review' }, tx);
    if (verdict.approved) return article;
    const reopened = await this.articles.update(
      article.id,
      { state: transition('withdraw_approval', article.state), approvedAt: null },
      tx,
    );
    await this.audit.append(
      {
        actor,
        action: 'article.approval_withdrawn',
        entityType: 'article',
        entityId: article.id,
        articleId: article.id,
        data: {
          from: article.state,
          to: reopened.state,
          revision: article.currentRevision,
          approvedAt: article.approvedAt?.toISOString() ?? null,
          reason,
          blockers: verdict.blockers.map((b) => ({ ...b })),
        },
      },
      tx,
    );
    return reopened;
  }

  private async verdictOf(article: ArticleRecord, tx: Tx): Promise<{ verdict: ApprovalVerdict; checks: CheckSummary }> {
    const assignedReviewerIds = await this.reviewers.eligibleAssignedIds(article.id, tx);
    const conflictedIds = await this.access.conflictedIds(article.id, tx);
    const signoffs = await this.signoffs.counted(article.id, article.currentRevision, tx);
    const openBlockingComments = await this.comments.openBlockingCount(article.id, tx);
    const checks = await this.checks.summaryOf(article.id, article.currentRevision, tx);
    const current = (await this.revisions.significanceOfCurrent([article.id], tx)).get(article.id);
    // The lighter quorum is for an editorial change to what readers have now: the comparison must
    // have been against the live revision, and the article must still be live (not unpublished).
    const editorialOfLive =
      current?.changeClass === 'editorial' &&
      current.changeBase !== null &&
      current.changeBase === article.publishedRevision &&
      !(await this.publications.liveOfArticle(article.id, tx))?.retractedAt;
    const verdict = evaluateApproval(
      {
        state: article.state,
        currentRevision: article.currentRevision,
        assignedReviewerIds,
        conflictedIds,
        signoffs,
        openBlockingComments,
        checks,
        changeClass: current?.changeClass ?? null,
        live: editorialOfLive,
      },
      {
        requiredSignoffs: this.config.workflow.requiredSignoffs,
        editorialSignoffs: this.config.workflow.editorialSignoffs,
      },
    );
    return { verdict, checks };
  }
}
