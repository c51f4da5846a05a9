import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import {
  ArticlesRepository,
  AuditRepository,
  ChecksRepository,
  RevisionsRepository,
  TransactionRunner,
} from '@imprimatur/database';
import { CheckStatus, JsonValue } from '@imprimatur/domain';
import { SharedResultCache } from '@imprimatur/outbound';
import { ApprovalService } from '@imprimatur/workflow';
import { LinkResult, linksCheckStatus } from './links/classify';
import { LinkChecker } from './links/link-checker';
import { LinkTarget, linkTargets } from './links/targets';

/** How many of one revision's links are checked at once; the per-host limit still applies to each. */
const LINKS_IN_PARALLEL = 8;

export const LINK_RESULT_CACHE = Symbol('LINK_RESULT_CACHE');

/**
 * Checks every link of a revision, stores the result, and — in the same transaction — lets the
 * approval rule run, so an article whose last sign-off came first is approved the moment its links pass.
 */
@Injectable()
export class LinksCheckService {
  private readonly logger = new Logger(LinksCheckService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly articles: ArticlesRepository,
    private readonly revisions: RevisionsRepository,
    private readonly checks: ChecksRepository,
    private readonly approval: ApprovalService,
    private readonly audit: AuditRepository,
    private readonly checker: LinkChecker,
    @Inject(LINK_RESULT_CACHE) private readonly cache: SharedResultCache<LinkResult>,
  ) {}

  async run(
    articleId: string,
    number: number,
    options: { fresh?: boolean } = {},
  ): Promise<{ status: CheckStatus; links: LinkResult[] } | null> {
    const revision = await this.revisions.find(articleId, number, this.db.autocommit);
    if (!revision) {
      this.logger.warn({ articleId, revision: number }, 'links check for a revision that does not exist; skipped');
      return null;
    }
    const targets = linkTargets(revision.references, {
      doi: this.config.outbound.doiResolverUrl,
      pubmed: this.config.outbound.pubmedUrl,
    });
    const links = await mapLimit(targets, LINKS_IN_PARALLEL, (target) =>
      this.checkCached(target, options.fresh ?? false),
    );
    const status = linksCheckStatus(links);

    await this.db.run(async (tx) => {
      const article = await this.articles.lock(articleId, tx);
      if (!article) return;
      await this.checks.upsert(articleId, number, 'links', status, { links: links as unknown as JsonValue[] }, tx);
      await this.audit.append(
        {
          actor: null,
          action: 'checks.completed',
          entityType: 'revision',
          entityId: `${articleId}:${number}`,
          articleId,
          data: {
            check: 'links',
            revision: number,
            status,
            links: links.length,
            notOk: links.filter((l) => l.status !== 'ok').map((l) => `${l.n}:${l.kind}:${l.status}`),
          },
        },
        tx,
      );
      if (article.currentRevision === number) await this.approval.approveIfReady(article, null, tx);
    });
    return { status, links };
  }

  /** One fetch per URL per TTL across all workers; the reference number is this revision's own. */
  private async checkCached(target: LinkTarget, fresh: boolean): Promise<LinkResult> {
    const { value } = await this.cache.getOrCompute(`${target.kind} ${target.url}`, () => this.checker.check(target), {
      fresh,
    });
    return { ...value, n: target.n, kind: target.kind, url: target.url };
  }
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the order of `items`. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
