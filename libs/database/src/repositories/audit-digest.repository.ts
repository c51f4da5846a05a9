import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  asDigest,
  assertEd25519,
  AUDIT_DIGEST_ACTION,
  AuditDigest,
  AuditEntry,
  DIGEST_ALGORITHM,
  GENESIS_HASH,
  keyIdOf,
  signDigest,
} from '@imprimatur/domain';
import { TableColumns } from '../columns';
import { exec, many, maybeOne } from '../sql';
import { TransactionRunner, Tx } from '../transaction';
import { AuditRepository, AuditRow } from './audit.repository';

export interface DigestPublicKey {
  keyId: string;
  algorithm: typeof DIGEST_ALGORITHM;
  /** SPKI PEM. */
  publicKey: string;
  /** True for the key generated because AUDIT_DIGEST_KEY was not set (its private half is in the database). */
  generated: boolean;
  createdAt: string;
}

export interface DigestOutcome {
  /** The digest's own audit entry. */
  entry: AuditEntry;
  digest: AuditDigest;
  /** False when the newest entry already was a digest: nothing new to vouch for, so that one stands. */
  appended: boolean;
}

interface DigestKeyRow {
  key_id: string;
  public_key: string;
  /** Set only for the key generated because AUDIT_DIGEST_KEY was not set. */
  private_key: string | null;
  created_at: Date;
}

export const AUDIT_DIGEST_KEY_COLUMNS = new TableColumns<DigestKeyRow>(
  'audit_digest_keys',
  { key_id: true, public_key: true, private_key: true, created_at: true },
  {
    algorithm:
      'written for the record; a CHECK constraint holds it to DIGEST_ALGORITHM (Ed25519), which the code answers',
  },
);

/**
 * Signed digests of the audit chain's head and the keys that sign them. Every key that ever signed is
 * recorded (public half), so that earlier digests stay checkable after AUDIT_DIGEST_KEY changes.
 */
@Injectable()
export class AuditDigestRepository {
  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * The key that signs: the configured one (AUDIT_DIGEST_KEY, PKCS#8 PEM), else the one generated at
   * first use and kept in the database, so that it survives restarts and every worker uses the same.
   */
  async signingKey(configuredPem: string | null): Promise<KeyObject> {
    if (configuredPem !== null) {
      const key = createPrivateKey(configuredPem);
      assertEd25519(key);
      await this.record(key, null);
      return key;
    }
    const stored = await this.generatedKey();
    if (stored) return stored;
    const { privateKey } = generateKeyPairSync('ed25519');
    await this.record(privateKey, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    // Another worker may have stored its key first (one generated key at most): all sign with that one.
    const kept = await this.generatedKey();
    if (!kept) throw new Error('the generated audit digest key was not stored');
    return kept;
  }

  async publicKeys(tx: Tx): Promise<DigestPublicKey[]> {
    const rows = await many<Pick<DigestKeyRow, 'key_id' | 'public_key' | 'created_at'> & { generated: boolean }>(
      tx,
      `SELECT key_id, public_key, private_key IS NOT NULL AS generated, created_at FROM audit_digest_keys ORDER BY created_at, key_id`,
    );
    return rows.map((r) => ({
      keyId: r.key_id,
      algorithm: DIGEST_ALGORITHM,
      publicKey: r.public_key,
      generated: r.generated,
      createdAt: r.created_at.toISOString(),
    }));
  }

  /**
   * Appends an `audit.digest` entry that signs the newest entry, right after it: the append lock is
   * taken before the head is read, so nothing comes between them.
   */
  async append(privateKey: KeyObject): Promise<DigestOutcome> {
    return this.db.run(async (tx) => {
      const head = await this.audit.lockedHead(tx);
      const standing = head?.action === AUDIT_DIGEST_ACTION ? asDigest(head.data) : null;
      if (head && standing) return { entry: head, digest: standing, appended: false };
      const previous = await maybeOne<Pick<AuditRow, 'seq'>>(
        tx,
        `SELECT seq FROM audit_log WHERE action = $1 ORDER BY seq DESC LIMIT 1`,
        [AUDIT_DIGEST_ACTION],
      );
      const digest = signDigest(
        privateKey,
        head ?? { seq: 0, hash: GENESIS_HASH },
        previous ? Number(previous.seq) : null,
      );
      const entry = await this.audit.appendNow(
        { actor: null, action: AUDIT_DIGEST_ACTION, entityType: 'audit_log', entityId: null, data: { ...digest } },
        tx,
      );
      return { entry, digest, appended: true };
    });
  }

  private async generatedKey(): Promise<KeyObject | null> {
    // One generated key at most (a unique index).
    const row = await maybeOne<{ private_key: string }>(
      this.db.autocommit,
      `SELECT private_key FROM audit_digest_keys WHERE private_key IS NOT NULL`,
    );
    return row ? createPrivateKey(row.private_key) : null;
  }

  private async record(key: KeyObject, privatePem: string | null): Promise<void> {
    const publicPem = createPublicKey(key).export({ format: 'pem', type: 'spki' }).toString();
    await exec(
      this.db.autocommit,
      `INSERT INTO audit_digest_keys (key_id, algorithm, public_key, private_key) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [keyIdOf(key), DIGEST_ALGORITHM, publicPem, privatePem],
    );
  }
}
