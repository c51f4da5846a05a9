import { Injectable } from '@nestjs/common';
import { ReviewerRecord } from '@imprimatur/domain';
import { TableColumns } from '../columns';
import { exec, many, maybeOne } from '../sql';
import { Tx } from '../transaction';

interface ArticleReviewerRow {
  article_id: string;
  reviewer_id: string;
  assigned_at: Date;
  /** Set by the admin; null: REVIEW_SLA_DAYS after the later of assignment and submission. */
  due_at: Date | null;
}

export const ARTICLE_REVIEWER_COLUMNS = new TableColumns<ArticleReviewerRow>(
  'article_reviewers',
  { article_id: true, reviewer_id: true, assigned_at: true, due_at: true },
  { assigned_by: 'written for the record; who assigned is read from the audit log' },
);

interface ConflictRow {
  article_id: string;
  reviewer_id: string;
}

export const CONFLICT_COLUMNS = new TableColumns<ConflictRow>(
  'conflicts',
  { article_id: true, reviewer_id: true },
  {
    reason: 'written for the record (and in the audit entry); only who declared a conflict is read',
    declared_at: 'written for the record; only who declared a conflict is read',
  },
);

@Injectable()
export class ReviewersRepository {
  /**
   * The assigned reviewers of several articles at once, so a page of articles costs one query, each with
   * the due date of their review (contract §17): the admin's, else `slaDays` after the later of the
   * assignment and the article's latest submission (or re-review); null before the article was submitted.
   */
  async assignedTo(articleIds: string[], slaDays: number, tx: Tx): Promise<Map<string, ReviewerRecord[]>> {
    const rows = await many<
      Pick<ArticleReviewerRow, 'article_id' | 'assigned_at' | 'due_at'> & {
        id: string;
        name: string;
        credentials: string | null;
      }
    >(
      tx,
      `SELECT r.article_id, u.id, u.name, u.credentials, r.assigned_at,
              coalesce(r.due_at, greatest(r.assigned_at, coalesce(a.re_review_at, a.submitted_at)) + make_interval(days => $2))
                AS due_at
       FROM article_reviewers r JOIN users u ON u.id = r.reviewer_id JOIN articles a ON a.id = r.article_id
       WHERE r.article_id = ANY($1::uuid[]) ORDER BY r.assigned_at, u.name`,
      [articleIds, slaDays],
    );
    const byArticle = new Map<string, ReviewerRecord[]>(articleIds.map((id) => [id, []]));
    for (const r of rows)
      byArticle
        .get(r.article_id)
        ?.push({ id: r.id, name: r.name, credentials: r.credentials, assignedAt: r.assigned_at, dueAt: r.due_at });
    return byArticle;
  }

  /** Sets (or, with null, clears back to the default) the due date of assignments of an article. */
  async setDueAt(articleId: string, reviewerIds: readonly string[], dueAt: Date | null, tx: Tx): Promise<void> {
    await exec(tx, 'UPDATE article_reviewers SET due_at = $3 WHERE article_id = $1 AND reviewer_id = ANY($2::uuid[])', [
      articleId,
      reviewerIds,
      dueAt,
    ]);
  }

  /**
   * The assigned reviewers who may sign off today: active users who still hold the `reviewer` role.
   * Someone deactivated or demoted after signing stays assigned (and on record) but stops counting.
   */
  async eligibleAssignedIds(articleId: string, tx: Tx): Promise<string[]> {
    const rows = await many<Pick<ArticleReviewerRow, 'reviewer_id'>>(
      tx,
      `SELECT r.reviewer_id FROM article_reviewers r JOIN users u ON u.id = r.reviewer_id
       WHERE r.article_id = $1 AND u.active AND 'reviewer' = ANY(u.roles)`,
      [articleId],
    );
    return rows.map((r) => r.reviewer_id);
  }

  /** The articles a reviewer is assigned to, in id order (the order to lock them in). */
  async articlesOf(reviewerId: string, tx: Tx): Promise<string[]> {
    const rows = await many<Pick<ArticleReviewerRow, 'article_id'>>(
      tx,
      'SELECT article_id FROM article_reviewers WHERE reviewer_id = $1 ORDER BY article_id',
      [reviewerId],
    );
    return rows.map((r) => r.article_id);
  }

  async isAssigned(articleId: string, reviewerId: string, tx: Tx): Promise<boolean> {
    return (
      (await maybeOne(tx, 'SELECT 1 FROM article_reviewers WHERE article_id = $1 AND reviewer_id = $2', [
        articleId,
        reviewerId,
      ])) !== null
    );
  }

  /** Makes the assignment exactly `reviewerIds`; answers who was added and who removed. */
  async replace(
    articleId: string,
    reviewerIds: string[],
    assignedBy: string,
    tx: Tx,
  ): Promise<{ added: string[]; removed: string[] }> {
    const removed = await many<Pick<ArticleReviewerRow, 'reviewer_id'>>(
      tx,
      'DELETE FROM article_reviewers WHERE article_id = $1 AND NOT (reviewer_id = ANY($2::uuid[])) RETURNING reviewer_id',
      [articleId, reviewerIds],
    );
    const added = await many<Pick<ArticleReviewerRow, 'reviewer_id'>>(
      tx,
      `INSERT INTO article_reviewers (article_id, reviewer_id, assigned_by)
       SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING RETURNING reviewer_id`,
      [articleId, reviewerIds, assignedBy],
    );
    return { added: added.map((r) => r.reviewer_id).sort(), removed: removed.map((r) => r.reviewer_id).sort() };
  }

  async unassign(articleId: string, reviewerId: string, tx: Tx): Promise<void> {
    await exec(tx, 'DELETE FROM article_reviewers WHERE article_id = $1 AND reviewer_id = $2', [articleId, reviewerId]);
  }

  async declaredConflictIds(articleId: string, tx: Tx): Promise<string[]> {
    const rows = await many<Pick<ConflictRow, 'reviewer_id'>>(
      tx,
      'SELECT reviewer_id FROM conflicts WHERE article_id = $1',
      [articleId],
    );
    return rows.map((r) => r.reviewer_id);
  }

  async declareConflict(articleId: string, reviewerId: string, reason: string, tx: Tx): Promise<void> {
    await exec(
      tx,
      `INSERT INTO conflicts (article_id, reviewer_id, reason) VALUES ($1, $2, $3)
       ON CONFLICT (article_id, reviewer_id) DO UPDATE SET reason = EXCLUDED.reason, declared_at = now()`,
      [articleId, reviewerId, reason],
    );
  }
}
