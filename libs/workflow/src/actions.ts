import { Injectable } from '@nestjs/common';
import { ArticlesRepository, Tx } from '@imprimatur/database';
import {
  ArticleRecord,
  ArticleState,
  AuditActor,
  forbidden,
  hasRoleFor,
  notFound,
  Principal,
  transition,
  WORKFLOW,
  WorkflowAction,
  WorkflowRule,
} from '@imprimatur/domain';
import { ArticleAccess } from './access';

/** The audit actor of a signed-in user. */
export const actorOf = (user: Principal): AuditActor => ({ id: user.id, email: user.email });

/**
 * The one place a person takes a workflow action on an article: the table's roles, then its "who"
 * (actor) column, then the transition, in that order for every action. Services call this instead
 * of checking any part themselves, so the table is what is enforced.
 */
@Injectable()
export class ArticleActions {
  constructor(
    private readonly articles: ArticlesRepository,
    private readonly access: ArticleAccess,
  ) {}

  /** Reads the article under its row lock (404 if it does not exist): every workflow change starts here. */
  async lock(id: string, tx: Tx): Promise<ArticleRecord> {
    const article = await this.articles.lock(id, tx);
    if (!article) throw notFound('Article');
    return article;
  }

  /** Checks that `user` may take `action` on the locked `article` now; answers the state it leads to. */
  async take(user: Principal, action: WorkflowAction, article: ArticleRecord, tx: Tx): Promise<ArticleState> {
    const rule: WorkflowRule = WORKFLOW[action];
    if (rule.actor === 'system') throw forbidden(`Nobody takes ${action} directly; the approval rule does`);
    if (!hasRoleFor(action, user.roles)) throw forbidden(`This needs one of the roles: ${rule.roles.join(', ')}`);
    switch (rule.actor) {
      case 'any':
        break;
      case 'assigned':
        await this.access.assertAssignedReviewer(user, article, tx);
        break;
      case 'assignee':
        await this.access.assertAssigned(user, article, tx);
        break;
      case 'participant':
        await this.access.assertParticipant(user, article, tx);
        break;
      default: {
        const unknown: never = rule.actor;
        throw new Error(`unknown actor kind ${String(unknown)}`);
      }
    }
    return transition(action, article.state);
  }
}
