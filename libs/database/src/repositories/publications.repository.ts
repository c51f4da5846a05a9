import { Injectable } from '@nestjs/common';
import { JsonValue } from '@imprimatur/domain';
import { TableColumns } from '../columns';
import { exec, many, maybeOne } from '../sql';
import { Tx } from '../transaction';

export type PublicDocument = { [key: string]: JsonValue };

export interface PublishedVersionRecord {
  articleId: string;
  version: number;
  revision: number;
  document: PublicDocument;
  contentHash: string;
  etag: string;
  publishedAt: Date;
}

export interface VersionChange {
  version: number;
  publishedAt: Date;
  significance: 'clinical' | 'editorial';
  changeSummary: string | null;
}

export interface LiveArticle {
  slug: string;
  articleId: string;
  version: number;
  document: PublicDocument;
  etag: string;
  retractedAt: Date | null;
  retractionReason: string | null;
  updatedAt: Date;
  /**
   * A newer revision of the article is in review (contract §14): kept by the database, in the
   * transaction of every change to the article's state or revisions (migration 1765000000100-ReaderTrust).
   */
  updateInReview: boolean;
}

interface VersionRow {
  article_id: string;
  version: number;
  revision: number;
  document: PublicDocument;
  content_hash: string;
  etag: string;
  published_at: Date;
}

interface LiveRow {
  slug: string;
  article_id: string;
  version: number;
  document: PublicDocument;
  etag: string;
  retracted_at: Date | null;
  retraction_reason: string | null;
  updated_at: Date;
  update_in_review: boolean;
}

export const PUBLISHED_VERSION_COLUMNS = new TableColumns<VersionRow>('published_versions', {
  article_id: true,
  version: true,
  revision: true,
  document: true,
  content_hash: true,
  etag: true,
  published_at: true,
});

export const PUBLIC_ARTICLE_COLUMNS = new TableColumns<LiveRow>('public_articles', {
  slug: true,
  article_id: true,
  version: true,
  document: true,
  etag: true,
  retracted_at: true,
  retraction_reason: true,
  updated_at: true,
  update_in_review: true,
});

const toVersion = (r: VersionRow): PublishedVersionRecord => ({
  articleId: r.article_id,
  version: r.version,
  revision: r.revision,
  document: r.document,
  contentHash: r.content_hash,
  etag: r.etag,
  publishedAt: r.published_at,
});

const toLive = (r: LiveRow): LiveArticle => ({
  slug: r.slug,
  articleId: r.article_id,
  version: r.version,
  document: r.document,
  etag: r.etag,
  retractedAt: r.retracted_at,
  retractionReason: r.retraction_reason,
  updatedAt: r.updated_at,
  updateInReview: r.update_in_review,
});

/** Published versions (immutable) and the live document of each slug (what readers get). */
@Injectable()
export class PublicationsRepository {
  /**
   * The version an approval was published as: one approval publishes once. A re-review publishes the
   * same revision again under a new approval (contract §17), so the revision alone no longer says.
   */
  async versionOfApproval(articleId: string, approvedAt: string, tx: Tx): Promise<PublishedVersionRecord | null> {
    const row = await maybeOne<VersionRow>(
      tx,
      `SELECT ${PUBLISHED_VERSION_COLUMNS.list} FROM published_versions
       WHERE article_id = $1 AND document->>'approvedAt' = $2`,
      [articleId, approvedAt],
    );
    return row ? toVersion(row) : null;
  }

  async latestVersion(articleId: string, tx: Tx): Promise<PublishedVersionRecord | null> {
    const row = await maybeOne<VersionRow>(
      tx,
      `SELECT ${PUBLISHED_VERSION_COLUMNS.list} FROM published_versions WHERE article_id = $1 ORDER BY version DESC LIMIT 1`,
      [articleId],
    );
    return row ? toVersion(row) : null;
  }

