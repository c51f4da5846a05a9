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
  reviewer_name: string;
  reviewer_credentials: string | null;
  decision: SignoffDecision;
  content_hash: string;
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
  reviewer_name: true,
  reviewer_credentials: true,
  decision: true,
  content_hash: true,
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
  reviewerName: r.reviewer_name,
  reviewerCredentials: r.reviewer_credentials,
  decision: r.decision,
  contentHash: r.content_hash,
  note: r.note,
  status: r.status,
  createdAt: r.created_at,
  endedAt: r.ended_at,
});

@Injectable()
export class SignoffsRepository {
  /** The counted sign-offs on each article's current revision. */
  async countedOnCurrent(articleIds: string[], tx: Tx): Promise<Map<string, SignoffRecord[]>> {
    const rows = await many<SignoffRow>(
      tx,
      `SELECT ${SIGNOFF_COLUMNS.of('s')} FROM signoffs s JOIN articles a ON a.id = s.article_id AND a.current_revision = s.revision
       WHERE s.article_id = ANY($1::uuid[]) AND s.status = 'counted' ORDER BY s.created_at`,
      [articleIds],
    );
    const byArticle = new Map<string, SignoffRecord[]>(articleIds.map((id) => [id, []]));
    for (const r of rows) byArticle.get(r.article_id)?.push(toSignoff(r));
    return byArticle;
  }

  async counted(articleId: string, revision: number, tx: Tx): Promise<SignoffRecord[]> {
    const rows = await many<SignoffRow>(
      tx,
      `SELECT ${SIGNOFF_COLUMNS.list} FROM signoffs WHERE article_id = $1 AND revision = $2 AND status = 'counted' ORDER BY created_at`,
      [articleId, revision],
    );
    return rows.map(toSignoff);
  }

  /** Records a decision; the same reviewer's counted one on the same revision becomes `replaced`. */
  async record(
    signoff: {
      articleId: string;
      revision: number;
      reviewerId: string;
      reviewerName: string;
      reviewerCredentials: string | null;
      decision: SignoffDecision;
      contentHash: string;
      note: string | null;
    },
    tx: Tx,
  ): Promise<{ signoff: SignoffRecord; replaced: SignoffRecord | null }> {
    // At most one counted sign-off per reviewer and revision (a partial unique index).
    const replaced = await maybeOne<SignoffRow>(
      tx,
      `UPDATE signoffs SET status = 'replaced', ended_at = now()
       WHERE article_id = $1 AND revision = $2 AND reviewer_id = $3 AND status = 'counted' RETURNING ${SIGNOFF_COLUMNS.list}`,
      [signoff.articleId, signoff.revision, signoff.reviewerId],
    );
    const row = await one<SignoffRow>(
      tx,
      `INSERT INTO signoffs (article_id, revision, reviewer_id, reviewer_name, reviewer_credentials, decision, content_hash, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${SIGNOFF_COLUMNS.list}`,
      [
        signoff.articleId,
        signoff.revision,
        signoff.reviewerId,
        signoff.reviewerName,
        signoff.reviewerCredentials,
        signoff.decision,
        signoff.contentHash,
        signoff.note,
      ],
    );
    return { signoff: toSignoff(row), replaced: replaced ? toSignoff(replaced) : null };
  }

  /** Dismisses a reviewer's counted sign-offs on one article (they are kept, marked dismissed). */
  async dismissOfReviewer(articleId: string, reviewerId: string, tx: Tx): Promise<SignoffRecord[]> {
    const rows = await many<SignoffRow>(
      tx,
      `UPDATE signoffs SET status = 'dismissed', ended_at = now()
       WHERE article_id = $1 AND reviewer_id = $2 AND status = 'counted' RETURNING ${SIGNOFF_COLUMNS.list}`,
      [articleId, reviewerId],
    );
    return rows.map(toSignoff);
  }

  /** Dismisses the counted sign-offs on revisions before `revision`; they are kept, marked dismissed. */
  async dismissBefore(articleId: string, revision: number, tx: Tx): Promise<SignoffRecord[]> {
    const rows = await many<SignoffRow>(
      tx,
      `UPDATE signoffs SET status = 'dismissed', ended_at = now()
       WHERE article_id = $1 AND revision < $2 AND status = 'counted' RETURNING ${SIGNOFF_COLUMNS.list}`,
      [articleId, revision],
    );
    return rows.map(toSignoff);
  }

  /** Dismisses every counted sign-off on one revision (a re-review asks the board again); they are kept, marked dismissed. */
  async dismissOnRevision(articleId: string, revision: number, tx: Tx): Promise<SignoffRecord[]> {
    const rows = await many<SignoffRow>(
      tx,
      `UPDATE signoffs SET status = 'dismissed', ended_at = now()
       WHERE article_id = $1 AND revision = $2 AND status = 'counted' RETURNING ${SIGNOFF_COLUMNS.list}`,
      [articleId, revision],
    );
    return rows.map(toSignoff);
  }
}
