import { Injectable } from '@nestjs/common';
import {
  CHECK_NAMES,
  CheckName,
  CheckRecord,
  CheckStatus,
  CheckSummary,
  JsonValue,
  pendingChecks,
} from '@imprimatur/domain';
import { TableColumns } from '../columns';
import { exec, many } from '../sql';
import { Tx } from '../transaction';

interface CheckRow {
  article_id: string;
  check: CheckName;
  status: CheckStatus;
  details: { [key: string]: JsonValue };
  updated_at: Date;
}

export const CHECK_RESULT_COLUMNS = new TableColumns<CheckRow>(
  'check_results',
  { article_id: true, check: true, status: true, details: true, updated_at: true },
  { revision: 'a filter only: results are always read for one revision, the one asked for' },
);

@Injectable()
export class ChecksRepository {
  async upsert(
    articleId: string,
    revision: number,
    check: CheckName,
    status: CheckStatus,
    details: { [key: string]: JsonValue },
    tx: Tx,
  ): Promise<void> {
    await exec(
      tx,
      `INSERT INTO check_results (article_id, revision, "check", status, details) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (article_id, revision, "check") DO UPDATE SET status = EXCLUDED.status, details = EXCLUDED.details, updated_at = now()`,
      [articleId, revision, check, status, JSON.stringify(details)],
    );
  }

  /** Each article's check summary on its current revision; a check with no result yet is `pending`. */
  async summariesOfCurrent(articleIds: string[], tx: Tx): Promise<Map<string, CheckSummary>> {
    const rows = await many<Pick<CheckRow, 'article_id' | 'check' | 'status'>>(
      tx,
      `SELECT c.article_id, c."check", c.status FROM check_results c
       JOIN articles a ON a.id = c.article_id AND a.current_revision = c.revision
       WHERE c.article_id = ANY($1::uuid[])`,
      [articleIds],
    );
    const byArticle = new Map<string, CheckSummary>(articleIds.map((id) => [id, pendingChecks()]));
    for (const r of rows) {
      const summary = byArticle.get(r.article_id);
      if (summary) summary[r.check] = r.status;
    }
    return byArticle;
  }

  async forRevision(articleId: string, revision: number, tx: Tx): Promise<CheckRecord[]> {
    const rows = await many<CheckRow>(
      tx,
      `SELECT ${CHECK_RESULT_COLUMNS.list} FROM check_results WHERE article_id = $1 AND revision = $2`,
      [articleId, revision],
    );
    const found = new Map(rows.map((r) => [r.check, r]));
    return CHECK_NAMES.map((check) => {
      const r = found.get(check);
      return r
        ? { check, status: r.status, details: r.details, updatedAt: r.updated_at }
        : { check, status: 'pending', details: {}, updatedAt: new Date(0) };
    });
  }

  async summaryOf(articleId: string, revision: number, tx: Tx): Promise<CheckSummary> {
    const summary = pendingChecks();
    for (const r of await this.forRevision(articleId, revision, tx)) summary[r.check] = r.status;
    return summary;
  }
}
