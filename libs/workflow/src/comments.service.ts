import { Injectable } from '@nestjs/common';
import {
  ArticlesRepository,
  AuditRepository,
  CommentsRepository,
  RevisionsRepository,
  TransactionRunner,
} from '@imprimatur/database';
import {
  CommentPlacement,
  CommentRecord,
  decodeCursor,
  DomainError,
  findAnchor,
  forbidden,
  notFound,
  Page,
  placeAnchor,
  Principal,
  TextQuoteAnchor,
  toPage,
} from '@imprimatur/domain';
import { ArticleActions, actorOf } from './actions';
import { ApprovalService } from './approval.service';
import { Notifications } from './notifications.service';
import { ReviewStart } from './review-start';

export interface CommentInput {
  body: string;
  anchor: TextQuoteAnchor | null;
  blocking: boolean;
  parentId: string | null;
}

/** A comment as the list shows it: placed on the revision asked for. */
export type PlacedComment = CommentRecord & { placement: CommentPlacement | null };

/** Threaded review comments, anchored by quote; blocking ones hold approval until resolved. */
@Injectable()
export class CommentsService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly articles: ArticlesRepository,
    private readonly revisions: RevisionsRepository,
    private readonly comments: CommentsRepository,
    private readonly actions: ArticleActions,
    private readonly approval: ApprovalService,
    private readonly audit: AuditRepository,
    private readonly notifications: Notifications,
    private readonly reviewStart: ReviewStart,
  ) {}

  create(user: Principal, articleId: string, input: CommentInput): Promise<CommentRecord> {
    return this.db.run(async (tx) => {
      // Locked so the body an anchor is checked against cannot change before the comment commits.
      const locked = await this.actions.lock(articleId, tx);
      await this.actions.take(user, 'comment', locked, tx);
      const article = await this.reviewStart.byReviewerAction(user, locked, 'comment', tx);
      const parent = input.parentId ? await this.comments.find(article.id, input.parentId, tx) : null;
      if (input.parentId && !parent) throw notFound('Parent comment');
      if (input.anchor) {
        const revision = await this.revisions.find(article.id, article.currentRevision, tx);
        if (!revision || !findAnchor(revision.body, input.anchor)) {
          throw new DomainError(
            'anchor_not_found',
            `The quoted text does not occur in revision ${article.currentRevision}`,
            {
              revision: article.currentRevision,
              quote: input.anchor.quote,
            },
          );
        }
      }
      const comment = await this.comments.insert(
        {
          articleId: article.id,
          revision: article.currentRevision,
          parentId: input.parentId,
          authorId: user.id,
          body: input.body,
          anchor: input.anchor,
          blocking: input.blocking,
        },
        tx,
      );
      await this.audit.append(
        {
          actor: actorOf(user),
          action: 'comment.created',
          entityType: 'comment',
          entityId: comment.id,
          articleId: article.id,
          data: {
            revision: comment.revision,
            blocking: comment.blocking,
            parentId: comment.parentId,
            anchored: comment.anchor !== null,
          },
        },
        tx,
      );
      if (parent) {
        await this.notifications.notify(
          tx,
          [parent.authorId],
          {
            kind: 'comment.reply',
            article,
            revision: comment.revision,
            data: { commentId: comment.id, parentId: parent.id },
          },
          user,
        );
      }
      return comment;
    });
  }

  /**
   * A page of the article's comments, each placed on revision `revision` (default: the current one,
   * contract §19): an anchored comment is `anchored` where its quote still occurs in that revision's
   * body, else `outdated`; a comment without an anchor (a reply, a general remark) has no placement.
   */
  async list(
    articleId: string,
    limit: number,
    cursor?: string,
    revision?: number,
  ): Promise<Page<PlacedComment> & { revision: number }> {
    const article = await this.articles.findById(articleId, this.db.autocommit);
    if (!article) throw notFound('Article');
    const on = revision ?? article.currentRevision;
    const text = await this.revisions.find(article.id, on, this.db.autocommit);
    if (!text) throw notFound(`Revision ${on}`);
    const after = cursor ? decodeCursor(cursor, ['date', 'uuid']) : null;
    const rows = await this.comments.list(
      articleId,
      after ? { createdAt: String(after[0]), id: String(after[1]) } : null,
      limit,
      this.db.autocommit,
    );
    const page = toPage(
      rows,
      limit,
      (c) => [c.createdAt.toISOString(), c.id],
      (c): PlacedComment => ({ ...c, placement: c.anchor ? placeAnchor(c.anchor, text.body, on) : null }),
    );
    return { ...page, revision: on };
  }

  /** A blocking comment is resolved only by its author or an admin; any other by any participant. */
  resolve(user: Principal, articleId: string, commentId: string): Promise<CommentRecord> {
    return this.db.run(async (tx) => {
      const article = await this.actions.lock(articleId, tx);
      const comment = await this.comments.find(article.id, commentId, tx);
      if (!comment) throw notFound('Comment');
      await this.actions.take(user, 'resolve_comment', article, tx);
      if (comment.blocking && comment.authorId !== user.id && !user.roles.includes('admin')) {
        throw forbidden('A blocking comment is resolved only by its author or an admin');
      }
      if (comment.resolvedAt) return comment;
      const resolved = await this.comments.resolve(comment.id, user.id, tx);
      await this.audit.append(
        {
          actor: actorOf(user),
          action: 'comment.resolved',
          entityType: 'comment',
          entityId: comment.id,
          articleId: article.id,
          data: { blocking: comment.blocking },
        },
        tx,
      );
      if (comment.blocking) await this.approval.approveIfReady(article, actorOf(user), tx);
      return resolved;
    });
  }
}
