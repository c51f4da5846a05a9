import { Injectable } from '@nestjs/common';
import { ArticleRecord, ArticleState, ReviewDueReason } from '@imprimatur/domain';
import { TableColumns } from '../columns';
import { exec, many, maybeOne, one } from '../sql';
import { Tx } from '../transaction';

interface ArticleRow {
  id: string;
  slug: string;
  state: ArticleState;
  author_id: string;
  current_revision: number;
  current_content_hash: string;
  title: string;
  published_version: number | null;
  published_revision: number | null;
  review_due_version: number | null;
  publish_at: Date | null;
  review_due: boolean;
  review_due_reason: ReviewDueReason | null;
  submitted_at: Date | null;
  review_resumes: boolean;
  re_review_at: Date | null;
  last_updated: string | null;
  last_reviewed: string | null;
  next_review_due: string | null;
  approved_at: Date | null;
  archived_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

export const ARTICLE_COLUMNS = new TableColumns<ArticleRow>('articles', {
  id: true,
  slug: true,
  state: true,
  author_id: true,
  current_revision: true,
  current_content_hash: true,
  title: true,
  published_version: true,
  published_revision: true,
  review_due_version: true,
  publish_at: true,
  review_due: true,
  review_due_reason: true,
  submitted_at: true,
  review_resumes: true,
  re_review_at: true,
  last_updated: true,
  last_reviewed: true,
  next_review_due: true,
  approved_at: true,
  archived_reason: true,
  created_at: true,
  updated_at: true,
});

const toArticle = (r: ArticleRow): ArticleRecord => ({
  id: r.id,
  slug: r.slug,
  state: r.state,
  authorId: r.author_id,
  currentRevision: r.current_revision,
  currentContentHash: r.current_content_hash,
  title: r.title,
  publishedVersion: r.published_version,
  publishedRevision: r.published_revision,
  reviewDueVersion: r.review_due_version,
  publishAt: r.publish_at,
  reviewDue: r.review_due,
  reviewDueReason: r.review_due_reason,
  submittedAt: r.submitted_at,
  reviewResumes: r.review_resumes,
  reReviewAt: r.re_review_at,
  lastUpdated: r.last_updated,
  lastReviewed: r.last_reviewed,
  nextReviewDue: r.next_review_due,
  approvedAt: r.approved_at,
  archivedReason: r.archived_reason,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface ArticleFilters {
  state?: ArticleState;
  authorId?: string;
  reviewerId?: string;
  reviewDue?: boolean;
  q?: string;
}

export type ArticleChanges = Partial<
  Pick<
    ArticleRecord,
    | 'state'
    | 'currentRevision'
    | 'currentContentHash'
    | 'title'
    | 'publishAt'
    | 'approvedAt'
    | 'archivedReason'
    | 'submittedAt'
    | 'reviewResumes'
    | 'reReviewAt'
  >
>;

const CHANGED_COLUMNS: Record<keyof ArticleChanges, keyof ArticleRow> = {
  state: 'state',
  currentRevision: 'current_revision',
  currentContentHash: 'current_content_hash',
  title: 'title',
  publishAt: 'publish_at',
  approvedAt: 'approved_at',
  archivedReason: 'archived_reason',
  submittedAt: 'submitted_at',
  reviewResumes: 'review_resumes',
  reReviewAt: 're_review_at',
};

@Injectable()
export class ArticlesRepository {
  async insert(
    article: { slug: string; authorId: string; title: string; contentHash: string },
    tx: Tx,
  ): Promise<ArticleRecord> {
    const row = await one<ArticleRow>(
      tx,
      `INSERT INTO articles (slug, state, author_id, current_revision, current_content_hash, title)
       VALUES ($1, 'draft', $2, 1, $3, $4) RETURNING ${ARTICLE_COLUMNS.list}`,
      [article.slug, article.authorId, article.contentHash, article.title],
    );
    return toArticle(row);
  }

  async findById(id: string, tx: Tx): Promise<ArticleRecord | null> {
    const row = await maybeOne<ArticleRow>(tx, `SELECT ${ARTICLE_COLUMNS.list} FROM articles WHERE id = $1`, [id]);
    return row ? toArticle(row) : null;
  }

  /** Reads the article and locks its row until the transaction ends: every workflow change starts here. */
  async lock(id: string, tx: Tx): Promise<ArticleRecord | null> {
    const row = await maybeOne<ArticleRow>(
      tx,
      `SELECT ${ARTICLE_COLUMNS.list} FROM articles WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row ? toArticle(row) : null;
  }

  /** Slugs equal to `base` or of the form `base-N`, to pick the next free one. */
  async slugsLike(base: string, tx: Tx): Promise<string[]> {
    const rows = await many<Pick<ArticleRow, 'slug'>>(
      tx,
      `SELECT slug FROM articles WHERE slug = $1 OR slug ~ ('^' || $1 || '-[0-9]+$')`,
      [base],
    );
    return rows.map((r) => r.slug);
  }

  /** Published articles after `afterId` in id order, for jobs that walk them all a page at a time. */
  async publishedAfter(afterId: string, limit: number, tx: Tx): Promise<ArticleRecord[]> {
    const rows = await many<ArticleRow>(
      tx,
      `SELECT ${ARTICLE_COLUMNS.list} FROM articles WHERE published_version IS NOT NULL AND id > $1 ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map(toArticle);
  }

  /**
   * Locks the next page of published articles due for review on `asOf` that were not yet flagged
   * for their current published version.
   */
  async lockDueForReview(asOf: string, afterId: string, limit: number, tx: Tx): Promise<ArticleRecord[]> {
    const rows = await many<ArticleRow>(
      tx,
      `SELECT ${ARTICLE_COLUMNS.list} FROM articles
       WHERE published_version IS NOT NULL AND next_review_due <= $1::date AND id > $2
         AND review_due_version IS DISTINCT FROM published_version
       ORDER BY id LIMIT $3 FOR UPDATE`,
      [asOf, afterId, limit],
    );
    return rows.map(toArticle);
  }

  /** A retraction outranks the calendar: once an article is due because of one, it says so until reviewed. */
  async markReviewDue(id: string, version: number, reason: ReviewDueReason, tx: Tx): Promise<void> {
    await exec(
      tx,
      `UPDATE articles SET review_due = true, review_due_version = $2,
         review_due_reason = CASE WHEN review_due AND review_due_reason = 'retraction' THEN 'retraction' ELSE $3 END
       WHERE id = $1`,
      [id, version, reason],
    );
  }

  async update(id: string, changes: ArticleChanges, tx: Tx): Promise<ArticleRecord> {
    const sets: string[] = ['updated_at = now()'];
    const values: unknown[] = [id];
    for (const [key, value] of Object.entries(changes) as [keyof ArticleChanges, unknown][]) {
      values.push(value);
      sets.push(`${CHANGED_COLUMNS[key]} = $${values.length}`);
    }
    const row = await one<ArticleRow>(
      tx,
      `UPDATE articles SET ${sets.join(', ')} WHERE id = $1 RETURNING ${ARTICLE_COLUMNS.list}`,
      values,
    );
    return toArticle(row);
  }

  /** Newest first, keyset-paginated on (created_at, id); every filter has an index to use. */
  async list(
    filters: ArticleFilters,
    after: { createdAt: string; id: string } | null,
    limit: number,
    tx: Tx,
  ): Promise<ArticleRecord[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const param = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    if (filters.state) where.push(`a.state = ${param(filters.state)}`);
    if (filters.authorId) where.push(`a.author_id = ${param(filters.authorId)}`);
    if (filters.reviewerId) {
      where.push(
        `EXISTS (SELECT 1 FROM article_reviewers r WHERE r.article_id = a.id AND r.reviewer_id = ${param(filters.reviewerId)})`,
      );
    }
    if (filters.reviewDue !== undefined) where.push(`a.review_due = ${param(filters.reviewDue)}`);
    if (filters.q) where.push(`a.title ILIKE ${param(`%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
    if (after) where.push(`(a.created_at, a.id) < (${param(after.createdAt)}::timestamptz, ${param(after.id)}::uuid)`);
    const rows = await many<ArticleRow>(
      tx,
      `SELECT ${ARTICLE_COLUMNS.of('a')} FROM articles a ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY a.created_at DESC, a.id DESC LIMIT ${param(limit + 1)}`,
      values,
    );
    return rows.map(toArticle);
  }
}
