import { Injectable } from '@nestjs/common';
import { CommentRecord, TextQuoteAnchor } from '@imprimatur/domain';
import { TableColumns } from '../columns';
import { many, maybeOne, one } from '../sql';
import { Tx } from '../transaction';

interface CommentRow {
  id: string;
  article_id: string;
  revision: number;
  parent_id: string | null;
  author_id: string;
  body: string;
  anchor: TextQuoteAnchor | null;
  blocking: boolean;
  resolved_at: Date | null;
  resolved_by: string | null;
  created_at: Date;
}

export const COMMENT_COLUMNS = new TableColumns<CommentRow>('comments', {
  id: true,
  article_id: true,
  revision: true,
  parent_id: true,
  author_id: true,
  body: true,
  anchor: true,
  blocking: true,
  resolved_at: true,
  resolved_by: true,
  created_at: true,
});

const toComment = (r: CommentRow): CommentRecord => ({
  id: r.id,
  articleId: r.article_id,
  revision: r.revision,
  parentId: r.parent_id,
  authorId: r.author_id,
  body: r.body,
  anchor: r.anchor,
  blocking: r.blocking,
  resolvedAt: r.resolved_at,
  resolvedBy: r.resolved_by,
  createdAt: r.created_at,
});

@Injectable()
export class CommentsRepository {
  async insert(
    comment: Omit<CommentRecord, 'id' | 'resolvedAt' | 'resolvedBy' | 'createdAt'>,
    tx: Tx,
  ): Promise<CommentRecord> {
    const row = await one<CommentRow>(
      tx,
      `INSERT INTO comments (article_id, revision, parent_id, author_id, body, anchor, blocking)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COMMENT_COLUMNS.list}`,
      [
        comment.articleId,
        comment.revision,
        comment.parentId,
        comment.authorId,
        comment.body,
        comment.anchor ? JSON.stringify(comment.anchor) : null,
        comment.blocking,
      ],
    );
    return toComment(row);
  }

  async find(articleId: string, id: string, tx: Tx): Promise<CommentRecord | null> {
    const row = await maybeOne<CommentRow>(
      tx,
      `SELECT ${COMMENT_COLUMNS.list} FROM comments WHERE article_id = $1 AND id = $2`,
      [articleId, id],
    );
    return row ? toComment(row) : null;
  }

  /** Oldest first, keyset-paginated on (created_at, id). */
  async list(
    articleId: string,
    after: { createdAt: string; id: string } | null,
    limit: number,
    tx: Tx,
  ): Promise<CommentRecord[]> {
    const rows = after
      ? await many<CommentRow>(
          tx,
          `SELECT ${COMMENT_COLUMNS.list} FROM comments
           WHERE article_id = $1 AND (created_at, id) > ($2::timestamptz, $3::uuid) ORDER BY created_at, id LIMIT $4`,
          [articleId, after.createdAt, after.id, limit + 1],
        )
      : await many<CommentRow>(
          tx,
          `SELECT ${COMMENT_COLUMNS.list} FROM comments WHERE article_id = $1 ORDER BY created_at, id LIMIT $2`,
          [articleId, limit + 1],
        );
    return rows.map(toComment);
  }

  async resolve(id: string, by: string, tx: Tx): Promise<CommentRecord> {
    const row = await one<CommentRow>(
      tx,
      `UPDATE comments SET resolved_at = now(), resolved_by = $2 WHERE id = $1 RETURNING ${COMMENT_COLUMNS.list}`,
      [id, by],
    );
    return toComment(row);
  }

  /** The texts of the article's comments among `ids`, by id: one primary-key lookup per id. */
  async bodies(articleId: string, ids: readonly string[], tx: Tx): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await many<{ id: string; body: string }>(
      tx,
      'SELECT id, body FROM comments WHERE id = ANY($1::uuid[]) AND article_id = $2',
      [ids, articleId],
    );
    return new Map(rows.map((r) => [r.id, r.body]));
  }

  async openBlockingCount(articleId: string, tx: Tx): Promise<number> {
    const { n } = await one<{ n: number }>(
      tx,
      'SELECT count(*)::int AS n FROM comments WHERE article_id = $1 AND blocking AND resolved_at IS NULL',
      [articleId],
    );
    return n;
  }

  /**
   * Open blocking comments per article, for a page of articles: read from the partial index
   * comments_open_blocking (article_id WHERE blocking AND resolved_at IS NULL), so resolved and
   * non-blocking comments are never visited. Articles without any are absent from the map.
   */
  async openBlockingCounts(articleIds: string[], tx: Tx): Promise<Map<string, number>> {
    const rows = await many<{ article_id: string; n: number }>(
      tx,
      `SELECT article_id, count(*)::int AS n FROM comments
       WHERE article_id = ANY($1::uuid[]) AND blocking AND resolved_at IS NULL GROUP BY article_id`,
      [articleIds],
    );
    return new Map(rows.map((r) => [r.article_id, r.n]));
  }
}
