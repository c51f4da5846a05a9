import { Injectable } from '@nestjs/common';
import type { EvidenceNotice } from '@imprimatur/domain';
import { TableColumns } from '../columns';
import { maybeOne } from '../sql';
import { Tx } from '../transaction';

/** A retraction found for a paper a live version cites (contract §16): raised once per version and notice. */
export interface EvidenceAlertRecord {
  articleId: string;
  version: number;
  /** The paper and the kind of notice, e.g. `doi:10.1021/am300292v retraction`. */
  noticeKey: string;
  referenceN: number;
  notice: EvidenceNotice;
  createdAt: Date;
}

interface EvidenceAlertRow {
  article_id: string;
  version: number;
  notice_key: string;
  reference_n: number;
  notice: EvidenceNotice;
  created_at: Date;
}

export const EVIDENCE_ALERT_COLUMNS = new TableColumns<EvidenceAlertRow>('evidence_alerts', {
  article_id: true,
  version: true,
  notice_key: true,
  reference_n: true,
  notice: true,
  created_at: true,
});

const toAlert = (r: EvidenceAlertRow): EvidenceAlertRecord => ({
  articleId: r.article_id,
  version: r.version,
  noticeKey: r.notice_key,
  referenceN: r.reference_n,
  notice: r.notice,
  createdAt: r.created_at,
});

@Injectable()
export class EvidenceAlertsRepository {
  /**
   * Records the alert unless this version already had it; null when it did. The primary key decides,
   * so two workers re-checking the same article at once raise it once.
   */
  async raise(
    alert: Pick<EvidenceAlertRecord, 'articleId' | 'version' | 'noticeKey' | 'referenceN' | 'notice'>,
    tx: Tx,
  ): Promise<EvidenceAlertRecord | null> {
    const row = await maybeOne<EvidenceAlertRow>(
      tx,
      `INSERT INTO evidence_alerts (article_id, version, notice_key, reference_n, notice) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (article_id, version, notice_key) DO NOTHING
       RETURNING ${EVIDENCE_ALERT_COLUMNS.list}`,
      [alert.articleId, alert.version, alert.noticeKey, alert.referenceN, JSON.stringify(alert.notice)],
    );
    return row ? toAlert(row) : null;
  }
}
