import { Injectable } from '@nestjs/common';
import { ArticlesRepository, AuditRepository, Tx } from '@imprimatur/database';
import { ArticleRecord, Principal, transition } from '@imprimatur/domain';
import { ArticleAccess } from './access';
import { actorOf } from './actions';

/** What started a review by itself: an assigned reviewer's first comment or sign-off (contract §19). */
export type ReviewStartedBy = 'comment' | 'signoff';

/**
 * A review starts when an assigned reviewer starts it (`start-review`), or by itself with their first
 * comment or sign-off on a submitted article (contract §19): one step fewer, recorded as
 * `review.started` like the other, with `startedBy` saying which.
 */
@Injectable()
export class ReviewStart {
  constructor(
    private readonly articles: ArticlesRepository,
    private readonly access: ArticleAccess,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * Starts the review of the locked `article` if it is `submitted` and `user` is one of its assigned
   * reviewers without a conflict; answers the article as it then is. Anything else leaves it alone
   * (the action that called this then checks its own rights).
   */
  async byReviewerAction(
    user: Principal,
    article: ArticleRecord,
    startedBy: ReviewStartedBy,
    tx: Tx,
  ): Promise<ArticleRecord> {
    if (article.state !== 'submitted' || !user.roles.includes('reviewer')) return article;
    if (!(await this.access.mayReview(user, article, tx))) return article;
    const to = transition('start_review', article.state);
    const updated = await this.articles.update(article.id, { state: to }, tx);
    await this.audit.append(
      {
        actor: actorOf(user),
        action: 'review.started',
        entityType: 'article',
        entityId: article.id,
        articleId: article.id,
        data: { from: article.state, to, revision: article.currentRevision, startedBy },
      },
      tx,
    );
    return updated;
  }
}
