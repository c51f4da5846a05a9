import { Injectable } from '@nestjs/common';
import {
  ArticlesRepository,
  AuditRepository,
  PublicationsRepository,
  SignoffsRepository,
  Tx,
} from '@imprimatur/database';
import { ArticleRecord, AuditActor, DomainError, transition } from '@imprimatur/domain';
import { Notifications } from './notifications.service';

/**
 * Periodic review of a live article (contract §17): its live revision goes back under review as it
 * is, the board's earlier sign-offs of it stop counting (dismissed, reason `re_review`), and the
 * quorum of new approvals publishes a new version with the same content and new review dates.
 */
@Injectable()
export class ReReviews {
  constructor(
    private readonly articles: ArticlesRepository,
    private readonly signoffs: SignoffsRepository,
    private readonly publications: PublicationsRepository,
    private readonly audit: AuditRepository,
    private readonly notifications: Notifications,
  ) {}

  /** Whether the article is live and its current revision is the one readers see: what a re-review needs. */
  canOpen(article: ArticleRecord): boolean {
    return (
      article.state === 'approved' &&
      article.publishedRevision !== null &&
      article.publishedRevision === article.currentRevision
    );
  }

  /**
   * Opens the re-review of the locked `article`; `trigger` says who asked (an admin, or the review-due
   * scan with AUTO_RE_REVIEW). Refused with 409 unless the live revision is the current one, approved.
   */
  async open(article: ArticleRecord, actor: AuditActor | null, trigger: 'admin' | 'review_due_scan', tx: Tx) {
    const to = transition('re_review', article.state);
    // Readers must have it: an unpublished (withdrawn) article is not reviewed again, it is revised.
    const live = await this.publications.liveOfArticle(article.id, tx);
    if (!this.canOpen(article) || !live || live.retractedAt !== null) {
      throw new DomainError(
        'invalid_transition',
        'Only a live article whose current revision is the published one can be re-reviewed',
        { from: article.state, action: 're_review', allowed: [] },
      );
    }
    const dismissed = await this.signoffs.dismissOnRevision(article.id, article.currentRevision, tx);
    for (const signoff of dismissed) {
      await this.audit.append(
        {
          actor,
          action: 'signoff.dismissed',
          entityType: 'signoff',
          entityId: signoff.id,
          articleId: article.id,
          data: {
            reviewerId: signoff.reviewerId,
            revision: signoff.revision,
            decision: signoff.decision,
            reason: 're_review',
          },
        },
        tx,
      );
    }
    const reopened = await this.articles.update(
      article.id,
      { state: to, approvedAt: null, reReviewAt: new Date() },
      tx,
    );
    await this.audit.append(
      {
        actor,
        action: 'article.re_review_opened',
        entityType: 'article',
        entityId: article.id,
        articleId: article.id,
        data: {
          from: article.state,
          to,
          revision: article.currentRevision,
          publishedVersion: article.publishedVersion,
          trigger,
          dismissed: dismissed.length,
        },
      },
      tx,
    );
    await this.notifications.toReviewers(
      tx,
      {
        kind: 'article.review_due',
        article: reopened,
        revision: reopened.currentRevision,
        data: { reReview: true, publishedVersion: article.publishedVersion },
      },
      actor,
    );
    return reopened;
  }
}
