import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import {
  AuditEntry,
  ChainVerdict,
  ChainVerifier,
  decodeCursor,
  Page,
  toPage,
  validationFailed,
} from '@imprimatur/domain';
import { AuditFilters, AuditOrder, AuditQueryRepository, TransactionRunner } from '@imprimatur/database';

/** Entries read per query when verifying or exporting: big enough to amortise a round trip, small enough to keep memory flat. */
export const AUDIT_BATCH_SIZE = 10_000;

export const AUDIT_EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

/** The CSV export's columns, in order; `data` is the entry's data as JSON text. */
export const AUDIT_CSV_COLUMNS = [
  'seq',
  'at',
  'actorId',
  'actorEmail',
  'action',
  'entityType',
  'entityId',
  'articleId',
  'data',
  'prevHash',
  'hash',
] as const;

export interface AuditExport {
  stream: Readable;
  contentType: string;
  filename: string;
}

// Entries handed on to the response stream this many at a time.
const EXPORT_CHUNK = 250;

const csvRecord = (e: AuditEntry): Record<(typeof AUDIT_CSV_COLUMNS)[number], string> => ({
  seq: String(e.seq),
  at: e.at,
  actorId: e.actor?.id ?? '',
  actorEmail: e.actor?.email ?? '',
  action: e.action,
  entityType: e.entityType,
  entityId: e.entityId ?? '',
  articleId: e.articleId ?? '',
  data: JSON.stringify(e.data),
  prevHash: e.prevHash,
  hash: e.hash,
});

/** The field order of an entry everywhere it leaves the API (list items and JSONL lines). */
export const auditEntryView = (e: AuditEntry): AuditEntry => ({
  seq: e.seq,
  at: e.at,
  actor: e.actor ? { id: e.actor.id, email: e.actor.email } : null,
  action: e.action,
  entityType: e.entityType,
  entityId: e.entityId,
  articleId: e.articleId,
  data: e.data,
  prevHash: e.prevHash,
  hash: e.hash,
});

/** Admin reads of the audit log: filtered pages, chain verification and streamed exports. */
@Injectable()
export class AuditReadService {
  constructor(
    private readonly audit: AuditQueryRepository,
    private readonly db: TransactionRunner,
  ) {}

  /** Keyset pages by seq; the cursor is the seq of the previous page's last entry. */
  async list(
    filters: AuditFilters,
    limit: number,
    cursor?: string,
    order: AuditOrder = 'asc',
  ): Promise<Page<AuditEntry>> {
    let after: number | null = null;
    if (cursor !== undefined) {
      const [seq] = decodeCursor(cursor, ['number']);
      if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
        throw validationFailed('cursor is malformed', { fields: { cursor: ['is malformed'] } });
      }
      after = seq;
    }
    const rows = await this.audit.page(filters, after, limit + 1, order, this.db.autocommit);
    return toPage(rows, limit, (e) => [e.seq], auditEntryView);
  }

  /**
   * The whole chain in seq order, `batchSize` entries at a time, up to the head as it was when
   * reading began (entries appended meanwhile are left for the next reader). The next batch is
   * fetched while the caller works on the current one, so at most two batches are held.
   */
  async *batches(batchSize = AUDIT_BATCH_SIZE): AsyncGenerator<AuditEntry[]> {
    const upTo = await this.audit.headSeq(this.db.autocommit);
    let next: Promise<AuditEntry[]> | null = upTo > 0 ? this.audit.range(0, upTo, batchSize, this.db.autocommit) : null;
    try {
      while (next) {
        const batch = await next;
        next = null;
        const last = batch[batch.length - 1];
        if (!last) return;
        if (batch.length === batchSize && last.seq < upTo)
          next = this.audit.range(last.seq, upTo, batchSize, this.db.autocommit);
        yield batch;
      }
    } finally {
      // The consumer stopped early (a broken chain, a client gone): nobody waits for the prefetch.
      next?.catch(() => undefined);
    }
  }

  /** Streams the chain through a ChainVerifier; stops at the first broken seq. */
  async verify(batchSize = AUDIT_BATCH_SIZE): Promise<ChainVerdict> {
    const verifier = new ChainVerifier();
    for await (const batch of this.batches(batchSize)) {
      for (const entry of batch) {
        if (!verifier.push(entry)) return verifier.verdict();
      }
    }
    return verifier.verdict();
  }

  /**
   * The whole log as a stream that reads a batch only when the client has taken the previous
   * ones (Readable backpressure), so memory stays flat whatever the size of the table.
   */
  export(format: AuditExportFormat, now = new Date()): AuditExport {
    const filename = `audit-${now.toISOString().slice(0, 10)}.${format}`;
    if (format === 'jsonl') {
      return {
        stream: Readable.from(this.jsonLines(), { objectMode: false }),
        contentType: 'application/x-ndjson; charset=utf-8',
        filename,
      };
    }
    // A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading single
    // quote: the OWASP rule against CSV injection, as csv-stringify's escape_formulas applies it.
    const csv = stringify({ header: true, columns: [...AUDIT_CSV_COLUMNS], escape_formulas: true });
    const records = Readable.from(this.csvRecords(), { objectMode: true, highWaterMark: EXPORT_CHUNK });
    records.on('error', (error) => csv.destroy(error));
    csv.on('close', () => records.destroy());
    records.pipe(csv);
    return { stream: csv, contentType: 'text/csv; charset=utf-8', filename };
  }

  private async *jsonLines(): AsyncGenerator<string> {
    for await (const batch of this.batches()) {
      for (let i = 0; i < batch.length; i += EXPORT_CHUNK) {
        let chunk = '';
        for (const entry of batch.slice(i, i + EXPORT_CHUNK)) chunk += `${JSON.stringify(auditEntryView(entry))}\n`;
        yield chunk;
      }
    }
  }

  private async *csvRecords(): AsyncGenerator<ReturnType<typeof csvRecord>> {
    for await (const batch of this.batches()) {
      for (const entry of batch) yield csvRecord(entry);
    }
  }
}
