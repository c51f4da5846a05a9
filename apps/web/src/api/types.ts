/** The contract's payloads (§3–§9) as the web app reads them. */
import type { ArticleState } from '@imprimatur/domain/articles/workflow';
import type { ArticleContent, Reference } from '@imprimatur/domain/articles/reference';
import type { Role } from '@imprimatur/domain/users/roles';

export type { ArticleState, Role };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface User {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  credentials: string | null;
  specialties: string[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface LoginResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: User;
}

// The same reference and content shapes the API validates, shared rather than restated.
export { REFERENCE_TYPES } from '@imprimatur/domain/articles/reference';
export type { Reference, ReferenceType } from '@imprimatur/domain/articles/reference';

export interface RevisionContent extends ArticleContent {
  changeNote: string | null;
}

export interface Revision extends RevisionContent {
  articleId: string;
  number: number;
  authorId: string;
  contentHash: string;
  createdAt: string;
}

export type CheckStatus = 'pending' | 'passed' | 'warning' | 'failed';
export type CheckName = 'citations' | 'links' | 'staleness';

export interface ReviewerSummary {
  id: string;
  name: string;
  credentials: string | null;
  assignedAt: string;
}

export type SignoffDecision = 'approve' | 'request_changes';

export interface Signoff {
  id: string;
  reviewerId: string;
  revision: number;
  decision: SignoffDecision;
  note: string | null;
  status: 'standing' | 'replaced' | 'dismissed';
  createdAt: string;
}

export interface Article {
  id: string;
  slug: string;
  state: ArticleState;
  title: string;
  authorId: string;
  currentRevision: number;
  publishedVersion: number | null;
  reviewers: ReviewerSummary[];
  signoffs: Signoff[];
  checks: Record<CheckName, CheckStatus>;
  reviewDue: boolean;
  lastUpdated: string | null;
  lastReviewed: string | null;
  nextReviewDue: string | null;
  publishAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SignoffResult {
  signoff: Signoff;
  article: Article;
}

export interface Anchor {
  quote: string;
  prefix?: string;
  suffix?: string;
}

export interface Comment {
  id: string;
  articleId: string;
  revision: number;
  parentId: string | null;
  authorId: string;
  body: string;
  anchor: Anchor | null;
  blocking: boolean;
  resolved: boolean;
  resolvedAt: string | null;
  resolvedBy: string | null;
  createdAt: string;
}

export type LinkStatus = 'ok' | 'redirected' | 'broken' | 'unverifiable' | 'timeout' | 'blocked' | 'error';

export interface LinkResult {
  n: number;
  kind: 'url' | 'doi' | 'pmid';
  url: string;
  status: LinkStatus | 'pending';
  httpStatus: number | null;
  finalUrl: string | null;
  attempts: number;
  checkedAt: string | null;
  error?: string;
}

export interface CheckResult {
  status: CheckStatus;
  details: Record<string, unknown>;
  updatedAt: string | null;
}

export interface RevisionChecks {
  articleId: string;
  revision: number;
  checks: Record<CheckName, CheckResult>;
}

export interface NumberedReference extends Reference {
  n: number;
}

export interface RevisionDiff {
  from: number;
  to: number;
  title: { before: string; after: string } | null;
  summary: string;
  body: string;
  references: {
    added: NumberedReference[];
    removed: NumberedReference[];
    changed: { n: number; before: Partial<Reference>; after: Partial<Reference> }[];
  };
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: { id: string; email: string } | null;
  action: string;
  entityType: string;
  entityId: string | null;
  articleId?: string | null;
  data: Record<string, unknown>;
  prevHash?: string;
  hash: string;
}

export interface AuditVerdict {
  valid: boolean;
  entries: number;
  head?: string;
  brokenAt?: number;
}

export const WEBHOOK_EVENTS = ['article.published', 'article.unpublished', 'article.review_due'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  disabledAt: string | null;
  disabledReason: string | null;
  createdAt: string;
}

export interface CreatedWebhook extends Webhook {
  secret: string;
}

export interface WebhookAttempt {
  deliveryId: string;
  eventId: string;
  eventType: WebhookEvent;
  messageId: string;
  attempt: number;
  at: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  deliveryStatus?: string;
  [key: string]: unknown;
}
