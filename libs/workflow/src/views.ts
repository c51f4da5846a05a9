import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import {
  ChecksRepository,
  CommentsRepository,
  ReviewersRepository,
  RevisionsRepository,
  SignoffsRepository,
  Tx,
} from '@imprimatur/database';
import {
  ArticleRecord,
  ArticleState,
  ReviewDueReason,
  ChangeClass,
  CheckSummary,
  ContentChange,
  meaningOf,
  pendingChecks,
  SignatureMeaning,
  SignoffDecision,
  SignoffRecord,
  SignoffStatus,
} from '@imprimatur/domain';

/** A sign-off as the signature manifestation of contract §12 (21 CFR Part 11 §11.50). */
export interface SignoffView {
  id: string;
  reviewer: { id: string; name: string; credentials: string | null };
  decision: SignoffDecision;
  meaning: SignatureMeaning;
  revision: number;
  contentHash: string;
  signedAt: string;
  note: string | null;
  status: SignoffStatus;
}

export interface ArticleView {
  id: string;
  slug: string;
  state: ArticleState;
  title: string;
  authorId: string;
  currentRevision: number;
  currentContentHash: string;
  /** The current revision's class and its reasons (contract §15); null for revision 1. */
  changeClass: ChangeClass | null;
  changes: ContentChange[];
  publishedVersion: number | null;
  reviewers: { id: string; name: string; credentials: string | null; assignedAt: string; dueAt: string | null }[];
  signoffs: SignoffView[];
  checks: CheckSummary;
  reviewDue: boolean;
  reviewDueReason: ReviewDueReason | null;
  lastUpdated: string | null;
  lastReviewed: string | null;
  nextReviewDue: string | null;
  publishAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Unresolved blocking comments: each holds approval (contract §5); the editor's desk shows how many. */
  openBlockingComments: number;
}

export const signoffView = (s: SignoffRecord): SignoffView => ({
  id: s.id,
  reviewer: { id: s.reviewerId, name: s.reviewerName, credentials: s.reviewerCredentials },
  decision: s.decision,
  meaning: meaningOf(s.decision),
  revision: s.revision,
  contentHash: s.contentHash,
  signedAt: s.createdAt.toISOString(),
  note: s.note,
  status: s.status,
});

/** Builds article views in batches: a page of articles costs five queries, not five per article. */
@Injectable()
export class ArticleViews {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reviewers: ReviewersRepository,
    private readonly signoffs: SignoffsRepository,
    private readonly checks: ChecksRepository,
    private readonly revisions: RevisionsRepository,
    private readonly comments: CommentsRepository,
  ) {}

  async one(article: ArticleRecord, tx: Tx): Promise<ArticleView> {
    return (await this.many([article], tx))[0];
  }

  async many(articles: ArticleRecord[], tx: Tx): Promise<ArticleView[]> {
    if (articles.length === 0) return [];
    const ids = articles.map((a) => a.id);
    // One after another: inside a transaction they share one connection, which runs one query at a time.
    const reviewers = await this.reviewers.assignedTo(ids, this.config.board.reviewSlaDays, tx);
    const signoffs = await this.signoffs.countedOnCurrent(ids, tx);
    const checks = await this.checks.summariesOfCurrent(ids, tx);
    const significance = await this.revisions.significanceOfCurrent(ids, tx);
    const openBlocking = await this.comments.openBlockingCounts(ids, tx);
    return articles.map((a) => ({
      id: a.id,
      slug: a.slug,
      state: a.state,
      title: a.title,
      authorId: a.authorId,
      currentRevision: a.currentRevision,
      currentContentHash: a.currentContentHash,
      changeClass: significance.get(a.id)?.changeClass ?? null,
      changes: significance.get(a.id)?.changes ?? [],
      publishedVersion: a.publishedVersion,
      reviewers: (reviewers.get(a.id) ?? []).map((r) => ({
        ...r,
        assignedAt: r.assignedAt.toISOString(),
        dueAt: r.dueAt?.toISOString() ?? null,
      })),
      signoffs: (signoffs.get(a.id) ?? []).map(signoffView),
      checks: checks.get(a.id) ?? pendingChecks(),
      reviewDue: a.reviewDue,
      reviewDueReason: a.reviewDue ? a.reviewDueReason : null,
      lastUpdated: a.lastUpdated,
      lastReviewed: a.lastReviewed,
      nextReviewDue: a.nextReviewDue,
      publishAt: a.publishAt?.toISOString() ?? null,
      createdAt: a.createdAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
      openBlockingComments: openBlocking.get(a.id) ?? 0,
    }));
  }
}
