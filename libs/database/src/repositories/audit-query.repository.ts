import { Injectable } from '@nestjs/common';
import { Client, Query, types } from 'pg';
import {
  AuditEntry,
  AuditTimeline,
  CanonicalEntryVisitor,
  canonicalJson,
  GENESIS_HASH,
  JsonValue,
} from '@imprimatur/domain';
import { many, maybeOne, one } from '../sql';
import { Tx } from '../transaction';
import { AUDIT_LOG_COLUMNS, AuditRow } from './audit.repository';

/** Filters of `GET /audit`; each one is served by an index of audit_log (see the Foundation migration). */
export interface AuditFilters {
  articleId?: string;
  actorId?: string;
  action?: string;
  /** Inclusive lower bound on `at`. */
  since?: Date;
  /** Exclusive upper bound on `at`. */
  until?: Date;
}

export type AuditOrder = 'asc' | 'desc';

export interface AuditHead {
  seq: number;
  hash: string;
  at: string | null;
  entries: number;
}

// The driver's own timestamptz parser, for the rare `at` the SQL below does not format itself.
const parseTimestamptz = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (text: string) => Date;

/**
 * The chain's columns with `at` already as the API writes it (Date#toISOString, milliseconds
 * truncated as the driver's parser truncates them): parsing a timestamptz into a Date only to format
 * it again was the largest single cost of reading a million entries. Years outside 1–9999 are the
 * ones toISOString writes differently (±YYYYYY); those keep PostgreSQL's own text and the driver's path.
 */
const AT_TEXT = `CASE WHEN at >= '0001-01-01 00:00:00+00' AND at < '10000-01-01 00:00:00+00'
  THEN to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ELSE at::text END`;

const CHAIN_SELECT = AUDIT_LOG_COLUMNS.names
  .map((name) => (name === 'at' ? `${AT_TEXT} AS at` : `"${name}"`))
  .join(', ');

type ChainRow = Omit<AuditRow, 'at'> & { at: string };

const isoAt = (text: string): string => (text.endsWith('Z') ? text : parseTimestamptz(text).toISOString());

const chainRowToEntry = (row: ChainRow): AuditEntry => ({
  seq: Number(row.seq),
  at: isoAt(row.at),
  actor: row.actor_id ? { id: row.actor_id, email: row.actor_email ?? '' } : null,
  action: row.action,
  entityType: row.entity_type,
  entityId: row.entity_id,
  articleId: row.article_id,
  data: row.data,
  prevHash: row.prev_hash,
  hash: row.hash,
});

/**
 * The entry's canonical text (canonicalEntry in libs/domain/src/audit/hash-chain.ts) around `at` and
 * `data`, written by PostgreSQL: keys in RFC 8785 order, strings escaped by to_json, which writes
 * exactly what JSON.stringify writes for any text PostgreSQL can hold (no NUL, no lone surrogate).
 * Verifying a million entries, decoding eight columns and joining them in Node cost more than the
 * hashing; PostgreSQL does this part on the other core while Node hashes. `data` is left to
 * canonicalJson (jsonb's own text orders keys by length and writes numbers its own way) and `at` to
 * isoAt (the rare year toISOString writes differently). test/e2e/audit.e2e-spec.ts verifies entries
 * with awkward text in every field this way.
 */
const CANONICAL_HEAD = `'{"action":' || to_json(action)::text
  || ',"actor":' || CASE WHEN actor_id IS NULL THEN 'null'
       ELSE '{"email":' || to_json(coalesce(actor_email, ''))::text || ',"id":"' || actor_id::text || '"}' END
  || ',"articleId":' || coalesce('"' || article_id::text || '"', 'null')
  || ',"at":'`;
const CANONICAL_TAIL = `',"entityId":' || coalesce(to_json(entity_id)::text, 'null')
  || ',"entityType":' || to_json(entity_type)::text
  || ',"seq":' || seq::text || '}'`;

/** Rows of SCAN_SELECT, as arrays: 8 values instead of 11, and no object per row. */
type ScanRow = [
  seq: number,
  head: string,
  at: string,
  data: JsonValue,
  tail: string,
  action: string,
  prevHash: string,
  hash: string,
];

