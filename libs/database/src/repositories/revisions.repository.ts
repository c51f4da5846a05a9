import { Injectable } from '@nestjs/common';
import {
  AudienceVariant,
  ChangeClass,
  ContentChange,
  Reference,
  RevisionRecord,
  VariantHtml,
} from '@imprimatur/domain';
import { TableColumns } from '../columns';
import { many, maybeOne, one } from '../sql';
import { Tx } from '../transaction';

interface RevisionRow {
  article_id: string;
  number: number;
  title: string;
  summary: string | null;
  body: string;
  references: Reference[];
  specialties: string[];
  review_interval_days: number | null;
  variants: AudienceVariant[];
  variants_html: VariantHtml[];
  change_class: ChangeClass | null;
  change_base: number | null;
  changes: ContentChange[];
  change_note: string | null;
  author_id: string;
  summary_html: string | null;
  body_html: string;
  content_hash: string;
  created_at: Date;
}

export const REVISION_COLUMNS = new TableColumns<RevisionRow>('revisions', {
  article_id: true,
  number: true,
  title: true,
  summary: true,
  body: true,
  references: true,
  specialties: true,
  review_interval_days: true,
  variants: true,
  variants_html: true,
  change_class: true,
  change_base: true,
  changes: true,
  change_note: true,
  author_id: true,
  summary_html: true,
  body_html: true,
  content_hash: true,
  created_at: true,
});

const toRevision = (r: RevisionRow): RevisionRecord => ({
  articleId: r.article_id,
  number: r.number,
  title: r.title,
  summary: r.summary,
  body: r.body,
  references: r.references,
  specialties: r.specialties,
  reviewIntervalDays: r.review_interval_days,
  variants: r.variants,
  variantsHtml: r.variants_html,
  changeClass: r.change_class,
  changeBase: r.change_base,
  changes: r.changes,
  changeNote: r.change_note,
  authorId: r.author_id,
  summaryHtml: r.summary_html,
  bodyHtml: r.body_html,
  contentHash: r.content_hash,
  createdAt: r.created_at,
});

@Injectable()
export class RevisionsRepository {
  async insert(revision: Omit<RevisionRecord, 'createdAt'>, tx: Tx): Promise<RevisionRecord> {
    const row = await one<RevisionRow>(
      tx,
      `INSERT INTO revisions (article_id, number, title, summary, body, "references", specialties, review_interval_days, variants, variants_html, change_class, change_base, changes, change_note, author_id, summary_html, body_html, content_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       RETURNING ${REVISION_COLUMNS.list}`,
      [
        revision.articleId,
        revision.number,
        revision.title,
        revision.summary,
        revision.body,
        JSON.stringify(revision.references),
        revision.specialties,
        revision.reviewIntervalDays,
        JSON.stringify(revision.variants),
        JSON.stringify(revision.variantsHtml),
        revision.changeClass,
        revision.changeBase,
        JSON.stringify(revision.changes),
        revision.changeNote,
        revision.authorId,
        revision.summaryHtml,
        revision.bodyHtml,
        revision.contentHash,
      ],
    );
    return toRevision(row);
  }

  async find(articleId: string, number: number, tx: Tx): Promise<RevisionRecord | null> {
    const row = await maybeOne<RevisionRow>(
      tx,
      `SELECT ${REVISION_COLUMNS.list} FROM revisions WHERE article_id = $1 AND number = $2`,
      [articleId, number],
    );
    return row ? toRevision(row) : null;
  }

  /** Oldest first, after revision `afterNumber`. */
  async list(articleId: string, afterNumber: number, limit: number, tx: Tx): Promise<RevisionRecord[]> {
    const rows = await many<RevisionRow>(
      tx,
      `SELECT ${REVISION_COLUMNS.list} FROM revisions WHERE article_id = $1 AND number > $2 ORDER BY number LIMIT $3`,
      [articleId, afterNumber, limit + 1],
    );
    return rows.map(toRevision);
  }

  /** The class and changes of each article's current revision, in one query (for a page of article views). */
  async significanceOfCurrent(
    articleIds: string[],
    tx: Tx,
  ): Promise<Map<string, Pick<RevisionRecord, 'changeClass' | 'changeBase' | 'changes'>>> {
    const rows = await many<Pick<RevisionRow, 'article_id' | 'change_class' | 'change_base' | 'changes'>>(
      tx,
      `SELECT r.article_id, r.change_class, r.change_base, r.changes
       FROM revisions r JOIN articles a ON a.id = r.article_id AND a.current_revision = r.number
       WHERE r.article_id = ANY($1::uuid[])`,
      [articleIds],
    );
    return new Map(
      rows.map((r) => [r.article_id, { changeClass: r.change_class, changeBase: r.change_base, changes: r.changes }]),
    );
  }

  /** The change notes of revisions after `afterNumber` up to `upTo`, oldest first (what a new version includes). */
  async changeNotesBetween(articleId: string, afterNumber: number, upTo: number, tx: Tx): Promise<string[]> {
    const rows = await many<Pick<RevisionRow, 'change_note'>>(
      tx,
      `SELECT change_note FROM revisions WHERE article_id = $1 AND number > $2 AND number <= $3
         AND change_note IS NOT NULL ORDER BY number`,
      [articleId, afterNumber, upTo],
    );
    return rows.map((r) => r.change_note ?? '');
  }

  /** Everyone who wrote a revision of the article: its editors, and never its reviewers. */
  async authorIds(articleId: string, tx: Tx): Promise<string[]> {
    const rows = await many<Pick<RevisionRow, 'author_id'>>(
      tx,
      'SELECT DISTINCT author_id FROM revisions WHERE article_id = $1',
      [articleId],
    );
    return rows.map((r) => r.author_id);
  }
}
