import { Injectable } from '@nestjs/common';
import { TableColumns } from '../columns';
import { one } from '../sql';
import { Tx } from '../transaction';

/** The publisher's editorial policy (contract §14): Markdown, and its HTML rendered once when written. */
export interface EditorialPolicyRecord {
  body: string;
  bodyHtml: string;
  updatedAt: Date;
}

interface EditorialPolicyRow {
  body: string;
  body_html: string;
  updated_at: Date;
}

export const EDITORIAL_POLICY_COLUMNS = new TableColumns<EditorialPolicyRow>(
  'editorial_policy',
  { body: true, body_html: true, updated_at: true },
  { singleton: 'always true: the primary key that keeps the table to one row' },
);

const toPolicy = (r: EditorialPolicyRow): EditorialPolicyRecord => ({
  body: r.body,
  bodyHtml: r.body_html,
  updatedAt: r.updated_at,
});

/**
 * One row, always there: the migration writes a default policy, so readers never meet a missing one
 * and the read is one primary-key lookup. Who changed it, and what it said before, is in the audit log.
 */
@Injectable()
export class EditorialPolicyRepository {
  async current(tx: Tx): Promise<EditorialPolicyRecord> {
    return toPolicy(
      await one<EditorialPolicyRow>(
        tx,
        `SELECT ${EDITORIAL_POLICY_COLUMNS.list} FROM editorial_policy WHERE singleton`,
      ),
    );
  }

  async replace(policy: { body: string; bodyHtml: string }, tx: Tx): Promise<EditorialPolicyRecord> {
    return toPolicy(
      await one<EditorialPolicyRow>(
        tx,
        `INSERT INTO editorial_policy (singleton, body, body_html, updated_at) VALUES (true, $1, $2, now())
         ON CONFLICT (singleton) DO UPDATE SET body = EXCLUDED.body, body_html = EXCLUDED.body_html, updated_at = now()
         RETURNING ${EDITORIAL_POLICY_COLUMNS.list}`,
        [policy.body, policy.bodyHtml],
      ),
    );
  }
}
