import { Injectable } from '@nestjs/common';
import { types } from 'pg';
import { AuditEntry, GENESIS_HASH } from '@imprimatur/domain';
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
const CHAIN_SELECT = AUDIT_LOG_COLUMNS.names
  .map((name) =>
    name === 'at'
      ? `CASE WHEN at >= '0001-01-01 00:00:00+00' AND at < '10000-01-01 00:00:00+00'
          THEN to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ELSE at::text END AS at`
      : `"${name}"`,
  )
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
 * Read side of the audit log: filtered keyset pages for `GET /audit`, and bounded batches in chain
 * order for verification and exports. (Appending stays in AuditRepository.)
 */
@Injectable()
export class AuditQueryRepository {
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
    if (filters.until !== undefined) add((p) => `at < ${p}`, filters.until.toISOString());
    if (after !== null) add((p) => (order === 'asc' ? `seq > ${p}` : `seq < ${p}`), after);
    params.push(limit);
    const text = `SELECT ${CHAIN_SELECT} FROM audit_log
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY seq ${order === 'asc' ? 'ASC' : 'DESC'}
       LIMIT $${params.length}`;
    const rows = await many<ChainRow>(tx, text, params);
    return rows.map(chainRowToEntry);
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
}
