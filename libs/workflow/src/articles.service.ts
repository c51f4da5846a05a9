import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  ArticleFilters,
  ArticlesRepository,
  AuditRepository,
  PublicationsRepository,
  RevisionsRepository,
  SignoffsRepository,
  TransactionRunner,
  Tx,
  uniqueViolation,
} from '@imprimatur/database';
import {
  ArticleContent,
  ArticleRecord,
  classifyChange,
  decodeCursor,
  DomainError,
  duplicate,
  followReferences,
  type FollowedReferences,
  isReservedSlug,
  nextFreeSlug,
  normaliseContent,
  notFound,
  Page,
  Principal,
  RevisionHtml,
  RESERVED_SLUGS,
  RevisionRecord,
  slugify,
  toPage,
  validationFailed,
} from '@imprimatur/domain';
import { renderRevision } from '@imprimatur/domain/rendering/server';
import { ArticleActions, actorOf } from './actions';
import { ReviewService } from './review.service';
import { ArticleView, ArticleViews } from './views';
import { RevisionChecks } from './checks.service';

export interface RevisionInput extends ArticleContent {
  changeNote: string | null;
}

interface PreparedRevision {
  content: ArticleContent;
  changeNote: string | null;
  html: RevisionHtml;
  contentHash: string;
  /** Markers rewritten by `renumber` (contract §19). */
  renumbered: number;
}

/** New reference keys: random, and never one the revision already uses. */
function keyMaker(references: readonly { key?: string }[]): () => string {
  const used = new Set(references.flatMap((r) => (r.key === undefined ? [] : [r.key])));
  return () => {
    for (;;) {
      const key = randomBytes(6).toString('base64url');
      if (!used.has(key)) {
        used.add(key);
        return key;
      }
    }
  };
}

/** Refuses a revision whose markers would point at other references than the author meant (contract §19). */
function refuseRepointed(followed: FollowedReferences<RevisionInput>): void {
  const { problems } = followed;
  if (problems.length === 0) return;
  throw new DomainError(
    'citation_errors',
    problems.some((p) => p.kind === 'repointed_marker')
      ? `${problems.length} citation marker(s) would point at another reference than before: the references were reordered or removed`
      : `${problems.length} citation marker(s) cannot be renumbered`,
    problems,
  );
}

/**
 * A revision as it is stored: its text in NFC, rendered once with the renderer publishing uses, and
 * hashed over both (contract §12). Done before anything is written, so a revision never exists without
 * its HTML.
 */
function prepareRevision(followed: FollowedReferences<RevisionInput>): PreparedRevision {
  const { changeNote, ...written } = followed.content;
  const content = normaliseContent<ArticleContent>({
    title: written.title,
    summary: written.summary,
    body: written.body,
    references: written.references,
    specialties: written.specialties,
    reviewIntervalDays: written.reviewIntervalDays,
    variants: written.variants,
  });
  const { html, contentHash } = renderRevision(content);
  return {
    content,
    changeNote: changeNote === null ? null : changeNote.normalize('NFC'),
    html,
    contentHash,
    renumbered: followed.changes.length,
  };
}

