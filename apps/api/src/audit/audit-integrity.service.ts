import { createPublicKey, KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AuditDigestRepository,
  AuditHead,
  AuditQueryRepository,
  DigestPublicKey,
  TransactionRunner,
} from '@imprimatur/database';
import {
  AuditDigest,
  DigestAnchor,
  IntegrityVerdict,
  IntegrityVerifier,
  publicJwk,
  validationFailed,
  verifyDigestSignature,
} from '@imprimatur/domain';
import { AuditExport, AuditExportFormat, AuditReadService } from '@imprimatur/workflow';

export interface DigestKeyView extends DigestPublicKey {
  jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' };
}

/**
 * The audit log's integrity as admins see it: the head, the digest keys, verification of the chain
 * with every digest in it (and optionally against a digest kept elsewhere), and the export.
 */
@Injectable()
export class AuditIntegrityService {
  constructor(
    private readonly read: AuditReadService,
    private readonly query: AuditQueryRepository,
    private readonly digests: AuditDigestRepository,
    private readonly db: TransactionRunner,
  ) {}

  head(): Promise<AuditHead> {
    return this.query.head(this.db.autocommit);
  }

  async keys(): Promise<DigestKeyView[]> {
    return (await this.digests.publicKeys(this.db.autocommit)).map((k) => ({
      ...k,
      jwk: { ...publicJwk(createPublicKey(k.publicKey)), kid: k.keyId, alg: 'EdDSA', use: 'sig' },
    }));
  }

  /**
   * Streams the chain once, row by row, through the hash chain, every `audit.digest` entry in it and,
   * when given, a digest kept outside the database (its signature checked first: a digest that does
   * not verify is refused rather than reported as a broken chain).
   */
  async verify(anchor: AuditDigest | null = null): Promise<IntegrityVerdict> {
    const keys = new Map<string, KeyObject>(
      (await this.digests.publicKeys(this.db.autocommit)).map((k) => [k.keyId, createPublicKey(k.publicKey)]),
    );
    let pinned: DigestAnchor | null = null;
    if (anchor) {
      const key = keys.get(anchor.keyId);
      if (!key)
        throw validationFailed('keyId names no key that signs audit digests', {
          fields: { keyId: ['is not a key of GET /audit/digests/keys'] },
        });
      if (!verifyDigestSignature(anchor, key)) {
        throw validationFailed('The digest does not verify: its signature does not match its fields', {
          fields: { signature: ['does not verify'] },
        });
      }
      pinned = { headSeq: anchor.headSeq, headHash: anchor.headHash };
    }
    const verifier = new IntegrityVerifier(keys, pinned);
    // Up to the head as it is now: entries appended meanwhile are left for the next verification.
    const upTo = await this.query.headSeq(this.db.autocommit);
    await this.query.scan(upTo, verifier.pushCanonical, this.db.autocommit);
    return verifier.verdict();
  }

  /** The whole log as a download: JSON Lines, or CSV with formula cells neutralised (AuditReadService). */
  export(format: AuditExportFormat, now = new Date()): AuditExport {
    return this.read.export(format, now);
  }
}
