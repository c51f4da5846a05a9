import { Injectable } from '@nestjs/common';
import { SignoffDecision, SignoffRecord, SignoffStatus } from '@imprimatur/domain';
import { TableColumns } from '../columns';
import { many, maybeOne, one } from '../sql';
import { Tx } from '../transaction';

interface SignoffRow {
  id: string;
  article_id: string;
  revision: number;
  reviewer_id: string;
  decision: SignoffDecision;
  note: string | null;
  status: SignoffStatus;
  created_at: Date;
  ended_at: Date | null;
}

export const SIGNOFF_COLUMNS = new TableColumns<SignoffRow>('signoffs', {
  id: true,
  article_id: true,
  revision: true,
  reviewer_id: true,
  decision: true,
  note: true,
  status: true,
  created_at: true,
  ended_at: true,
});

const toSignoff = (r: SignoffRow): SignoffRecord => ({
  id: r.id,
  articleId: r.article_id,
  revision: r.revision,
  reviewerId: r.reviewer_id,
  decision: r.decision,
  note: r.note,
  status: r.status,
  createdAt: r.created_at,
  endedAt: r.ended_at,
});

@Injectable()
export class SignoffsRepository {
  /** The standing sign-offs on each article's current revision. */
  async standingOnCurrent(articleIds: string[], tx: Tx): Promise<Map<string, SignoffRecord[]>> {
    const rows = await many<SignoffRow>(
      tx,
      `SELECT ${SIGNOFF_COLUMNS.of('s')} FROM signoffs s JOIN articles a ON a.id = s.article_id AND a.current_revision = s.revision
       WHERE s.article_id = ANY($1::uuid[]) AND s.status = 'standing' ORDER BY s.created_at`,
      [articleIds],
    );
    const byArticle = new Map<string, SignoffRecord[]>(articleIds.map((id) => [id, []]));
    for (const r of rows) byArticle.get(r.article_id)?.push(toSignoff(r));
    return byArticle;
  }

  async standing(articleId: string, revision: number, tx: Tx): Promise<SignoffRecord[]> {
    const rows = await many<SignoffRow>(
      tx,
      `SELECT ${SIGNOFF_COLUMNS.list} FROM signoffs WHERE article_id = $1 AND revision = $2 AND status = 'standing' ORDER BY created_at`,
      [articleId, revision],
    );
    return rows.map(toSignoff);
  }

  /** Records a decision; the same reviewer's standing one on the same revision becomes `replaced`. */
  async record(
    signoff: {
      articleId: string;
      revision: number;
      reviewerId: string;
      decision: SignoffDecision;
      note: string | null;
    },
    tx: Tx,
  ): Promise<{ signoff: SignoffRecord; replaced: SignoffRecord | null }> {
    // At most one standing sign-off per reviewer and revision (a partial unique index).
    const replaced = await maybeOne<SignoffRow>(
      tx,
      `UPDATE signoffs SET status = 'replaced', ended_at = now()
       WHERE article_id = $1 AND revision = $2 AND reviewer_id = $3 AND status = 'standing' RETURNING ${SIGNOFF_COLUMNS.list}`,
      [signoff.articleId, signoff.revision, signoff.reviewerId],
    );
    const row = await one<SignoffRow>(
      tx,
      `INSERT INTO signoffs (article_id, revision, reviewer_id, decision, note) VALUES ($1, $2, $3, $4, $5) RETURNING ${SIGNOFF_COLUMNS.list}`,
      [signoff.articleId, signoff.revision, signoff.reviewerId, signoff.decision, signoff.note],
    );
    return { signoff: toSignoff(row), replaced: replaced ? toSignoff(replaced) : null };
  }

  /** Dismisses a reviewer's standing sign-offs on one article (they are kept, marked dismissed). */
  async dismissOfReviewer(articleId: string, reviewerId: string, tx: Tx): Promise<SignoffRecord[]> {
    const rows = await many<SignoffRow>(
      tx,
      `UPDATE signoffs SET status = 'dismissed', ended_at = now()
       WHERE article_id = $1 AND reviewer_id = $2 AND status = 'standing' RETURNING ${SIGNOFF_COLUMNS.list}`,
      [articleId, reviewerId],
    );
    return rows.map(toSignoff);
  }

  /** Dismisses the standing sign-offs on revisions before `revision`; they are kept, marked dismissed. */
  async dismissBefore(articleId: string, revision: number, tx: Tx): Promise<SignoffRecord[]> {
    const rows = await many<SignoffRow>(
      tx,
      `UPDATE signoffs SET status = 'dismissed', ended_at = now()
       WHERE article_id = $1 AND revision < $2 AND status = 'standing' RETURNING ${SIGNOFF_COLUMNS.list}`,
      [articleId, revision],
    );
    return rows.map(toSignoff);
  }
}
