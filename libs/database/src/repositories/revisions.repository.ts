import { Injectable } from '@nestjs/common';
import { Reference, RevisionRecord } from '@imprimatur/domain';
import { TransactionRunner, Tx } from '../transaction';

interface RevisionRow {
  article_id: string;
  number: number;
  title: string;
  summary: string | null;
  body: string;
  references: Reference[];
  specialties: string[];
  review_interval_days: number | null;
  change_note: string | null;
  author_id: string;
  content_hash: string;
  created_at: Date;
}

const toRevision = (r: RevisionRow): RevisionRecord => ({
  articleId: r.article_id,
  number: r.number,
  title: r.title,
  summary: r.summary,
  body: r.body,
  references: r.references,
  specialties: r.specialties,
  reviewIntervalDays: r.review_interval_days,
  changeNote: r.change_note,
  authorId: r.author_id,
  contentHash: r.content_hash,
  createdAt: r.created_at,
});

@Injectable()
export class RevisionsRepository {
  constructor(private readonly db: TransactionRunner) {}

  async insert(revision: Omit<RevisionRecord, 'createdAt'>, tx: Tx): Promise<RevisionRecord> {
    const rows: RevisionRow[] = await tx.query(
      `INSERT INTO revisions (article_id, number, title, summary, body, "references", specialties, review_interval_days, change_note, author_id, content_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
      [
        revision.articleId,
        revision.number,
        revision.title,
        revision.summary,
        revision.body,
        JSON.stringify(revision.references),
        revision.specialties,
        revision.reviewIntervalDays,
        revision.changeNote,
        revision.authorId,
        revision.contentHash,
      ],
    );
    return toRevision(rows[0]);
  }

  async find(articleId: string, number: number, tx: Tx = this.db.manager): Promise<RevisionRecord | null> {
    const rows: RevisionRow[] = await tx.query('SELECT * FROM revisions WHERE article_id = $1 AND number = $2', [articleId, number]);
    return rows[0] ? toRevision(rows[0]) : null;
  }

  /** Oldest first, after revision `afterNumber`. */
  async list(articleId: string, afterNumber: number, limit: number): Promise<RevisionRecord[]> {
    const rows: RevisionRow[] = await this.db.manager.query(
      'SELECT * FROM revisions WHERE article_id = $1 AND number > $2 ORDER BY number LIMIT $3',
      [articleId, afterNumber, limit + 1],
    );
    return rows.map(toRevision);
  }

  /** Everyone who wrote a revision of the article: its editors, and never its reviewers. */
  async authorIds(articleId: string, tx: Tx = this.db.manager): Promise<string[]> {
    const rows: { author_id: string }[] = await tx.query('SELECT DISTINCT author_id FROM revisions WHERE article_id = $1', [articleId]);
    return rows.map((r) => r.author_id);
  }
}
