import type { JsonValue } from '../audit/hash-chain';
import type { TextQuoteAnchor } from './anchor';
import type { CheckName, CheckStatus, SignoffDecision } from './approval';
import type { ArticleContent, VariantHtml } from './content';
import type { ChangeClass, ContentChange } from './significance';
import type { ArticleState } from './workflow';

export const REVIEW_DUE_REASONS = ['schedule', 'retraction'] as const;
export type ReviewDueReason = (typeof REVIEW_DUE_REASONS)[number];

/** What the database keeps of an article; dates of the review calendar are `YYYY-MM-DD`. */
export interface ArticleRecord {
  id: string;
  slug: string;
  state: ArticleState;
  authorId: string;
  currentRevision: number;
  /** The current revision's content hash (contract §12), what a sign-off must name. */
  currentContentHash: string;
  title: string;
  publishedVersion: number | null;
  /** The revision readers see, when published. */
  publishedRevision: number | null;
  publishAt: Date | null;
  reviewDue: boolean;
  /** Why: the calendar (`schedule`, contract §6) or a retraction of a cited paper (`retraction`, §16). */
  reviewDueReason: ReviewDueReason | null;
  /** The published version the review-due flag was raised for. */
  reviewDueVersion: number | null;
  /** When the article was last submitted: the start of its reviewers' clock (contract §17). */
  submittedAt: Date | null;
  /**
   * Sent back with changes requested and revised since (contract §19): the next submission goes
   * straight to `under_review`, as its board has started already.
   */
  reviewResumes: boolean;
  /** When a re-review of the live revision was opened (contract §17); null when none is open. */
  reReviewAt: Date | null;
  lastUpdated: string | null;
  lastReviewed: string | null;
  nextReviewDue: string | null;
  approvedAt: Date | null;
  archivedReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RevisionRecord extends ArticleContent {
  articleId: string;
  number: number;
  changeNote: string | null;
  authorId: string;
  /** Rendered once, when the revision was written (contract §12); published byte for byte. */
  summaryHtml: string | null;
  bodyHtml: string;
  /** Each variant's rendering, in the order of `variants`. */
  variantsHtml: VariantHtml[];
  /**
   * Against `changeBase` (the revision live when this one was written, else the previous one): null
   * for the first revision and for revisions written before classes existed (treated as clinical).
   */
  changeClass: ChangeClass | null;
  changeBase: number | null;
  changes: ContentChange[];
  contentHash: string;
  createdAt: Date;
}

export interface ReviewerRecord {
  id: string;
  name: string;
  credentials: string | null;
  assignedAt: Date;
  /** When the review is due (contract §17); null until the article is submitted. */
  dueAt: Date | null;
}

/** `counted` until a later decision of the same reviewer replaces it or an event dismisses it. */
export type SignoffStatus = 'counted' | 'replaced' | 'dismissed';

/** What a signature means (21 CFR Part 11 §11.50(a)(3)), named in the record and on the reader page. */
export type SignatureMeaning = 'approval' | 'changes_requested';

export const meaningOf = (decision: SignoffDecision): SignatureMeaning =>
  decision === 'approve' ? 'approval' : 'changes_requested';

/**
 * A sign-off is an electronic signature: who (name and credentials as they were at signing), what
 * (the revision and its content hash), when and what it means. Written once with its audit entry;
 * only `status` and `endedAt` ever change, once, and the database refuses anything else.
 */
export interface SignoffRecord {
  id: string;
  articleId: string;
  revision: number;
  reviewerId: string;
  reviewerName: string;
  reviewerCredentials: string | null;
  decision: SignoffDecision;
  contentHash: string;
  note: string | null;
  status: SignoffStatus;
  createdAt: Date;
  endedAt: Date | null;
}

export interface CommentRecord {
  id: string;
  articleId: string;
  revision: number;
  parentId: string | null;
  authorId: string;
  body: string;
  anchor: TextQuoteAnchor | null;
  blocking: boolean;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  createdAt: Date;
}

export interface CheckRecord {
  check: CheckName;
  status: CheckStatus;
  details: { [key: string]: JsonValue };
  updatedAt: Date;
}
