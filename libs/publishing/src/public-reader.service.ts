import { Injectable } from '@nestjs/common';
import { LiveArticle, PublicationsRepository, PublishedVersionRecord, TransactionRunner } from '@imprimatur/database';
import { decodeCursor, DomainError, notFound, Page, toPage } from '@imprimatur/domain';
import { withAttestationFields } from './document';

export interface PublicRead {
  document: LiveArticle['document'];
  etag: string;
}

const retracted = (live: LiveArticle) =>
  new DomainError('retracted', 'This article was withdrawn by the publisher', { reason: live.retractionReason ?? '' });

/** Everything readers may see; drafts and unpublished revisions have no way in here. */
@Injectable()
export class PublicReader {
  constructor(
    private readonly publications: PublicationsRepository,
    private readonly db: TransactionRunner,
  ) {}

  async live(slug: string): Promise<PublicRead> {
    const live = await this.readable(slug);
    return { document: withAttestationFields(live.document), etag: live.etag };
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

  async version(slug: string, version: number): Promise<PublicRead> {
    const live = await this.readable(slug);
    const found = await this.publications.version(live.articleId, version, this.db.autocommit);
    if (!found) throw notFound(`Version ${version}`);
    return { document: withAttestationFields(found.document), etag: found.etag };
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
