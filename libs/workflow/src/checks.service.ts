import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { ChecksRepository, Tx } from '@imprimatur/database';
import { checkCitations, CitationReport, JsonValue, RevisionRecord, staleReferences } from '@imprimatur/domain';

/**
 * The checks that need nothing but the revision itself run in the revision's own transaction:
 * citation integrity and reference age. The link check fetches the web and belongs to the worker;
 * until its result lands, `links` is pending.
 */
@Injectable()
export class RevisionChecks {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly checks: ChecksRepository,
  ) {}

  citations(revision: Pick<RevisionRecord, 'summary' | 'body' | 'references'>): CitationReport {
    return checkCitations({ summary: revision.summary, body: revision.body, referenceCount: revision.references.length });
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
    return report;
  }
}
