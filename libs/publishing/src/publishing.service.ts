import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import {
  ArticlesRepository,
  AuditRepository,
  PublicationsRepository,
  ReviewersRepository,
  RevisionsRepository,
  SignoffsRepository,
  TransactionRunner,
  Tx,
  UsersRepository,
} from '@imprimatur/database';
import {
  allowedActions,
  DomainError,
  JsonValue,
  meaningOf,
  notFound,
  Principal,
  RevisionRecord,
} from '@imprimatur/domain';
import { JobPayloads, OutboxService } from '@imprimatur/queue';
import { ArticleView, ArticleViews, Notifications } from '@imprimatur/workflow';
import { attestationPayload, signAttestation } from './attestation';
import { audiencesOf, publicVariants } from './audiences';
import {
  addDays,
  ChangeSignificance,
  etagOf,
  isoDate,
  publicReferences,
  PublicSignature,
  PublishedDocument,
  UnsignedDocument,
} from './document';
import { SigningKeys } from './signing-keys.service';

export type PublishOutcome = { published: true; version: number } | { published: false; reason: string };

/**
 * Turns an approved revision into an immutable published version and makes it live, in one
 * transaction with its audit entry and its `article.published` event. Idempotent: a revision is
 * published at most once (unique on article + revision), however often the job runs. The version
 * carries the revision's stored HTML, its variants' too (§13), byte for byte (never rendered again) and
 * is attested (§12).
 */
@Injectable()
export class PublishingService {
  private readonly logger = new Logger(PublishingService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly articles: ArticlesRepository,
    private readonly revisions: RevisionsRepository,
    private readonly signoffs: SignoffsRepository,
    private readonly publications: PublicationsRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly outbox: OutboxService,
    private readonly views: ArticleViews,
    private readonly signingKeys: SigningKeys,
    private readonly notifications: Notifications,
    private readonly reviewers: ReviewersRepository,
  ) {}

  publish(approval: JobPayloads['article.approved']): Promise<PublishOutcome> {
    return this.db.run(async (tx) => {
      const article = await this.articles.lock(approval.articleId, tx);
      if (!article) return { published: false, reason: 'the article does not exist' };
      const already = await this.publications.versionOfApproval(article.id, approval.approvedAt, tx);
      if (already)
        return {
          published: false,
          reason: `the approval of ${approval.approvedAt} is already version ${already.version}`,
        };
      if (article.state === 'archived') return { published: false, reason: 'the article was archived after approval' };
      // The approval this job carries must still be the article's: withdrawn (a signer became
      // ineligible) or superseded by a later approval, it publishes nothing.
      if (article.approvedAt?.toISOString() !== approval.approvedAt) {
        return { published: false, reason: `the approval of ${approval.approvedAt} was withdrawn or superseded` };
      }
      const revision = await this.revisions.find(article.id, approval.revision, tx);
      if (!revision) return { published: false, reason: `revision ${approval.revision} does not exist` };

      const previous = await this.publications.latestVersion(article.id, tx);
      const version = (previous?.version ?? 0) + 1;
      const publishedAt = new Date();
      // Contract §15: an editorial change to the live revision keeps the review dates (the review date
      // is for whole reviews) and moves only "last updated"; anything else is a whole review.
      const live = await this.publications.liveOfArticle(article.id, tx);
      const editorial =
        revision.changeClass === 'editorial' &&
        previous !== null &&
        live !== null &&
        !live.retractedAt &&
        revision.changeBase === previous.revision &&
        article.lastReviewed !== null &&
        article.nextReviewDue !== null;
      // A re-review (contract §17) publishes the live revision again: the content is unchanged (so no
      // clinical change, and the same lastUpdated), but the board reviewed it anew (new review dates).
      const reReview = previous !== null && previous.revision === revision.number;
      const significance: ChangeSignificance = editorial || reReview ? 'editorial' : 'clinical';
      const lastReviewed =
        editorial && !reReview && article.lastReviewed ? article.lastReviewed : isoDate(new Date(approval.approvedAt));
      // "Last updated" moves only when what readers read changes.
      const lastUpdated =
        previous && previous.contentHash === revision.contentHash
          ? (previous.document as unknown as PublishedDocument).lastUpdated
          : isoDate(publishedAt);
      const nextReviewDue =
        editorial && !reReview && article.nextReviewDue
          ? article.nextReviewDue
          : addDays(lastReviewed, revision.reviewIntervalDays ?? this.config.workflow.reviewIntervalDays);
      const notes = await this.revisions.changeNotesBetween(article.id, previous?.revision ?? 0, revision.number, tx);
      const changeSummary =
        notes.length > 0
          ? notes.join(' ')
          : reReview
            ? 'Reviewed again by the Medical Advisory Board; the content is unchanged.'
            : null;
      // Only signers who are still active reviewers are credited to readers (one query, in approval order).
      const reviewedBy = await this.users.activeReviewerCredits(approval.approverIds, tx);
      const variants = publicVariants(revision);
      const unsigned: UnsignedDocument = {
        slug: article.slug,
        title: revision.title,
        version,
        revision: revision.number,
        summary: revision.summary,
        summaryHtml: revision.summaryHtml,
        body: revision.body,
        bodyHtml: revision.bodyHtml,
        // The stored document is the professional one; readers ask for another with ?audience= (§13).
        audience: 'professional',
        audiences: audiencesOf(variants),
        variants,
        references: publicReferences(revision.references, {
          doi: this.config.outbound.doiResolverUrl,
          pubmed: this.config.outbound.pubmedUrl,
        }),
        specialties: revision.specialties,
        reviewStatus: 'approved',
        reviewedBy,
        approvedAt: approval.approvedAt,
        publishedAt: publishedAt.toISOString(),
        lastUpdated,
        lastReviewed,
        nextReviewDue,
        contentHash: revision.contentHash,
        significance,
        changeSummary,
        signatures: await this.signaturesOf(revision, approval.approverIds, tx),
      };
      // Read in this transaction, so that a rotation committed by any process is used from then on.
      const key = await this.signingKeys.current(tx);
      const attestation = await signAttestation(
        attestationPayload(unsigned, this.config.publicBaseUrl, publishedAt),
        key,
      );
      const document: PublishedDocument = { ...unsigned, attestation };
      const record = {
        articleId: article.id,
        version,
        revision: revision.number,
        document: document as unknown as { [key: string]: JsonValue },
        contentHash: revision.contentHash,
        etag: etagOf(revision.contentHash, version),
        publishedAt,
      };
      await this.publications.insertVersion(record, tx);
      await this.publications.goLive(article.slug, record, tx);
      await this.publications.markPublished(
        article.id,
        { version, revision: revision.number, lastUpdated, lastReviewed, nextReviewDue },
        tx,
      );
      await this.outbox.emit(tx, 'article.published', {
        articleId: article.id,
        slug: article.slug,
        version,
        revision: revision.number,
        title: revision.title,
        publishedAt: publishedAt.toISOString(),
        url: `${this.config.publicBaseUrl}/public/articles/${article.slug}`,
        significance,
        changeSummary,
        reReview,
      });
      await this.audit.append(
        {
          actor: null,
          action: 'article.published',
          entityType: 'article',
          entityId: article.id,
          articleId: article.id,
          data: {
            version,
            revision: revision.number,
            contentHash: revision.contentHash,
            kid: key.kid,
            significance,
            lastUpdated,
            lastReviewed,
            nextReviewDue,
          },
        },
        tx,
      );
      const told = { kind: 'article.published' as const, article: { id: article.id, title: revision.title } };
      await this.notifications.notify(
        tx,
        [
          ...(await this.reviewers.eligibleAssignedIds(article.id, tx)),
          ...(await this.revisions.authorIds(article.id, tx)),
        ],
        { ...told, revision: revision.number, data: { version, significance } },
      );
      this.logger.log({ articleId: article.id, slug: article.slug, version }, 'published');
      return { published: true, version };
    });
  }