const SCAN_SELECT = `SELECT seq, ${CANONICAL_HEAD} AS head, ${AT_TEXT} AS at, data, ${CANONICAL_TAIL} AS tail,
    action, prev_hash, hash
  FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`;

const identity = (text: string) => text;
const INT8_OID = 20;
const JSONB_OID = 3802;
/** seq as a number (a chain never nears 2^53 entries), data parsed as the driver parses jsonb, the rest as text. */
const SCAN_TYPES = {
  getTypeParser: ((oid: number) =>
    oid === INT8_OID ? Number : oid === JSONB_OID ? JSON.parse : identity) as typeof types.getTypeParser,
};

/** Entries read per statement by `scan`: each statement is a snapshot of its own, as the batches of `range` are. */
export const AUDIT_SCAN_CHUNK = 50_000;

/** How many seqs share one latest `at` in the timeline: a `since` page filters out fewer than this many rows. */
const TIMELINE_BLOCK = 512;
/** How stale the timeline may be before a `since` page folds in what was appended since (the bound stays true meanwhile, only looser). */
const TIMELINE_REFRESH_MS = 1_000;

/**
 * `GET /audit`'s statement for one page. `lowestSeq`, with `since`: a seq no matching entry is below
 * (AuditTimeline). Exported for the benchmark's EXPLAIN.
 */
export function auditPageQuery(
  filters: AuditFilters,
  after: number | null,
  limit: number,
  order: AuditOrder,
  lowestSeq: number | null = null,
): { text: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (filters.articleId !== undefined) add((p) => `article_id = ${p}`, filters.articleId);
  if (filters.actorId !== undefined) add((p) => `actor_id = ${p}`, filters.actorId);
  if (filters.action !== undefined) add((p) => `action = ${p}`, filters.action);
  if (filters.since !== undefined) add((p) => `at >= ${p}`, filters.since.toISOString());
  // The planner takes the rows at or after an instant to be spread evenly over seq, while `at` rises
  // with seq: it walked the primary key from the first entry through every one before the instant
  // (720,000 of a million). The bound starts the walk next to the first match; the `at` filter
  // stays, so the rows are the same, only found sooner.
  if (filters.since !== undefined && lowestSeq !== null) add((p) => `seq >= ${p}`, lowestSeq);
  if (filters.until !== undefined) add((p) => `at < ${p}`, filters.until.toISOString());
  if (after !== null) add((p) => (order === 'asc' ? `seq > ${p}` : `seq < ${p}`), after);
  params.push(limit);
  const text = `SELECT ${CHAIN_SELECT} FROM audit_log
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY seq ${order === 'asc' ? 'ASC' : 'DESC'}
       LIMIT $${params.length}`;
  return { text, params };
}

/**
 * Read side of the audit log: filtered keyset pages for `GET /audit`, and bounded batches in chain
 * order for verification and exports. (Appending stays in AuditRepository.)
 */
@Injectable()
export class AuditQueryRepository {
  private readonly timeline = new AuditTimeline(TIMELINE_BLOCK);
  private timelineAt = 0;
  private refreshing: Promise<void> | null = null;

  /**
   * Up to `limit` entries matching the filters, strictly after (`asc`) or before (`desc`) the seq
   * `after`, ordered by seq. Callers ask for one more than a page to learn whether there is a next.
   */
  async page(
    filters: AuditFilters,
    after: number | null,
    limit: number,
    order: AuditOrder,
    tx: Tx,
  ): Promise<AuditEntry[]> {
    const { text, params } = await this.pageStatement(filters, after, limit, order, tx);
    const rows = await many<ChainRow>(tx, text, params);
    return rows.map(chainRowToEntry);
  }

  /** The statement `page` runs (exported for the benchmark's EXPLAIN). */
  async pageStatement(
    filters: AuditFilters,
    after: number | null,
    limit: number,
    order: AuditOrder,
    tx: Tx,
  ): Promise<{ text: string; params: unknown[] }> {
    const lowestSeq = filters.since === undefined ? null : await this.lowestSeqFrom(filters.since, tx);
    return auditPageQuery(filters, after, limit, order, lowestSeq);
  }

  /** The lowest seq an entry at or after `since` can have, from this process's timeline of the log. */
  private async lowestSeqFrom(since: Date, tx: Tx): Promise<number> {
    if (Date.now() - this.timelineAt > TIMELINE_REFRESH_MS) await this.refreshTimeline(tx);
    return this.timeline.lowestSeqFrom(since.getTime());
  }

