import { Injectable } from '@nestjs/common';
import {
  LiveArticle,
  PublicationsRepository,
  PublicDocument,
  PublishedVersionRecord,
  TransactionRunner,
  VersionChange,
} from '@imprimatur/database';
import { Audience, decodeCursor, DomainError, notFound, Page, toPage } from '@imprimatur/domain';
import { inAudience } from './audiences';
import {
  PublicArticleDocument,
  PublishedDocument,
  servedEtag,
  withAudienceFields,
  withCurrentFields,
} from './document';

export interface PublicRead {
  /**
   * The document as served. Without an audience it is the signed one exactly (plus `updateInReview`);
   * on a version attested before audiences existed that one lacks `audience`, `audiences` and
   * `variants` (see withCurrentFields), which is why the reader pages always ask for an audience.
   */
  document: PublicArticleDocument;
  etag: string;
}

const retracted = (live: LiveArticle) =>
  new DomainError('retracted', 'This article was withdrawn by the publisher', { reason: live.retractionReason ?? '' });

/**
 * One version as one request gets it: the stored document, told for the audience asked for (none:
 * the signed document itself), with the article's `updateInReview` as it is now.
 */
function served(stored: PublicDocument, etag: string, audience: Audience | null, updateInReview: boolean): PublicRead {
  const published = withCurrentFields(stored);
  const view =
    audience === null ? published : inAudience(withAudienceFields(published) as unknown as PublishedDocument, audience);
  return {
    document: { ...(view as unknown as PublishedDocument), updateInReview },
    etag: servedEtag(etag, audience, updateInReview),
  };
}

/**
 * Everything readers may see; drafts and unpublished revisions have no way in here. Each read of a
 * document is one primary-key lookup of the live row (plus one of the version for earlier versions):
 * `updateInReview` is kept on that row by the database (migration 1765000000100-ReaderTrust).
 */
@Injectable()
export class PublicReader {
  constructor(
    private readonly publications: PublicationsRepository,
    private readonly db: TransactionRunner,
  ) {}

  async live(slug: string, audience: Audience | null = null): Promise<PublicRead> {
    const live = await this.readable(slug);
    return served(live.document, live.etag, audience, live.updateInReview);
  }

  async versions(slug: string, limit: number, cursor?: string): Promise<Page<PublishedVersionRecord>> {
    const live = await this.readable(slug);
    const after = cursor ? Number(decodeCursor(cursor, ['int'])[0]) : 0;
    const rows = await this.publications.versionsOf(live.articleId, after, limit, this.db.autocommit);
    return toPage(
      rows,
      limit,
      (v) => [v.version],
      (v) => v,
    );
  }

  /** An earlier version carries the article's `updateInReview` as it is now: it is about the article, not the version. */
  async version(slug: string, version: number, audience: Audience | null = null): Promise<PublicRead> {
    const live = await this.readable(slug);
    const found = await this.publications.version(live.articleId, version, this.db.autocommit);
    if (!found) throw notFound(`Version ${version}`);
    return served(found.document, found.etag, audience, live.updateInReview);
  }

  /** "Changes to this article" (contract §14): the live article's versions, newest first. */
  async changeLog(slug: string, limit: number): Promise<VersionChange[]> {
    const live = await this.readable(slug);
    return this.publications.changeLog(live.articleId, limit, this.db.autocommit);
  }

  async changedSince(since: Date | null, limit: number, cursor?: string): Promise<Page<LiveArticle>> {
    const after = cursor ? decodeCursor(cursor, ['date', 'string']) : null;
    const rows = await this.publications.liveChangedSince(
      since,
      after ? { updatedAt: String(after[0]), slug: String(after[1]) } : null,
      limit,
      this.db.autocommit,
    );
    return toPage(
      rows,
      limit,
      (a) => [a.updatedAt.toISOString(), a.slug],
      (a) => a,
    );
  }

  newest(limit: number): Promise<LiveArticle[]> {
    return this.publications.newestLive(limit, this.db.autocommit);
  }

  private async readable(slug: string): Promise<LiveArticle> {
    const live = await this.publications.liveBySlug(slug, this.db.autocommit);
    if (!live) throw notFound('Article');
    if (live.retractedAt) throw retracted(live);
    return live;
  }
}