  /**
   * The signatures a version carries (§12): the approvals the approval was reached with (a reviewer
   * unassigned since keeps a counted record, but is not among the approvers), still counted, that name
   * the revision's content hash, as recorded when given (name and credentials then), oldest first.
   */
  private async signaturesOf(
    revision: RevisionRecord,
    approverIds: readonly string[],
    tx: Tx,
  ): Promise<PublicSignature[]> {
    const approvers = new Set(approverIds);
    const counted = await this.signoffs.counted(revision.articleId, revision.number, tx);
    return counted
      .filter((s) => s.decision === 'approve' && approvers.has(s.reviewerId) && s.contentHash === revision.contentHash)
      .map((s) => ({
        name: s.reviewerName,
        credentials: s.reviewerCredentials,
        meaning: meaningOf(s.decision),
        signedAt: s.createdAt.toISOString(),
        contentHash: s.contentHash,
      }));
  }

  /** Takes the live version down: readers get 410 with the reason; the record of versions stays. */
  unpublish(user: Principal, articleId: string, reason: string): Promise<ArticleView> {
    return this.db.run(async (tx) => {
      const article = await this.articles.lock(articleId, tx);
      if (!article) throw notFound('Article');
      const live = await this.publications.liveOfArticle(article.id, tx);
      if (!live || live.retractedAt) {
        throw new DomainError(
          'invalid_transition',
          live ? 'The article is already unpublished' : 'The article has no published version',
          {
            from: article.state,
            action: 'unpublish',
            allowed: allowedActions(article.state),
          },
        );
      }
      const at = new Date();
      await this.publications.retract(article.id, reason, at, tx);
      await this.outbox.emit(tx, 'article.unpublished', {
        articleId: article.id,
        slug: article.slug,
        version: live.version,
        reason,
        unpublishedAt: at.toISOString(),
      });
      await this.audit.append(
        {
          actor: { id: user.id, email: user.email },
          action: 'article.unpublished',
          entityType: 'article',
          entityId: article.id,
          articleId: article.id,
          data: { version: live.version, reason },
        },
        tx,
      );
      return this.views.one(article, tx);
    });
  }
}
