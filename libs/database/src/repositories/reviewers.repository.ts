import { Injectable } from '@nestjs/common';
import { ReviewerRecord } from '@imprimatur/domain';
import { returning, TransactionRunner, Tx } from '../transaction';

@Injectable()
export class ReviewersRepository {
  constructor(private readonly db: TransactionRunner) {}

  /** The assigned reviewers of several articles at once, so a page of articles costs one query. */
  async assignedTo(articleIds: string[], tx: Tx = this.db.manager): Promise<Map<string, ReviewerRecord[]>> {
    const rows: { article_id: string; id: string; name: string; credentials: string | null; assigned_at: Date }[] = await tx.query(
      `SELECT r.article_id, u.id, u.name, u.credentials, r.assigned_at
       FROM article_reviewers r JOIN users u ON u.id = r.reviewer_id
       WHERE r.article_id = ANY($1::uuid[]) ORDER BY r.assigned_at, u.name`,
      [articleIds],
    );
    const byArticle = new Map<string, ReviewerRecord[]>(articleIds.map((id) => [id, []]));
    for (const r of rows) byArticle.get(r.article_id)?.push({ id: r.id, name: r.name, credentials: r.credentials, assignedAt: r.assigned_at });
    return byArticle;
  }

  /**
   * The assigned reviewers who may sign off today: active users who still hold the `reviewer` role.
   * Someone deactivated or demoted after signing stays assigned (and on record) but stops counting.
   */
  async eligibleAssignedIds(articleId: string, tx: Tx = this.db.manager): Promise<string[]> {
    const rows: { reviewer_id: string }[] = await tx.query(
      `SELECT r.reviewer_id FROM article_reviewers r JOIN users u ON u.id = r.reviewer_id
       WHERE r.article_id = $1 AND u.active AND 'reviewer' = ANY(u.roles)`,
      [articleId],
    );
    return rows.map((r) => r.reviewer_id);
  }

  /** The articles a reviewer is assigned to, in id order (the order to lock them in). */
  async articlesOf(reviewerId: string, tx: Tx): Promise<string[]> {
    const rows: { article_id: string }[] = await tx.query(
      'SELECT article_id FROM article_reviewers WHERE reviewer_id = $1 ORDER BY article_id',
      [reviewerId],
    );
    return rows.map((r) => r.article_id);
  }

  async isAssigned(articleId: string, reviewerId: string, tx: Tx = this.db.manager): Promise<boolean> {
    const rows: unknown[] = await tx.query('SELECT 1 FROM article_reviewers WHERE article_id = $1 AND reviewer_id = $2', [articleId, reviewerId]);
    return rows.length > 0;
  }

  /** Makes the assignment exactly `reviewerIds`; answers who was added and who removed. */
  async replace(articleId: string, reviewerIds: string[], assignedBy: string, tx: Tx): Promise<{ added: string[]; removed: string[] }> {
    const removed = await returning<{ reviewer_id: string }>(
      tx,
      'DELETE FROM article_reviewers WHERE article_id = $1 AND NOT (reviewer_id = ANY($2::uuid[])) RETURNING reviewer_id',
      [articleId, reviewerIds],
    );
    const added: { reviewer_id: string }[] = await tx.query(
      `INSERT INTO article_reviewers (article_id, reviewer_id, assigned_by)
       SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING RETURNING reviewer_id`,
      [articleId, reviewerIds, assignedBy],
    );
    return { added: added.map((r) => r.reviewer_id).sort(), removed: removed.map((r) => r.reviewer_id).sort() };
  }

  async unassign(articleId: string, reviewerId: string, tx: Tx): Promise<void> {
    await tx.query('DELETE FROM article_reviewers WHERE article_id = $1 AND reviewer_id = $2', [articleId, reviewerId]);
  }

  async declaredConflictIds(articleId: string, tx: Tx = this.db.manager): Promise<string[]> {
    const rows: { reviewer_id: string }[] = await tx.query('SELECT reviewer_id FROM conflicts WHERE article_id = $1', [articleId]);
    return rows.map((r) => r.reviewer_id);
  }

  async declareConflict(articleId: string, reviewerId: string, reason: string, tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO conflicts (article_id, reviewer_id, reason) VALUES ($1, $2, $3)
       ON CONFLICT (article_id, reviewer_id) DO UPDATE SET reason = EXCLUDED.reason, declared_at = now()`,
      [articleId, reviewerId, reason],
    );
  }
}
