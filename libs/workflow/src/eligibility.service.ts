import { Injectable } from '@nestjs/common';
import { ArticlesRepository, AuditRepository, ReviewersRepository, SignoffsRepository, Tx } from '@imprimatur/database';
import { AuditActor } from '@imprimatur/domain';
import { ApprovalService } from './approval.service';

/**
 * A reviewer who is deactivated or loses the `reviewer` role stops counting at once (contract §5:
 * only active reviewers count). Their counted sign-offs are dismissed, not deleted, and any
 * approval they helped reach that is not yet published is re-evaluated.
 */
@Injectable()
export class ReviewerEligibility {
  constructor(
    private readonly articles: ArticlesRepository,
    private readonly reviewers: ReviewersRepository,
    private readonly signoffs: SignoffsRepository,
    private readonly approval: ApprovalService,
    private readonly audit: AuditRepository,
  ) {}

  /** Runs in the transaction that made the user ineligible, after that change. */
  async revoke(actor: AuditActor, reviewerId: string, reason: 'deactivated' | 'role_removed', tx: Tx): Promise<void> {
    // Every article they could have signed is one they are assigned to; locking each (in id order,
    // as every workflow change does) also waits out a sign-off of theirs still in flight.
    for (const articleId of await this.reviewers.articlesOf(reviewerId, tx)) {
      const article = await this.articles.lock(articleId, tx);
      if (!article) continue;
      for (const signoff of await this.signoffs.dismissOfReviewer(article.id, reviewerId, tx)) {
        await this.audit.append(
          {
            actor,
            action: 'signoff.dismissed',
            entityType: 'signoff',
            entityId: signoff.id,
            articleId: article.id,
            data: {
              reviewerId,
              revision: signoff.revision,
              decision: signoff.decision,
              reason: `reviewer ${reason.replace('_', ' ')}`,
            },
          },
          tx,
        );
      }
      await this.approval.withdrawIfNoLongerReady(
        article,
        actor,
        `a signer's reviewer status ended (${reason.replace('_', ' ')})`,
        tx,
      );
    }
  }
}
