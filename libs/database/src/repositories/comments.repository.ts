import { Injectable } from '@nestjs/common';
import { CommentRecord, TextQuoteAnchor } from '@imprimatur/domain';
import { returning, TransactionRunner, Tx } from '../transaction';

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
  constructor(private readonly db: TransactionRunner) {}

  async insert(comment: Omit<CommentRecord, 'id' | 'resolvedAt' | 'resolvedBy' | 'createdAt'>, tx: Tx): Promise<CommentRecord> {
    const rows: CommentRow[] = await tx.query(
      `INSERT INTO comments (article_id, revision, parent_id, author_id, body, anchor, blocking)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [comment.articleId, comment.revision, comment.parentId, comment.authorId, comment.body, comment.anchor ? JSON.stringify(comment.anchor) : null, comment.blocking],
    );
    return toComment(rows[0]);
  }

  async find(articleId: string, id: string, tx: Tx = this.db.manager): Promise<CommentRecord | null> {
    const rows: CommentRow[] = await tx.query('SELECT * FROM comments WHERE article_id = $1 AND id = $2', [articleId, id]);
    return rows[0] ? toComment(rows[0]) : null;
  }

  /** Oldest first, keyset-paginated on (created_at, id). */
  async list(articleId: string, after: { createdAt: string; id: string } | null, limit: number): Promise<CommentRecord[]> {
    const rows: CommentRow[] = after
      ? await this.db.manager.query(
          `SELECT * FROM comments WHERE article_id = $1 AND (created_at, id) > ($2::timestamptz, $3::uuid) ORDER BY created_at, id LIMIT $4`,
          [articleId, after.createdAt, after.id, limit + 1],
        )
      : await this.db.manager.query('SELECT * FROM comments WHERE article_id = $1 ORDER BY created_at, id LIMIT $2', [articleId, limit + 1]);
    return rows.map(toComment);
  }

  async resolve(id: string, by: string, tx: Tx): Promise<CommentRecord> {
    const rows = await returning<CommentRow>(tx, 'UPDATE comments SET resolved_at = now(), resolved_by = $2 WHERE id = $1 RETURNING *', [id, by]);
    return toComment(rows[0]);
  }

  async openBlockingCount(articleId: string, tx: Tx): Promise<number> {
    const rows: { n: number }[] = await tx.query(
      'SELECT count(*)::int AS n FROM comments WHERE article_id = $1 AND blocking AND resolved_at IS NULL',
      [articleId],
    );
    return rows[0].n;
  }
}
