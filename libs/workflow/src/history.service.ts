import { Injectable } from '@nestjs/common';
import { createPatch } from 'diff';
import { ArticlesRepository, AuditQueryRepository, RevisionsRepository, TransactionRunner } from '@imprimatur/database';
import { AuditEntry, decodeCursor, diffReferences, notFound, Page, ReferenceChanges, toPage } from '@imprimatur/domain';

export interface RevisionDiff {
  from: number;
  to: number;
  title: { before: string; after: string } | null;
  summary: string;
  body: string;
  references: ReferenceChanges;
}

/** A unified diff, or '' when the two texts are equal. */
function unified(name: string, before: string, after: string, from: number, to: number): string {
  return before === after ? '' : createPatch(name, before, after, `revision ${from}`, `revision ${to}`);
}

/**
 * An article's history and its revisions compared. Every change to an article appends an audit
 * entry in its own transaction, so the article's audit entries, in chain order, are its timeline.
 */
@Injectable()
export class HistoryService {
  constructor(
    private readonly articles: ArticlesRepository,
    private readonly revisions: RevisionsRepository,
    private readonly audit: AuditQueryRepository,
    private readonly db: TransactionRunner,
  ) {}

  async timeline(articleId: string, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
    if (!(await this.articles.findById(articleId, this.db.autocommit))) throw notFound('Article');
    const after = cursor ? Number(decodeCursor(cursor, ['number'])[0]) : null;
    const rows = await this.audit.page({ articleId }, after, limit + 1, 'asc', this.db.autocommit);
    return toPage(
      rows,
      limit,
      (e) => [e.seq],
      (e) => e,
    );
  }

  async diff(articleId: string, from: number, to: number): Promise<RevisionDiff> {
    const [before, after] = await Promise.all([
      this.revisions.find(articleId, from, this.db.autocommit),
      this.revisions.find(articleId, to, this.db.autocommit),
    ]);
    if (!before || !after) {
      if (!(await this.articles.findById(articleId, this.db.autocommit))) throw notFound('Article');
      throw notFound(`Revision ${before ? to : from}`);
    }
    return {
      from,
      to,
      title: before.title === after.title ? null : { before: before.title, after: after.title },
      summary: unified('summary', before.summary ?? '', after.summary ?? '', from, to),
      body: unified('body', before.body, after.body, from, to),
      references: diffReferences(before.references, after.references),
    };
  }
}
