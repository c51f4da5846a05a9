import type { JsonValue } from '../audit/hash-chain';
import type { TextQuoteAnchor } from './anchor';
import type { CheckName, CheckStatus, SignoffDecision } from './approval';
import type { ArticleContent } from './content';
import type { ArticleState } from './workflow';

/** What the database keeps of an article; dates of the review calendar are `YYYY-MM-DD`. */
export interface ArticleRecord {
  id: string;
  slug: string;
  state: ArticleState;
  authorId: string;
  currentRevision: number;
  title: string;
  publishedVersion: number | null;
  /** The revision readers see, when published. */
  publishedRevision: number | null;
  publishAt: Date | null;
  reviewDue: boolean;
  /** The published version the review-due flag was raised for. */
  reviewDueVersion: number | null;
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
  contentHash: string;
  createdAt: Date;
}

export interface ReviewerRecord {
  id: string;
  name: string;
  credentials: string | null;
  assignedAt: Date;
}

export type SignoffStatus = 'standing' | 'replaced' | 'dismissed';

export interface SignoffRecord {
  id: string;
  articleId: string;
  revision: number;
  reviewerId: string;
  decision: SignoffDecision;
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
