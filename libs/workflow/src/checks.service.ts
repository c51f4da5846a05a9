import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import {
  ArticlesRepository,
  AuditRepository,
  ChecksRepository,
  RevisionsRepository,
  TransactionRunner,
  Tx,
} from '@imprimatur/database';
import {
  CheckRecord,
  checkCitations,
  CitationReport,
  consistencyCheck,
  evidenceTargets,
  JsonValue,
  notFound,
  Principal,
  readabilityCheck,
  RevisionRecord,
  staleReferences,
} from '@imprimatur/domain';
import { OutboxService } from '@imprimatur/queue';

export interface RevisionCheckResults {
  articleId: string;
  revision: number;
  checks: CheckRecord[];
}

/**
 * The checks that need nothing but the revision itself run in the revision's own transaction:
 * citation integrity, reference age, and the audience checks (contract §13: variant quantities
 * against the professional text, variant reading grade). The link check fetches the web and belongs
 * to the worker; until its result lands, `links` is pending.
 */
@Injectable()
export class RevisionChecks {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly checks: ChecksRepository,
    private readonly articles: ArticlesRepository,
    private readonly revisions: RevisionsRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditRepository,
  ) {}

  /** Each check's status and details for a revision (default: the current one); no result yet is `pending`. */
  async results(articleId: string, revision?: number): Promise<RevisionCheckResults> {
    const article = await this.articles.findById(articleId, this.db.autocommit);
    if (!article) throw notFound('Article');
    const number = revision ?? article.currentRevision;
    if (number > article.currentRevision) throw notFound(`Revision ${number}`);
    return {
      articleId,
      revision: number,
      checks: await this.checks.forRevision(articleId, number, this.db.autocommit),
    };
  }

  /** Runs the checks of the current revision again: the local ones at once, the links afresh in the worker. */
  async rerun(user: Principal, articleId: string): Promise<RevisionCheckResults> {
    await this.db.run(async (tx) => {
      const article = await this.articles.lock(articleId, tx);
      if (!article) throw notFound('Article');
      const revision = await this.revisions.find(articleId, article.currentRevision, tx);
      if (!revision) throw notFound(`Revision ${article.currentRevision}`);
      await this.runLocal(revision, tx);
      await this.checks.upsert(articleId, revision.number, 'links', 'pending', {}, tx);
      await this.outbox.emit(tx, 'checks.links', {
        articleId,
        revision: revision.number,
        reason: 'manual',
        fresh: true,
      });
      await this.startEvidence(revision, 'manual', tx);
      await this.audit.append(
        {
          actor: { id: user.id, email: user.email },
          action: 'checks.requested',
          entityType: 'revision',
          entityId: `${articleId}:${revision.number}`,
          articleId,
          data: { revision: revision.number },
        },
        tx,
      );
    });
    return this.results(articleId);
  }

  citations(revision: Pick<RevisionRecord, 'summary' | 'body' | 'references' | 'variants'>): CitationReport {
    // Every audience's text cites the one reference list (contract §13).
    return checkCitations({
      summary: revision.summary,
      body: revision.body,
      referenceCount: revision.references.length,
      variants: revision.variants,
    });
  }

  /**
   * The checks of a new revision: local ones now, in its transaction; the links and evidence checks
   * queued through the outbox.
   */
  async start(revision: RevisionRecord, tx: Tx): Promise<CitationReport> {
    const report = await this.runLocal(revision, tx);
    await this.outbox.emit(tx, 'checks.links', {
      articleId: revision.articleId,
      revision: revision.number,
      reason: 'revision',
    });
    await this.startEvidence(revision, 'revision', tx);
    return report;
  }

  /**
   * The registries are asked only about DOIs and PMIDs: a revision citing none passes at once, so it
   * never waits on the worker; otherwise the check is pending until the worker's lookups land. A
   * manual run looks again rather than reuse cached answers.
   */
  private async startEvidence(revision: RevisionRecord, reason: 'revision' | 'manual', tx: Tx): Promise<void> {
    const { articleId, number } = revision;
    if (evidenceTargets(revision.references).length === 0) {
      await this.checks.upsert(articleId, number, 'evidence', 'passed', { references: [] }, tx);
      return;
    }
    await this.checks.upsert(articleId, number, 'evidence', 'pending', {}, tx);
    await this.outbox.emit(tx, 'checks.evidence', {
      articleId,
      revision: number,
      reason,
      ...(reason === 'manual' ? { fresh: true } : {}),
    });
  }

  async runLocal(revision: RevisionRecord, tx: Tx): Promise<CitationReport> {
    const report = this.citations(revision);
    await this.checks.upsert(
      revision.articleId,
      revision.number,
      'citations',
      report.status,
      { problems: report.problems, cited: report.cited },
      tx,
    );
    const maxAgeYears = this.config.workflow.referenceMaxAgeYears;
    const stale = staleReferences(revision.references, new Date(), maxAgeYears);
    await this.checks.upsert(
      revision.articleId,
      revision.number,
      'staleness',
      stale.length > 0 ? 'warning' : 'passed',
      { maxAgeYears, stale: stale as unknown as JsonValue[] },
      tx,
    );
    const consistency = consistencyCheck(revision);
    await this.checks.upsert(
      revision.articleId,
      revision.number,
      'consistency',
      consistency.status,
      { problems: consistency.problems },
      tx,
    );
    const readability = readabilityCheck(revision, this.config.workflow.patientReadingGradeMax);
    await this.checks.upsert(
      revision.articleId,
      revision.number,
      'readability',
      readability.status,
      { maxGrade: readability.maxGrade, grades: readability.grades, problems: readability.problems },
      tx,
    );
    return report;
  }
}
