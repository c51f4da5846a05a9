import { Injectable, Logger } from '@nestjs/common';
import {
  ArticlesRepository,
  AuditRepository,
  ChecksRepository,
  EvidenceAlertsRepository,
  PublicationsRepository,
  RevisionsRepository,
  TransactionRunner,
  Tx,
} from '@imprimatur/database';
import {
  ArticleRecord,
  CheckStatus,
  evidenceCheckStatus,
  EvidenceResult,
  evidenceTargets,
  JsonValue,
  judgeReference,
  LookupOutcome,
  RevisionRecord,
} from '@imprimatur/domain';
import { OutboxService } from '@imprimatur/queue';
import { ApprovalService, Notifications } from '@imprimatur/workflow';
import { mapLimit } from '../links-check.service';
import { RegistryClient } from './registry-client';

/** How many of one revision's references are looked up at once; each registry's host limit still applies. */
const REFERENCES_IN_PARALLEL = 4;

/** Whether a retracted result belongs to a paper whose retraction is news for the live version. */
const alertKey = (result: EvidenceResult): string =>
  `${result.doi ? `doi:${result.doi}` : `pmid:${result.pmid ?? ''}`} ${result.notice?.type ?? 'retraction'}`;

/**
 * The `evidence` check (contract §16): each DOI in Crossref and each PMID in PubMed, the verdict per
 * reference stored with the check and — in the same transaction — the approval rule run again (a
 * retraction blocks it). When the revision is the live one, a retraction not yet alerted for this
 * version makes the article due for review, writes `evidence.alert` and emits `article.evidence_alert`.
 */
@Injectable()
export class EvidenceCheckService {
  private readonly logger = new Logger(EvidenceCheckService.name);

  constructor(
    private readonly db: TransactionRunner,
    private readonly articles: ArticlesRepository,
    private readonly revisions: RevisionsRepository,
    private readonly checks: ChecksRepository,
    private readonly publications: PublicationsRepository,
    private readonly alerts: EvidenceAlertsRepository,
    private readonly approval: ApprovalService,
    private readonly audit: AuditRepository,
    private readonly outbox: OutboxService,
    private readonly registries: RegistryClient,
    private readonly notifications: Notifications,
  ) {}

  async run(
    articleId: string,
    number: number,
    options: { fresh?: boolean } = {},
  ): Promise<{ status: CheckStatus; references: EvidenceResult[]; alerts: number } | null> {
    const revision = await this.revisions.find(articleId, number, this.db.autocommit);
    if (!revision) {
      this.logger.warn({ articleId, revision: number }, 'evidence check for a revision that does not exist; skipped');
      return null;
    }
    const references = await this.judge(revision, options.fresh ?? false);
    const status = evidenceCheckStatus(references);

    const alerts = await this.db.run(async (tx) => {
      const article = await this.articles.lock(articleId, tx);
      if (!article) return 0;
      await this.checks.upsert(
        articleId,
        number,
        'evidence',
        status,
        { references: references as unknown as JsonValue[] },
        tx,
      );
      await this.audit.append(
        {
          actor: null,
          action: 'checks.completed',
          entityType: 'revision',
          entityId: `${articleId}:${number}`,
          articleId,
          data: {
            check: 'evidence',
            revision: number,
            status,
            references: references.length,
            notVerified: references.filter((r) => r.status !== 'verified').map((r) => `${r.n}:${r.status}`),
          },
        },
        tx,
      );
      const raised = await this.raiseAlerts(article, revision, references, tx);
      if (article.currentRevision === number) await this.approval.approveIfReady(article, null, tx);
      return raised;
    });
    return { status, references, alerts };
  }

  /** Looks every DOI and PMID of the revision up; a reference cited by DOI and PMID is asked of both. */
  private judge(revision: RevisionRecord, fresh: boolean): Promise<EvidenceResult[]> {
    const checkedAt = new Date().toISOString();
    return mapLimit(evidenceTargets(revision.references), REFERENCES_IN_PARALLEL, async (target) => {
      const outcomes: LookupOutcome[] = [];
      if (target.doi) outcomes.push(await this.registries.crossref(target.doi, { fresh }));
      if (target.pmid) outcomes.push(await this.registries.pubmed(target.pmid, { fresh }));
      return judgeReference(target, revision.references[target.n - 1], outcomes, checkedAt);
    });
  }

  private async raiseAlerts(
    article: ArticleRecord,
    revision: RevisionRecord,
    references: readonly EvidenceResult[],
    tx: Tx,
  ): Promise<number> {
    const retracted = references.filter((r) => r.status === 'retracted' && r.notice);
    if (retracted.length === 0 || article.publishedRevision !== revision.number) return 0;
    const live = await this.publications.liveOfArticle(article.id, tx);
    // Readers no longer see it (unpublished), or they see another version: nothing to alert about.
    if (!live || live.retractedAt !== null || live.version !== article.publishedVersion) return 0;

    let raised = 0;
    for (const result of retracted) {
      const notice = result.notice;
      if (!notice) continue;
      const alert = await this.alerts.raise(
        { articleId: article.id, version: live.version, noticeKey: alertKey(result), referenceN: result.n, notice },
        tx,
      );
      if (!alert) continue;
      raised++;
      const reference = {
        n: result.n,
        doi: result.doi,
        pmid: result.pmid,
        title: revision.references[result.n - 1]?.title ?? '',
      };
      await this.articles.markReviewDue(article.id, live.version, 'retraction', tx);
      await this.audit.append(
        {
          actor: null,
          action: 'evidence.alert',
          entityType: 'article',
          entityId: article.id,
          articleId: article.id,
          data: { version: live.version, revision: revision.number, reference, notice: { ...notice } },
        },
        tx,
      );
      await this.outbox.emit(tx, 'article.evidence_alert', {
        articleId: article.id,
        slug: article.slug,
        version: live.version,
        reference,
        notice: { ...notice },
      });
      await this.notifications.toReviewers(tx, {
        kind: 'evidence.alert',
        article: { id: article.id, title: article.title },
        revision: revision.number,
        data: { version: live.version, reference, notice: { ...notice } },
      });
    }
    return raised;
  }
}
