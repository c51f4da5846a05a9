import { Injectable } from '@nestjs/common';
import { TableColumns } from '../columns';
import { exec, maybeOne, one } from '../sql';
import { Tx } from '../transaction';

/** Why a refresh token stopped working before it expired. */
export type RefreshRevocation = 'rotated' | 'logout' | 'reused' | 'deactivated';

export interface RefreshToken {
  id: string;
  userId: string;
  /** Every token descended from one sign-in; revoked together. */
  familyId: string;
  /** users.token_version when the family began: a later bump (deactivation) ends it. */
  tokenVersion: number;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: RefreshRevocation | null;
  replacedBy: string | null;
}

/** A token as looked up, with what the database's clock says about it (one clock for every API process). */
export interface PresentedRefreshToken extends RefreshToken {
  expired: boolean;
  /** Seconds since it was revoked; null while it is not. */
  revokedSecondsAgo: number | null;
}

export interface NewRefreshToken {
  userId: string;
  /** null starts a new family (a sign-in). */
  familyId: string | null;
  tokenHash: string;
  tokenVersion: number;
  expiresAt: Date;
}

interface RefreshTokenRow {
  id: string;
  user_id: string;
  family_id: string;
  token_version: number;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: RefreshRevocation | null;
  replaced_by: string | null;
}

export const REFRESH_TOKEN_COLUMNS = new TableColumns<RefreshTokenRow>(
  'refresh_tokens',
  {
    id: true,
    user_id: true,
    family_id: true,
    token_version: true,
    created_at: true,
    expires_at: true,
    revoked_at: true,
    revoked_reason: true,
    replaced_by: true,
  },
  { token_hash: 'sha256 of the token (hex): the lookup key, compared in WHERE and never read back' },
);

const toToken = (row: RefreshTokenRow): RefreshToken => ({
  id: row.id,
  userId: row.user_id,
  familyId: row.family_id,
  tokenVersion: row.token_version,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  revokedReason: row.revoked_reason,
  replacedBy: row.replaced_by,
});

// Expired families are kept a day past their end, so the audit and a support call can still see them.
const PRUNE_AFTER = '1 day';

@Injectable()
export class RefreshTokensRepository {
  async insert(token: NewRefreshToken, tx: Tx): Promise<RefreshToken> {
    const row = await one<RefreshTokenRow>(
      tx,
      `INSERT INTO refresh_tokens (user_id, family_id, token_hash, token_version, expires_at)
       VALUES ($1, coalesce($2::uuid, gen_random_uuid()), $3, $4, $5) RETURNING ${REFRESH_TOKEN_COLUMNS.list}`,
      [token.userId, token.familyId, token.tokenHash, token.tokenVersion, token.expiresAt],
    );
    return toToken(row);
  }

  /**
   * The token with this hash, locked: two refreshes presenting the same token run one after the
   * other, so exactly one of them rotates it.
   */
  async findByHashForUpdate(tokenHash: string, tx: Tx): Promise<PresentedRefreshToken | null> {
    const row = await maybeOne<RefreshTokenRow & { expired: boolean; revoked_seconds_ago: number | null }>(
      tx,
      `SELECT ${REFRESH_TOKEN_COLUMNS.list}, expires_at <= now() AS expired,
              extract(epoch FROM now() - revoked_at)::float8 AS revoked_seconds_ago
       FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    return row ? { ...toToken(row), expired: row.expired, revokedSecondsAgo: row.revoked_seconds_ago } : null;
  }

  /** Revokes a live token in favour of its successor; false when it was no longer live. */
  async markRotated(id: string, successorId: string, tx: Tx): Promise<boolean> {
    return (
      (await exec(
        tx,
        `UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = 'rotated', replaced_by = $2
         WHERE id = $1 AND revoked_at IS NULL`,
        [id, successorId],
      )) === 1
    );
  }

  /** Whether the family still has a token that works (not revoked, not expired). */
  async familyIsLive(familyId: string, tx: Tx): Promise<boolean> {
    return (
      (await maybeOne(
        tx,
        `SELECT 1 FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL AND expires_at > now() LIMIT 1`,
        [familyId],
      )) !== null
    );
  }

  /** Revokes every live token of a family; answers how many. */
  revokeFamily(familyId: string, reason: Exclude<RefreshRevocation, 'rotated'>, tx: Tx): Promise<number> {
    return exec(
      tx,
      `UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $2 WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId, reason],
    );
  }

  /** Revokes every live token of a user, in every family; answers how many. */
  revokeForUser(userId: string, reason: Exclude<RefreshRevocation, 'rotated'>, tx: Tx): Promise<number> {
    return exec(
      tx,
      `UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId, reason],
    );
  }

  /**
   * The retention sweep: deletes up to `families` sign-ins (whole families, which share one expiry, so
   * no token is left pointing at a deleted successor) that ended more than a day before `now`.
   * Answers how many tokens went.
   */
  deleteExpiredFamilies(now: Date, families: number, tx: Tx): Promise<number> {
    return exec(
      tx,
      `DELETE FROM refresh_tokens WHERE family_id IN (
         SELECT DISTINCT family_id FROM refresh_tokens
         WHERE expires_at < $1::timestamptz - interval '${PRUNE_AFTER}' LIMIT $2)`,
      [now.toISOString(), families],
    );
  }
}
