import { Injectable } from '@nestjs/common';
import type { Task } from '@imprimatur/domain';
import { many } from '../sql';
import { Tx } from '../transaction';

interface ReviewTaskRow {
  article_id: string;
  title: string;
  revision: number;
  re_review_at: Date | null;
  since: Date;
  due_at: Date | null;
}

interface ArticleTaskRow {
  article_id: string;
  title: string;
  revision: number;
  since: Date;
}

export interface OverdueAssignment {
  articleId: string;
  reviewerId: string;
  title: string;
  revision: number;
  dueAt: Date;
}

/**
 * What waits on whom (contract §17), each kind one query down an index: a reviewer's assignments
 * (article_reviewers_reviewer), an editor's articles (articles_author_created), the submitted articles
 * (articles_state_created), the live articles due for review (articles_review_due). No table is scanned.
 */
@Injectable()
export class TasksRepository {
  /**
   * A reviewer's reviews still to give: assigned, not in conflict, the article submitted or under
   * review, and no counted decision of theirs on its current revision. The due date is the admin's or
   * REVIEW_SLA_DAYS after the later of assignment and submission (computed here, so one setting rules all).
   */
  async reviewsOf(reviewerId: string, slaDays: number, tx: Tx): Promise<Omit<Task, 'overdue'>[]> {
    const rows = await many<ReviewTaskRow>(
      tx,
      `SELECT a.id AS article_id, a.title, a.current_revision AS revision, a.re_review_at,
              greatest(r.assigned_at, coalesce(a.re_review_at, a.submitted_at, r.assigned_at)) AS since,
              coalesce(r.due_at, greatest(r.assigned_at, coalesce(a.re_review_at, a.submitted_at)) + make_interval(days => $2))
                AS due_at
       FROM article_reviewers r JOIN articles a ON a.id = r.article_id
       WHERE r.reviewer_id = $1 AND a.state IN ('submitted', 'under_review')
         AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.article_id = a.id AND c.reviewer_id = r.reviewer_id)
         AND NOT EXISTS (
           SELECT 1 FROM signoffs s WHERE s.article_id = a.id AND s.revision = a.current_revision
             AND s.reviewer_id = r.reviewer_id AND s.status = 'counted'
         )`,
      [reviewerId, slaDays],
    );
    return rows.map((r) => ({
      kind: r.re_review_at ? 're_review' : 'review',
      articleId: r.article_id,
      title: r.title,
      revision: r.revision,
      dueAt: r.due_at,
      since: r.since,
    }));
  }

  /** An editor's articles the board sent back. */
  async revisionsOf(editorId: string, tx: Tx): Promise<Omit<Task, 'overdue'>[]> {
    const rows = await many<ArticleTaskRow>(
      tx,
      `SELECT id AS article_id, title, current_revision AS revision, updated_at AS since
       FROM articles WHERE author_id = $1 AND state = 'changes_requested'`,
      [editorId],
    );
    return rows.map((r) => ({
      kind: 'revise',
      articleId: r.article_id,
      title: r.title,
      revision: r.revision,
      dueAt: null,
      since: r.since,
    }));
  }

  /** For admins: submitted articles with fewer assigned reviewers than the quorum. */
  async assignmentsNeeded(quorum: number, tx: Tx): Promise<Omit<Task, 'overdue'>[]> {
    const rows = await many<ArticleTaskRow>(
      tx,
      `SELECT a.id AS article_id, a.title, a.current_revision AS revision, coalesce(a.submitted_at, a.updated_at) AS since
       FROM articles a
       WHERE a.state = 'submitted'
         AND (SELECT count(*) FROM article_reviewers r WHERE r.article_id = a.id) < $1`,
      [quorum],
    );
    return rows.map((r) => ({
      kind: 'assign',
      articleId: r.article_id,
      title: r.title,
      revision: r.revision,
      dueAt: null,
      since: r.since,
    }));
  }

  /** For admins: live articles due for review that no re-review has been opened for yet (contract §6, §17). */
  async reReviewsToOpen(tx: Tx): Promise<Omit<Task, 'overdue'>[]> {
    const rows = await many<ArticleTaskRow & { next_review_due: string | null }>(
      tx,
      `SELECT id AS article_id, title, current_revision AS revision, next_review_due, updated_at AS since
       FROM articles WHERE review_due AND state = 'approved' AND re_review_at IS NULL`,
    );
    return rows.map((r) => ({
      kind: 're_review',
      articleId: r.article_id,
      title: r.title,
      revision: r.revision,
      dueAt: r.next_review_due ? new Date(`${r.next_review_due}T00:00:00Z`) : null,
      since: r.since,
    }));
  }

  /**
   * Assignments whose due date passed by `asOf` without a decision on the current revision, a page at a
   * time in (article, reviewer) order, for the daily overdue reminder.
   */
  async overdue(
    asOf: Date,
    slaDays: number,
    after: { articleId: string; reviewerId: string },
    limit: number,
    tx: Tx,
  ): Promise<OverdueAssignment[]> {
    const rows = await many<{ article_id: string; reviewer_id: string; title: string; revision: number; due_at: Date }>(
      tx,
      `SELECT * FROM (
         SELECT a.id AS article_id, r.reviewer_id, a.title, a.current_revision AS revision,
                coalesce(r.due_at, greatest(r.assigned_at, coalesce(a.re_review_at, a.submitted_at)) + make_interval(days => $2))
                  AS due_at
         FROM articles a JOIN article_reviewers r ON r.article_id = a.id
         WHERE a.state IN ('submitted', 'under_review') AND (a.id, r.reviewer_id) > ($3::uuid, $4::uuid)
           AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.article_id = a.id AND c.reviewer_id = r.reviewer_id)
           AND NOT EXISTS (
             SELECT 1 FROM signoffs s WHERE s.article_id = a.id AND s.revision = a.current_revision
               AND s.reviewer_id = r.reviewer_id AND s.status = 'counted'
           )
       ) t WHERE t.due_at < $1
       ORDER BY t.article_id, t.reviewer_id LIMIT $5`,
      [asOf, slaDays, after.articleId, after.reviewerId, limit],
    );
    return rows.map((r) => ({
      articleId: r.article_id,
      reviewerId: r.reviewer_id,
      title: r.title,
      revision: r.revision,
      dueAt: r.due_at,
    }));
  }
}