  /**
   * Folds the entries appended since the last time into the timeline: the first time the whole log
   * (an index-only pass over audit_log_seq_at, about 0.3 s at a million entries), then a few rows.
   * One refresh at a time per process; callers meanwhile wait for it.
   */
  private refreshTimeline(tx: Tx): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        // Rounded up to the millisecond: an `at` read as later than it is only loosens the bound.
        const rows = await many<{ block: string; latest: number; last: string }>(
          tx,
          `SELECT seq / $1 AS block, ceil(extract(epoch FROM max(at)) * 1000)::float8 AS latest, max(seq) AS last
           FROM audit_log WHERE seq > $2 GROUP BY 1`,
          [TIMELINE_BLOCK, this.timeline.seenUpTo],
        );
        for (const row of rows) this.timeline.fold(Number(row.block), Number(row.latest), Number(row.last));
        this.timelineAt = Date.now();
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** The highest seq now in the log, 0 when it is empty. */
  async headSeq(tx: Tx): Promise<number> {
    const { seq } = await one<{ seq: string | null }>(tx, 'SELECT max(seq) AS seq FROM audit_log');
    return Number(seq ?? 0);
  }

  /**
   * The newest entry's seq, hash and time, and how many entries there are (which equals seq unless
   * rows went missing). An empty log answers seq 0 and the genesis hash.
   */
  async head(tx: Tx): Promise<AuditHead> {
    const head = await maybeOne<Pick<AuditRow, 'seq' | 'hash' | 'at'> & { entries: string }>(
      tx,
      `SELECT seq, hash, at, (SELECT count(*) FROM audit_log) AS entries FROM audit_log ORDER BY seq DESC LIMIT 1`,
    );
    if (!head) return { seq: 0, hash: GENESIS_HASH, at: null, entries: 0 };
    return { seq: Number(head.seq), hash: head.hash, at: head.at.toISOString(), entries: Number(head.entries) };
  }

  /** Up to `limit` entries with `after < seq <= upTo`, in chain order (a primary-key range scan). */
  async range(after: number, upTo: number, limit: number, tx: Tx): Promise<AuditEntry[]> {
    const rows = await many<ChainRow>(
      tx,
      `SELECT ${CHAIN_SELECT} FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
      [after, upTo, limit],
    );
    return rows.map(chainRowToEntry);
  }

  /**
   * Every entry with `seq <= upTo`, in chain order, through `visit` as it arrives from the socket,
   * until `visit` answers false. Nothing is held but the row being visited: the driver hands each row
   * over as it decodes it, and the next statement is sent as soon as the previous one has ended, so
   * PostgreSQL reads and writes out rows while Node hashes the ones before.
   */
  async scan(upTo: number, visit: CanonicalEntryVisitor, tx: Tx, chunk = AUDIT_SCAN_CHUNK): Promise<void> {
    const own = tx.queryRunner;
    const runner = own ?? tx.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as Client;
      let after = 0;
      let going = true;
      while (going && after < upTo) {
        let read = 0;
        await new Promise<void>((resolve, reject) => {
          const query = new Query<ScanRow>({
            text: SCAN_SELECT,
            values: [after, upTo, chunk],
            rowMode: 'array',
            types: SCAN_TYPES,
          } as ConstructorParameters<typeof Query>[0]);
          // Rows are visited inside the driver's socket handler, where a throw would break the
          // connection: it is kept until the statement has ended, and rethrown then.
          let failure: unknown = null;
          query.on('row', (row: ScanRow) => {
            read += 1;
            if (!going) return;
            try {
              const [seq, head, at, data, tail, action, prevHash, hash] = row;
              after = seq;
              const canonical = `${head}${JSON.stringify(isoAt(at))},"data":${canonicalJson(data)}${tail}`;
              going = visit(seq, prevHash, hash, canonical, action, data as AuditEntry['data']);
            } catch (error) {
              failure = error;
              going = false;
            }
          });
          query.on('error', reject);
          query.on('end', () => (failure === null ? resolve() : reject(failure as Error)));
          void client.query(query);
        });
        if (read < chunk) break;
      }
    } finally {
      if (!own) await runner.release();
    }
  }
}
