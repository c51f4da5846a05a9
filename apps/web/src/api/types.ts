/**
 * The contract's payloads as the web app reads them: names for the schemas of the OpenAPI document,
 * whose types `npm run api:types` generates into schema.gen.ts. Nothing here restates a payload by
 * hand; a change to the API's DTOs reaches every screen through the generated file.
 */
import type { components } from './schema.gen';
import type { ArticleState } from '@imprimatur/domain/articles/workflow';
import type { Role } from '@imprimatur/domain/users/roles';

type Schemas = components['schemas'];

export type { ArticleState, Role };

/** Every list answers this shape (contract §2). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type User = Schemas['UserDto'];
export type LoginResponse = Schemas['LoginResponseDto'];

// The reference shapes the API validates come from the domain, shared with the server.
export { AUDIENCES, REFERENCE_TYPES, VARIANT_AUDIENCES } from '@imprimatur/domain/articles/reference';
export type { Audience, Reference, ReferenceType, VariantAudience } from '@imprimatur/domain/articles/reference';

/** What an editor sends to save a revision (without `baseRevision`, which the editor adds). */
export type RevisionContent = Omit<Schemas['CreateRevisionDto'], 'baseRevision' | 'submit' | 'renumber'>;
export type Revision = Schemas['RevisionDto'];
/** A revision's class against the live revision (or the previous one) and its reasons (contract §15), from the shared classifier. */
export type { ChangeClass, ClassifiableContent, ContentChange } from '@imprimatur/domain/articles/significance';
/** An audience variant as a revision holds it (contract §13): null title or summary → the article's own. */
export type Variant = Revision['variants'][number];
/** A variant's HTML as the server stored it with the revision (its summary, or else the article's, rendered). */
export type VariantHtml = Revision['variantsHtml'][number];

export type CheckSummary = Schemas['CheckSummaryDto'];
export type CheckName = keyof CheckSummary;
export type CheckStatus = CheckSummary[CheckName];

export type ReviewerSummary = Schemas['ReviewerSummaryDto'];
/** A sign-off as the signature manifestation of contract §12: who (as they were when signing), what it means, which text. */
export type Signoff = Schemas['SignoffViewDto'];
export type SignoffDecision = Signoff['decision'];
export type SignatureMeaning = Signoff['meaning'];
/** `openBlockingComments` is always answered; optional here so that fixtures written before it need not state 0. */
export type Article = Omit<Schemas['ArticleDto'], 'openBlockingComments'> & { openBlockingComments?: number };
export type ReviewDueReason = Article['reviewDueReason'];
export type SignoffResult = Schemas['SignoffResultDto'];

/** A comment; as listed, also where it stands on the revision listed (contract §19). */
export type Comment = Schemas['CommentViewDto'] & { placement?: Schemas['PlacedCommentDto']['placement'] };
export type Anchor = NonNullable<Comment['anchor']>;

export type CheckResult = Schemas['CheckResultDto'];
export type RevisionChecks = Schemas['RevisionChecksDto'];

/**
 * One link's result inside `checks.links.details.links` (contract §6). The document types check
 * details as free-form, so this is the one shape the web app reads out of them.
 */
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
  /** With a failure: one of the outbound client's fixed codes (e.g. `address_not_allowed`) and its sentence in `error`. */
  code?: string;
  error?: string;
}

/**
 * One reference's line in `checks.evidence.details.references` (contract §16): the domain's own type,
 * which the check writes as it is.
 */
export type { EvidenceResult, EvidenceStatus, MismatchField, NoticeType } from '@imprimatur/domain/evidence/types';

/** A paper's metadata from Crossref or PubMed (`GET /references/lookup`), to fill a reference. */
export type ReferenceLookup = Schemas['ReferenceLookupDto'];
/** A retraction, withdrawal, expression of concern or correction attached to a paper. */
export type EvidenceNotice = Schemas['EvidenceNoticeDto'];

export type NumberedReference = Schemas['NumberedReferenceDto'];
export type RevisionDiff = Schemas['DiffDto'];
export type VariantDiff = Schemas['VariantDiffDto'];

/** A published version as readers get it (contract §9): the editor reads which revision is live from it. */
export type PublicArticle = Schemas['PublicArticleDto'];

export type AuditEntry = Schemas['AuditEntryDto'];
export type AuditVerdict = Schemas['AuditVerdictDto'];

/** The editorial policy readers are shown (contract §14): its Markdown, its HTML as rendered when saved, and when. */
export type EditorialPolicy = Schemas['EditorialPolicyDto'];

export type Webhook = Schemas['WebhookDto'];
export type WebhookEvent = Webhook['events'][number];
export const WEBHOOK_EVENTS = [
  'article.published',
  'article.unpublished',
  'article.review_due',
  'article.evidence_alert',
] as const satisfies readonly WebhookEvent[];
export type CreatedWebhook = Schemas['CreatedWebhookDto'];
export type WebhookAttempt = Schemas['WebhookAttemptDto'];

/** What is waiting on the signed-in user (contract §17), most urgent first. */
export type Task = Schemas['TaskDto'];
export type TaskKind = Task['kind'];
/** One of the user's notifications; `path` is the screen it leads to, under `/app/`. */
export type UserNotification = Schemas['NotificationDto'];
export type NotificationPage = Schemas['NotificationPageDto'];
export type MarkedRead = Schemas['MarkedReadDto'];
export type Preferences = Schemas['PreferencesDto'];
export type EmailPreference = Preferences['email'];
