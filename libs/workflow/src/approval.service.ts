import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { ArticlesRepository, AuditRepository, ChecksRepository, CommentsRepository, ReviewersRepository, SignoffsRepository, Tx } from '@imprimatur/database';
import { ArticleRecord, AuditActor, evaluateApproval, transition } from '@imprimatur/domain';
import { OutboxService } from '@imprimatur/queue';
import { ArticleAccess } from './access';

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
    private readonly access: ArticleAccess,
    private readonly audit: AuditRepository,
    private readonly outbox: OutboxService,
  ) {}

  async approveIfReady(article: ArticleRecord, actor: AuditActor | null, tx: Tx): Promise<ArticleRecord> {
    if (article.state !== 'under_review') return article;
    const assignedReviewerIds = await this.reviewers.assignedIds(article.id, tx);
    const conflictedIds = await this.access.conflictedIds(article.id, tx);
    const signoffs = await this.signoffs.standing(article.id, article.currentRevision, tx);
    const openBlockingComments = await this.comments.openBlockingCount(article.id, tx);
    const checks = await this.checks.summaryOf(article.id, article.currentRevision, tx);
    const verdict = evaluateApproval(
      { state: article.state, currentRevision: article.currentRevision, assignedReviewerIds, conflictedIds, signoffs, openBlockingComments, checks },
      { requiredSignoffs: this.config.workflow.requiredSignoffs },
    );
    if (!verdict.approved) return article;

    const approvedAt = new Date();
    const approved = await this.articles.update(article.id, { state: transition('approve', article.state), approvedAt }, tx);
    await this.outbox.emit(tx, 'article.approved', {
      articleId: article.id,
      revision: article.currentRevision,
      approvedAt: approvedAt.toISOString(),
      publishAt: article.publishAt?.toISOString() ?? null,
      approverIds: verdict.approvers,
    }, { runAt: article.publishAt && article.publishAt > approvedAt ? article.publishAt : null });
    await this.audit.append(
      {
        actor,
        action: 'article.approved',
        entityType: 'article',
        entityId: article.id,
        articleId: article.id,
        data: { from: article.state, to: approved.state, revision: article.currentRevision, approverIds: verdict.approvers, checks: { ...checks } },
      },
      tx,
    );
    return approved;
  }
}
