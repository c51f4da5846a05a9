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

/**
 * How many checks jobs (a revision each) one worker runs at once. A check spends its time waiting
 * for host slots, which costs a promise, not a thread, so this bounds memory, not politeness
 * (HostLimiter does that). It is high so that revisions queued behind many that cite one busy site
 * still reach their own idle hosts: only this many jobs waiting on one host at once hold others back.
 */
export const CHECK_JOBS_AT_ONCE = 128;

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
    const links = await checkLinks(targets, this.cache, this.checker, options.fresh ?? false);
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
}

/**
 * Every link of a revision at once, each waiting only for its own host's slot (HostLimiter queues
 * them per host), so a revision citing a busy site and an idle one gets the idle one's answers at
 * once. One fetch per URL per TTL across all workers; the reference number is this revision's own.
 */
export async function checkLinks(
  targets: readonly LinkTarget[],
  cache: Pick<SharedResultCache<LinkResult>, 'getOrCompute'>,
  checker: Pick<LinkChecker, 'check'>,
  fresh: boolean,
): Promise<LinkResult[]> {
  const settled = await Promise.allSettled(
    targets.map(async (target) => {
      const { value } = await cache.getOrCompute(`${target.kind} ${target.url}`, () => checker.check(target), {
        fresh,
      });
      return { ...value, n: target.n, kind: target.kind, url: target.url };
    }),
  );
  // Every link settled first: a request still in flight when the job gives up would be cut off at
  // shutdown, and its link fetched again by the next worker instead of found in the cache.
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<LinkResult>).value);
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
