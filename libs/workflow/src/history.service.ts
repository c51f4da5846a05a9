import { Injectable } from '@nestjs/common';
import { createPatch } from 'diff';
import {
  ArticlesRepository,
  AuditQueryRepository,
  CommentsRepository,
  RevisionsRepository,
  TransactionRunner,
} from '@imprimatur/database';
import {
  AuditEntry,
  decodeCursor,
  diffReferences,
  notFound,
  Page,
  ReferenceChanges,
  toPage,
  VARIANT_AUDIENCES,
  VariantAudience,
} from '@imprimatur/domain';

export interface VariantDiff {
  audience: VariantAudience;
  /** added or removed between the two revisions, changed, or unchanged. */
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  /** The variant's own title as written (null: the article's); null when it did not change. */
  title: { before: string | null; after: string | null } | null;
  summary: string;
  body: string;
}

export interface RevisionDiff {
  from: number;
  to: number;
  title: { before: string; after: string } | null;
  summary: string;
  body: string;
  references: ReferenceChanges;
  /** One entry per audience that has a variant in either revision (contract §13), in audience order. */
  variants: VariantDiff[];
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
    private readonly comments: CommentsRepository,
  ) {}

  /** The texts of the article's comments that a timeline page names (comment events), by comment id. */
  commentTexts(articleId: string, commentIds: readonly string[]): Promise<Map<string, string>> {
    return this.comments.bodies(articleId, commentIds, this.db.autocommit);
  }

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
      variants: VARIANT_AUDIENCES.flatMap((audience) => {
        const old = before.variants.find((v) => v.audience === audience);
        const now = after.variants.find((v) => v.audience === audience);
        if (!old && !now) return [];
        const name = (field: string) => `${audience} ${field}`;
        const title = old?.title ?? null;
        const nextTitle = now?.title ?? null;
        const entry: VariantDiff = {
          audience,
          status: !old ? 'added' : !now ? 'removed' : 'unchanged',
          title: title === nextTitle ? null : { before: title, after: nextTitle },
          summary: unified(name('summary'), old?.summary ?? '', now?.summary ?? '', from, to),
          body: unified(name('body'), old?.body ?? '', now?.body ?? '', from, to),
        };
        if (entry.status === 'unchanged' && (entry.title || entry.summary || entry.body)) entry.status = 'changed';
        return [entry];
      }),
    };
  }
}