/** Articles and their immutable revisions (contract §4). */
@Injectable()
export class ArticlesService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly actions: ArticleActions,
    private readonly articles: ArticlesRepository,
    private readonly revisions: RevisionsRepository,
    private readonly publications: PublicationsRepository,
    private readonly signoffs: SignoffsRepository,
    private readonly checks: RevisionChecks,
    private readonly audit: AuditRepository,
    private readonly views: ArticleViews,
    private readonly review: ReviewService,
  ) {}

  async create(user: Principal, input: RevisionInput, slug?: string): Promise<ArticleView> {
    // A derived slug can lose a race to a concurrent article with the same title: try the next one.
    const tried: string[] = [];
    // Outside the transaction, and once for every attempt (see addRevision).
    const prepared = prepareRevision(
      followReferences(null, input, { renumber: false, newKey: keyMaker(input.references) }),
    );
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.run(async (tx) => {
          const base = slugify(input.title);
          if (slug !== undefined && isReservedSlug(slug)) {
            throw validationFailed(`The slug ${slug} is reserved for a reader page`, {
              fields: { slug: ['is reserved'] },
            });
          }
          const taken = [...RESERVED_SLUGS, ...(await this.articles.slugsLike(base, tx)), ...tried];
          const chosen = slug ?? nextFreeSlug(base, taken);
          tried.push(chosen);
          const article = await this.articles.insert(
            { slug: chosen, authorId: user.id, title: prepared.content.title, contentHash: prepared.contentHash },
            tx,
          );
          const revision = await this.writeRevision(user, article, 1, prepared, tx);
          await this.audit.append(
            {
              actor: actorOf(user),
              action: 'article.created',
              entityType: 'article',
              entityId: article.id,
              articleId: article.id,
              data: { slug: chosen, title: input.title },
            },
            tx,
          );
          await this.auditRevision(user, revision, null, tx);
          return this.views.one(article, tx);
        });
      } catch (error) {
        if (uniqueViolation(error) === null) throw error;
        if (slug !== undefined) throw duplicate('An article with this slug already exists', { field: 'slug' });
        if (attempt >= 5) throw error;
      }
    }
  }

  /**
   * A new revision on `baseRevision`, which must be the current one. The article's row lock makes
   * concurrent edits of one base take turns, so exactly one succeeds and the rest are stale.
   */
  async addRevision(
    user: Principal,
    articleId: string,
    baseRevision: number,
    input: RevisionInput,
    options: { submit?: boolean; renumber?: boolean } = {},
  ): Promise<RevisionRecord> {
    // Rendering and sanitising is the slow part and depends on the input and the base revision alone
    // (revisions are immutable): done before the transaction, so the article's row lock and a pool
    // connection are not held while it runs. Its refusals wait until the caller may revise.
    const base = await this.revisions.find(articleId, baseRevision, this.db.autocommit);
    const followed = followReferences(base, input, {
      renumber: options.renumber === true,
      newKey: keyMaker(input.references),
    });
    const prepared = prepareRevision(followed);
    return this.db.run(async (tx) => {
      const article = await this.actions.lock(articleId, tx);
      const state = await this.actions.take(user, 'revise', article, tx);
      if (baseRevision !== article.currentRevision) {
        throw new DomainError(
          'stale_revision',
          `Revision ${article.currentRevision} was saved after revision ${baseRevision}; reload and edit that`,
          {
            currentRevision: article.currentRevision,
          },
        );
      }
      refuseRepointed(followed);
      const number = article.currentRevision + 1;
      const updated = await this.articles.update(
        article.id,
        {
          currentRevision: number,
          currentContentHash: prepared.contentHash,
          title: prepared.content.title,
          state,
          // Revised after changes were requested: its next submission resumes the review (contract §19).
          ...(article.state === 'changes_requested' && state === 'draft' ? { reviewResumes: true } : {}),
        },
        tx,
      );
      const revision = await this.writeRevision(user, article, number, prepared, tx);
      const dismissed = await this.signoffs.dismissBefore(article.id, number, tx);
      for (const signoff of dismissed) {
        await this.audit.append(
          {
            actor: actorOf(user),
            action: 'signoff.dismissed',
            entityType: 'signoff',
            entityId: signoff.id,
            articleId: article.id,
            data: {
              reviewerId: signoff.reviewerId,
              revision: signoff.revision,
              decision: signoff.decision,
              reason: `revision ${number} was saved`,
            },
          },
          tx,
        );
      }
      await this.auditRevision(
        user,
        revision,
        state === article.state ? null : { from: article.state, to: state },
        tx,
        prepared.renumbered,
      );
      // "Save and submit" (contract §19): the revision is kept only if the submission succeeds.
      if (options.submit) await this.review.submitLocked(user, updated, undefined, tx);
      return revision;
    });
  }

  async get(id: string): Promise<ArticleView> {
    const article = await this.articles.findById(id, this.db.autocommit);
    if (!article) throw notFound('Article');
    return this.views.one(article, this.db.autocommit);
  }

  async list(filters: ArticleFilters, limit: number, cursor?: string): Promise<Page<ArticleView>> {
    const after = cursor ? decodeCursor(cursor, ['date', 'uuid']) : null;
    const rows = await this.articles.list(
      filters,
      after ? { createdAt: String(after[0]), id: String(after[1]) } : null,
      limit,
      this.db.autocommit,
    );
    const page = toPage(
      rows,
      limit,
      (a) => [a.createdAt.toISOString(), a.id],
      (a) => a,
    );
    return { items: await this.views.many(page.items, this.db.autocommit), nextCursor: page.nextCursor };
  }

  async revision(articleId: string, number: number): Promise<RevisionRecord> {
    const revision = await this.revisions.find(articleId, number, this.db.autocommit);
    if (!revision) {
      if (!(await this.articles.findById(articleId, this.db.autocommit))) throw notFound('Article');
      throw notFound(`Revision ${number}`);
    }
    return revision;
  }

  async listRevisions(articleId: string, limit: number, cursor?: string): Promise<Page<RevisionRecord>> {
    if (!(await this.articles.findById(articleId, this.db.autocommit))) throw notFound('Article');
    const after = cursor ? Number(decodeCursor(cursor, ['int'])[0]) : 0;
    const rows = await this.revisions.list(articleId, after, limit, this.db.autocommit);
    return toPage(
      rows,
      limit,
      (r) => [r.number],
      (r) => r,
    );
  }

  private async writeRevision(
    user: Principal,
    article: ArticleRecord,
    number: number,
    prepared: PreparedRevision,
    tx: Tx,
  ): Promise<RevisionRecord> {
    const significance = await this.significanceOf(article, number, prepared.content, tx);
    const revision = await this.revisions.insert(
      {
        ...prepared.content,
        ...significance,
        articleId: article.id,
        number,
        changeNote: prepared.changeNote,
        authorId: user.id,
        summaryHtml: prepared.html.summaryHtml,
        bodyHtml: prepared.html.bodyHtml,
        variantsHtml: prepared.html.variants,
        contentHash: prepared.contentHash,
      },
      tx,
    );
    await this.checks.start(revision, tx);
    return revision;
  }

  /**
   * Contract §15: a revision after the first is compared with the revision readers have (if the
   * article is live), else with the previous one.
   */
  private async significanceOf(
    article: ArticleRecord,
    number: number,
    content: ArticleContent,
    tx: Tx,
  ): Promise<Pick<RevisionRecord, 'changeClass' | 'changeBase' | 'changes'>> {
    if (number === 1) return { changeClass: null, changeBase: null, changes: [] };
    const live = article.publishedRevision !== null ? await this.publications.liveOfArticle(article.id, tx) : null;
    const changeBase =
      live && !live.retractedAt && article.publishedRevision !== null ? article.publishedRevision : number - 1;
    const base = await this.revisions.find(article.id, changeBase, tx);
    if (!base) throw new Error(`revision ${changeBase} of article ${article.id} is missing`);
    const { changeClass, changes } = classifyChange(base, content);
    return { changeClass, changeBase, changes };
  }

  private async auditRevision(
    user: Principal,
    revision: RevisionRecord,
    stateChange: { from: string; to: string } | null,
    tx: Tx,
    renumbered = 0,
  ): Promise<void> {
    await this.audit.append(
      {
        actor: actorOf(user),
        action: 'revision.created',
        entityType: 'revision',
        entityId: `${revision.articleId}:${revision.number}`,
        articleId: revision.articleId,
        data: {
          number: revision.number,
          title: revision.title,
          contentHash: revision.contentHash,
          changeNote: revision.changeNote,
          references: revision.references.length,
          audiences: revision.variants.map((v) => v.audience),
          changeClass: revision.changeClass,
          ...(stateChange ? { state: stateChange } : {}),
          ...(renumbered > 0 ? { renumberedMarkers: renumbered } : {}),
        },
      },
      tx,
    );
  }
}
