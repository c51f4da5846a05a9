import { Injectable } from '@nestjs/common';
import { AuditActor, AuditEntry, AuditEntryContent, canonicalEntry, GENESIS_HASH, JsonValue } from '@imprimatur/domain';
import { TableColumns } from '../columns';
import { advisoryXactLock, many, maybeOne } from '../sql';
import { beforeCommit, Tx } from '../transaction';

export interface AuditRecord {
  actor: AuditActor | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  articleId?: string | null;
  data?: { [key: string]: JsonValue };
}

/** A row of audit_log as the driver returns it (bigint seq as a string). */
export interface AuditRow {
  seq: string;
  at: Date;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  article_id: string | null;
  data: { [key: string]: JsonValue };
  prev_hash: string;
  hash: string;
}

export const AUDIT_LOG_COLUMNS = new TableColumns<AuditRow>('audit_log', {
  seq: true,
  at: true,
  actor_id: true,
  actor_email: true,
  action: true,
  entity_type: true,
  entity_id: true,
  article_id: true,
  data: true,
  prev_hash: true,
  hash: true,
});

export const toAuditEntry = (row: AuditRow): AuditEntry => ({
  seq: Number(row.seq),
  at: row.at.toISOString(),
  actor: row.actor_id ? { id: row.actor_id, email: row.actor_email ?? '' } : null,
  action: row.action,
  entityType: row.entity_type,
  entityId: row.entity_id,
  articleId: row.article_id,
  data: row.data,
  prevHash: row.prev_hash,
  hash: row.hash,
});

// Any constant works; every appender must use the same one.
const AUDIT_APPEND_LOCK_KEY = 7_246_813_002;

/**
 * An entry's canonical text (canonicalEntry) around the two values that only the database knows under
 * the append lock: `head` ends with `"at":` and `tail` with `"seq":`, so that the text hashed is
 * `head + JSON.stringify(at) + tail + seq + "}"` (see migrations/1765000001000-AuditAppend.ts).
 */
export function canonicalParts(content: Omit<AuditEntryContent, 'seq' | 'at'>): { head: string; tail: string } {
  const text = canonicalEntry({ ...content, seq: 0, at: '' });
  // Keys are in RFC 8785 order and every string value before "at" is JSON-escaped, so the first
  // unescaped `,"at":""` is the key itself.
  const at = text.indexOf(AT_KEY);
  if (at < 0 || !text.endsWith(SEQ_END)) throw new Error("an audit entry's canonical text has an unexpected shape");
  return {
    head: text.slice(0, at + AT_KEY.length - 2),
    tail: text.slice(at + AT_KEY.length, -'0}'.length),
  };
}

const AT_KEY = ',"at":""';
const SEQ_END = ',"seq":0}';

interface Appended {
  seq: string;
  at: string;
  prev_hash: string;
  hash: string;
}

@Injectable()
export class AuditRepository {
  /** The entries each open transaction will append at its end. */
  private readonly queued = new WeakMap<Tx, AuditRecord[]>();

  /**
   * Appends one entry as part of the caller's transaction. Within `TransactionRunner.run` the entries
   * are written, in the order given, as the transaction's last statement (`beforeCommit`): appenders
   * serialise on one lock held until COMMIT, so the chain cannot fork, and taking it last keeps every
   * other write in the system from waiting behind this transaction's remaining work. Elsewhere
   * (autocommit) the entry is written at once, still in one statement.
   */
  async append(record: AuditRecord, tx: Tx): Promise<void> {
    const queue = this.queued.get(tx);
    if (queue) {
      queue.push(record);
      return;
    }
    const fresh = [record];
    if (beforeCommit(tx, () => this.write(fresh, tx).then(() => undefined))) {
      this.queued.set(tx, fresh);
      return;
    }
    await this.write(fresh, tx);
  }

  /**
   * Appends at once and answers the entry: for a caller that needs it before its transaction ends,
   * such as a digest of the head taken under lockedHead(). It holds the lock from here to COMMIT.
   */
  async appendNow(record: AuditRecord, tx: Tx): Promise<AuditEntry> {
    const [entry] = await this.write([record], tx);
    return entry;
  }

  private async write(records: AuditRecord[], tx: Tx): Promise<AuditEntry[]> {
    const contents = records.map((record) => ({
      actor: record.actor ? { id: record.actor.id, email: record.actor.email } : null,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId ?? null,
      articleId: record.articleId ?? null,
      data: record.data ?? {},
    }));
    const entries = contents.map((content) => ({
      ...canonicalParts(content),
      actor_id: content.actor?.id ?? null,
      actor_email: content.actor?.email ?? null,
      action: content.action,
      entity_type: content.entityType,
      entity_id: content.entityId,
      article_id: content.articleId,
      data: content.data,
    }));
    const rows = await many<Appended>(tx, 'SELECT seq, at, prev_hash, hash FROM audit_append($1, $2, $3)', [
      AUDIT_APPEND_LOCK_KEY,
      GENESIS_HASH,
      JSON.stringify(entries),
    ]);
    if (rows.length !== records.length)
      throw new Error(`audit_append wrote ${rows.length} of ${records.length} entries`);
    return rows.map((row, i) => ({
      ...contents[i],
      seq: Number(row.seq),
      at: row.at,
      prevHash: row.prev_hash,
      hash: row.hash,
    }));
  }

  /**
   * Takes the append lock for the rest of the caller's transaction and answers the newest entry (null
   * when the log is empty): for an entry that depends on the head, such as a digest of it, which must
   * then be appended in the same transaction so that nothing comes between the two.
   */
  async lockedHead(tx: Tx): Promise<AuditEntry | null> {
    await advisoryXactLock(tx, AUDIT_APPEND_LOCK_KEY);
    const row = await maybeOne<AuditRow>(
      tx,
      `SELECT ${AUDIT_LOG_COLUMNS.list} FROM audit_log ORDER BY seq DESC LIMIT 1`,
    );
    return row ? toAuditEntry(row) : null;
  }

  /** Entries after `afterSeq`, in chain order; the verifier and exports read the log in such batches. */
  async batchAfter(afterSeq: number, limit: number, tx: Tx): Promise<AuditEntry[]> {
    const rows = await many<AuditRow>(
      tx,
      `SELECT ${AUDIT_LOG_COLUMNS.list} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map(toAuditEntry);
  }

  async forEntity(entityType: string, entityId: string, tx: Tx): Promise<AuditEntry[]> {
    const rows = await many<AuditRow>(
      tx,
      `SELECT ${AUDIT_LOG_COLUMNS.list} FROM audit_log WHERE entity_type = $1 AND entity_id = $2 ORDER BY seq`,
      [entityType, entityId],
    );
    return rows.map(toAuditEntry);
  }
}
