import { Injectable } from '@nestjs/common';
import { ReviewersRepository, RevisionsRepository, Tx } from '@imprimatur/database';
import { ArticleRecord, DomainError, forbidden, Principal } from '@imprimatur/domain';

/** Who stands where towards one article: its editors, its reviewers, and who may not review it. */
@Injectable()
export class ArticleAccess {
  constructor(
    private readonly reviewers: ReviewersRepository,
    private readonly revisions: RevisionsRepository,
  ) {}

  /** Authors of any revision and reviewers who declared a conflict: never reviewers of this article. */
  async conflictedIds(articleId: string, tx: Tx): Promise<string[]> {
    const authors = await this.revisions.authorIds(articleId, tx);
    const declared = await this.reviewers.declaredConflictIds(articleId, tx);
    return [...new Set([...authors, ...declared])];
  }

  /** The caller must be an assigned reviewer of the article (403 forbidden), in conflict or not. */
  async assertAssigned(user: Principal, article: ArticleRecord, tx: Tx): Promise<void> {
    if (!(await this.reviewers.isAssigned(article.id, user.id, tx)))
      throw forbidden('You are not an assigned reviewer of this article');
  }

  /** The caller must be an assigned reviewer (403 forbidden) with no conflict (403 conflict_of_interest). */
  async assertAssignedReviewer(user: Principal, article: ArticleRecord, tx: Tx): Promise<void> {
    await this.assertAssigned(user, article, tx);
    if ((await this.conflictedIds(article.id, tx)).includes(user.id)) {
      throw new DomainError(
        'conflict_of_interest',
        'You wrote a revision of this article or declared a conflict, so you cannot review it',
      );
    }
  }

  /** Whether the caller is an assigned reviewer with no conflict: who assertAssignedReviewer lets through. */
  async mayReview(user: Principal, article: ArticleRecord, tx: Tx): Promise<boolean> {
    if (!(await this.reviewers.isAssigned(article.id, user.id, tx))) return false;
    return !(await this.conflictedIds(article.id, tx)).includes(user.id);
  }

  /** The article's editors (authors of its revisions), its assigned reviewers and admins take part in its discussion. */
  async assertParticipant(user: Principal, article: ArticleRecord, tx: Tx): Promise<void> {
    if (user.roles.includes('admin')) return;
    if (user.roles.includes('reviewer') && (await this.reviewers.isAssigned(article.id, user.id, tx))) return;
    if (user.roles.includes('editor') && (await this.revisions.authorIds(article.id, tx)).includes(user.id)) return;
    throw forbidden("Only the article's editors, its assigned reviewers and admins take part in its review");
  }
}
