import { Injectable } from '@nestjs/common';
import { AuditActor, AuditEntry, chainEntry, GENESIS_HASH, JsonValue } from '@imprimatur/domain';
import { TableColumns } from '../columns';
import { advisoryXactLock, exec, many, maybeOne } from '../sql';
import { Tx } from '../transaction';

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

@Injectable()
export class AuditRepository {
  /**
   * Appends one entry inside the caller's transaction. A transaction-scoped advisory lock serialises
   * appenders from the moment they read the chain's head until they commit, so the chain cannot fork;
   * callers should append last in their transaction to hold the lock briefly.
   */
  async append(record: AuditRecord, tx: Tx): Promise<AuditEntry> {
    // Re-entrant: a caller that took the lock through lockedHead() already holds it.
    await advisoryXactLock(tx, AUDIT_APPEND_LOCK_KEY);
    const prev = await maybeOne<Pick<AuditRow, 'seq' | 'hash'>>(
      tx,
      'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
    );
    const entry = chainEntry(prev ? prev.hash : GENESIS_HASH, {
      seq: prev ? Number(prev.seq) + 1 : 1,
      at: new Date().toISOString(),
      actor: record.actor ? { id: record.actor.id, email: record.actor.email } : null,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId ?? null,
      articleId: record.articleId ?? null,
      data: record.data ?? {},
    });
    await exec(
      tx,
      `INSERT INTO audit_log (seq, at, actor_id, actor_email, action, entity_type, entity_id, article_id, data, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        entry.seq,
        entry.at,
        entry.actor?.id ?? null,
        entry.actor?.email ?? null,
        entry.action,
        entry.entityType,
        entry.entityId,
        entry.articleId,
        JSON.stringify(entry.data),
        entry.prevHash,
        entry.hash,
      ],
    );
    return entry;
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