  async insertVersion(version: PublishedVersionRecord, tx: Tx): Promise<void> {
    await exec(
      tx,
      `INSERT INTO published_versions (article_id, version, revision, document, content_hash, etag, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        version.articleId,
        version.version,
        version.revision,
        JSON.stringify(version.document),
        version.contentHash,
        version.etag,
        version.publishedAt,
      ],
    );
  }

  /**
   * Makes `version` the live document of its slug, lifting any retraction. `update_in_review` is the
   * database's to keep (a trigger on articles): publishing sets the article's published revision next,
   * in the same transaction, which sets it.
   */
  async goLive(slug: string, version: PublishedVersionRecord, tx: Tx): Promise<void> {
    await exec(
      tx,
      `INSERT INTO public_articles (slug, article_id, version, document, etag, retracted_at, retraction_reason, updated_at)
       VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6)
       ON CONFLICT (slug) DO UPDATE SET version = EXCLUDED.version, document = EXCLUDED.document, etag = EXCLUDED.etag,
         retracted_at = NULL, retraction_reason = NULL, updated_at = EXCLUDED.updated_at`,
      [slug, version.articleId, version.version, JSON.stringify(version.document), version.etag, version.publishedAt],
    );
  }

  async retract(articleId: string, reason: string, at: Date, tx: Tx): Promise<void> {
    await exec(
      tx,
      'UPDATE public_articles SET retracted_at = $2, retraction_reason = $3, updated_at = $2 WHERE article_id = $1',
      [articleId, at, reason],
    );
  }

  async liveOfArticle(articleId: string, tx: Tx): Promise<LiveArticle | null> {
    const row = await maybeOne<LiveRow>(
      tx,
      `SELECT ${PUBLIC_ARTICLE_COLUMNS.list} FROM public_articles WHERE article_id = $1`,
      [articleId],
    );
    return row ? toLive(row) : null;
  }

  /** The readers' hot path: one primary-key lookup of a precomputed document. */
  async liveBySlug(slug: string, tx: Tx): Promise<LiveArticle | null> {
    const row = await maybeOne<LiveRow>(
      tx,
      `SELECT ${PUBLIC_ARTICLE_COLUMNS.list} FROM public_articles WHERE slug = $1`,
      [slug],
    );
    return row ? toLive(row) : null;
  }

  async versionsOf(articleId: string, afterVersion: number, limit: number, tx: Tx): Promise<PublishedVersionRecord[]> {
    const rows = await many<VersionRow>(
      tx,
      `SELECT ${PUBLISHED_VERSION_COLUMNS.list} FROM published_versions WHERE article_id = $1 AND version > $2 ORDER BY version LIMIT $3`,
      [articleId, afterVersion, limit + 1],
    );
    return rows.map(toVersion);
  }

  /**
   * What "Changes to this article" lists: each version's date, significance and change summary, newest
   * first, without reading the whole documents. Versions from before change classes were whole reviews.
   */
  async changeLog(articleId: string, limit: number, tx: Tx): Promise<VersionChange[]> {
    const rows = await many<{
      version: number;
      published_at: Date;
      significance: string | null;
      summary: string | null;
    }>(
      tx,
      `SELECT version, published_at, document->>'significance' AS significance, document->>'changeSummary' AS summary
       FROM published_versions WHERE article_id = $1 ORDER BY version DESC LIMIT $2`,
      [articleId, limit],
    );
    return rows.map((r) => ({
      version: r.version,
      publishedAt: r.published_at,
      significance: r.significance === 'editorial' ? 'editorial' : 'clinical',
      changeSummary: r.summary,
    }));
  }

  async version(articleId: string, version: number, tx: Tx): Promise<PublishedVersionRecord | null> {
    const row = await maybeOne<VersionRow>(
      tx,
      `SELECT ${PUBLISHED_VERSION_COLUMNS.list} FROM published_versions WHERE article_id = $1 AND version = $2`,
      [articleId, version],
    );
    return row ? toVersion(row) : null;
  }

  /** Live (not retracted) articles changed at or after `since`, oldest change first, keyset on (updated_at, slug). */
  async liveChangedSince(
    since: Date | null,
    after: { updatedAt: string; slug: string } | null,
    limit: number,
    tx: Tx,
  ): Promise<LiveArticle[]> {
    const rows = await many<LiveRow>(
      tx,
      `SELECT ${PUBLIC_ARTICLE_COLUMNS.list} FROM public_articles
       WHERE retracted_at IS NULL AND ($1::timestamptz IS NULL OR updated_at >= $1)
         AND ($2::timestamptz IS NULL OR (updated_at, slug) > ($2::timestamptz, $3::text))
       ORDER BY updated_at, slug LIMIT $4`,
      [since, after?.updatedAt ?? null, after?.slug ?? null, limit + 1],
    );
    return rows.map(toLive);
  }

  async newestLive(limit: number, tx: Tx): Promise<LiveArticle[]> {
    const rows = await many<LiveRow>(
      tx,
      `SELECT ${PUBLIC_ARTICLE_COLUMNS.list} FROM public_articles WHERE retracted_at IS NULL ORDER BY updated_at DESC, slug DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toLive);
  }

  /** Sets the review calendar and the live version on the article row. */
  async markPublished(
    articleId: string,
    fields: { version: number; revision: number; lastUpdated: string; lastReviewed: string; nextReviewDue: string },
    tx: Tx,
  ): Promise<void> {
    await exec(
      tx,
      `UPDATE articles SET published_version = $2, published_revision = $3, last_updated = $4, last_reviewed = $5,
         next_review_due = $6, review_due = false, review_due_reason = NULL, re_review_at = NULL, updated_at = now()
       WHERE id = $1`,
      [articleId, fields.version, fields.revision, fields.lastUpdated, fields.lastReviewed, fields.nextReviewDue],
    );
  }
}
