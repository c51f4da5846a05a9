import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { AuditEntry, CanonicalEntryVisitor, ChainVerdict, ChainVerifier, GENESIS_HASH } from './hash-chain';

/**
 * Signed digests of the audit chain's head (after CloudTrail's digest files). The hash chain alone
 * shows an edited or missing entry in the middle, but not that the newest entries were cut off: a
 * shorter chain is still a valid chain. A digest signed at a known moment, and kept outside the
 * database (the application log), pins the chain's length and head; any later truncation or rewrite
 * below it shows when the chain is checked against that digest.
 */

export const AUDIT_DIGEST_ACTION = 'audit.digest';
export const DIGEST_ALGORITHM = 'Ed25519';

export interface AuditDigestFields {
  /** The entry the digest vouches for: the newest one when it was made (0 and 64 zeros for an empty log). */
  headSeq: number;
  headHash: string;
  /** The seq of the digest entry before this one; null for the first. */
  previousDigestSeq: number | null;
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the signing key's public half. */
  keyId: string;
  algorithm: typeof DIGEST_ALGORITHM;
}

export interface AuditDigest extends AuditDigestFields {
  /** Ed25519 signature (base64url) of `digestMessage` of the other fields. */
  signature: string;
}

/** The bytes that are signed: RFC 8785 canonical JSON of every field but the signature. */
export function digestMessage(fields: AuditDigestFields): Buffer {
  const text = canonicalize({
    algorithm: fields.algorithm,
    headHash: fields.headHash,
    headSeq: fields.headSeq,
    keyId: fields.keyId,
    previousDigestSeq: fields.previousDigestSeq,
  });
  if (text === undefined) throw new Error('digest is not serialisable');
  return Buffer.from(text, 'utf8');
}

/** Throws unless the key (private or public) is an Ed25519 key. */
export function assertEd25519(key: KeyObject): void {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`an audit digest key must be Ed25519, not ${key.asymmetricKeyType ?? key.type}`);
}

/** The public half as a JWK (`{kty: 'OKP', crv: 'Ed25519', x}`). */
export function publicJwk(key: KeyObject): { kty: 'OKP'; crv: 'Ed25519'; x: string } {
  assertEd25519(key);
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
}

/** RFC 7638 thumbprint: SHA-256 of the JWK's required members in lexicographic order, base64url. */
export function keyIdOf(key: KeyObject): string {
  const { x } = publicJwk(key);
  return createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');
}

export function signDigest(
  privateKey: KeyObject,
  head: { seq: number; hash: string },
  previousDigestSeq: number | null,
): AuditDigest {
  const fields: AuditDigestFields = {
    headSeq: head.seq,
    headHash: head.hash,
    previousDigestSeq,
    keyId: keyIdOf(privateKey),
    algorithm: DIGEST_ALGORITHM,
  };
  return { ...fields, signature: sign(null, digestMessage(fields), privateKey).toString('base64url') };
}

/** True when the digest was signed by this public key and not altered since. */
export function verifyDigestSignature(digest: AuditDigest, publicKey: KeyObject): boolean {
  try {
    if (digest.algorithm !== DIGEST_ALGORITHM || keyIdOf(publicKey) !== digest.keyId) return false;
    return verify(null, digestMessage(digest), publicKey, Buffer.from(digest.signature, 'base64url'));
  } catch {
    return false;
  }
}

const HASH = /^[0-9a-f]{64}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The digest in an entry's data, or null when the data is not shaped like one. */
export function asDigest(data: unknown): AuditDigest | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  if (!isSeq(d.headSeq) || typeof d.headHash !== 'string' || !HASH.test(d.headHash)) return null;
  if (d.previousDigestSeq !== null && !(isSeq(d.previousDigestSeq) && d.previousDigestSeq > 0)) return null;
  if (typeof d.keyId !== 'string' || !BASE64URL.test(d.keyId) || d.algorithm !== DIGEST_ALGORITHM) return null;
  if (typeof d.signature !== 'string' || !BASE64URL.test(d.signature)) return null;
  return {
    headSeq: d.headSeq,
    headHash: d.headHash,
    previousDigestSeq: d.previousDigestSeq,
    keyId: d.keyId,
    algorithm: DIGEST_ALGORITHM,
    signature: d.signature,
  };
}

/**
 * Why the chain cannot be trusted beyond `brokenAt`, besides an entry whose hash is wrong:
 * - `digest_signature`: a digest entry whose signature does not verify with a known key (or is malformed);
 * - `digest_head`: a digest entry that does not vouch for the entry right before it;
 * - `digest_previous`: a digest entry that does not name the digest entry before it;
 * - `truncated`: the chain ends before the head of the digest checked against (entries were removed);
 * - `anchor_mismatch`: the entry at that digest's head has another hash (history was rewritten).
 */
export type IntegrityProblem = 'digest_signature' | 'digest_head' | 'digest_previous' | 'truncated' | 'anchor_mismatch';

export type IntegrityVerdict =
  | { valid: true; entries: number; head: string; digests?: number }
  | { valid: false; brokenAt: number; entries: number; reason?: IntegrityProblem };

/** The head a digest kept elsewhere vouches for; its signature is checked before it is used. */
export interface DigestAnchor {
  headSeq: number;
  headHash: string;
}

/**
 * The hash chain, every digest entry found in it, and optionally a digest kept outside the
 * database, checked in one pass in seq order with constant memory. A broken hash chain answers as
 * `ChainVerifier` does; the other problems carry a `reason`. `digests` (when there are any) counts
 * the digest entries that checked out.
 */
export class IntegrityVerifier {
  private readonly chain = new ChainVerifier();
  private problem: { brokenAt: number; entries: number; reason: IntegrityProblem } | null = null;
  private lastDigestSeq: number | null = null;
  private digests = 0;
  private anchorSeen = false;

  constructor(
    private readonly keys: ReadonlyMap<string, KeyObject>,
    private readonly anchor: DigestAnchor | null = null,
  ) {}

  /** Returns false once something is wrong; later entries are ignored. */
  push(entry: AuditEntry): boolean {
    if (this.problem) return false;
    if (!this.chain.push(entry)) return false;
    return this.checkLinked(entry.seq, entry.prevHash, entry.hash, entry.action, entry.data);
  }

  /** `push` from the entry's canonical text and the fields a digest check reads (ChainVerifier.pushCanonical). */
  pushCanonical: CanonicalEntryVisitor = (seq, prevHash, hash, canonical, action, data) => {
    if (this.problem) return false;
    if (!this.chain.pushCanonical(seq, prevHash, hash, canonical)) return false;
    return this.checkLinked(seq, prevHash, hash, action, data);
  };

  /** The checks beyond the hash chain, for an entry the chain has just accepted. */
  private checkLinked(seq: number, prevHash: string, hash: string, action: string, data: unknown): boolean {
    if (action === AUDIT_DIGEST_ACTION) {
      const digest = asDigest(data);
      const key = digest ? this.keys.get(digest.keyId) : undefined;
      if (!digest || !key || !verifyDigestSignature(digest, key)) return this.fail(seq, 'digest_signature');
      if (digest.headSeq !== seq - 1 || digest.headHash !== prevHash) return this.fail(seq, 'digest_head');
      if (digest.previousDigestSeq !== this.lastDigestSeq) return this.fail(seq, 'digest_previous');
      this.lastDigestSeq = seq;
      this.digests += 1;
    }
    if (this.anchor && seq === this.anchor.headSeq) {
      if (hash !== this.anchor.headHash) return this.fail(seq, 'anchor_mismatch');
      this.anchorSeen = true;
    }
    return true;
  }

  private fail(seq: number, reason: IntegrityProblem): false {
    this.problem = { brokenAt: seq, entries: seq - 1, reason };
    return false;
  }

  verdict(): IntegrityVerdict {
    if (this.problem) return { valid: false, ...this.problem };
    const chain: ChainVerdict = this.chain.verdict();
    if (!chain.valid) return chain;
    if (this.anchor && !this.anchorSeen) {
      if (this.anchor.headSeq > chain.entries)
        return { valid: false, brokenAt: chain.entries + 1, entries: chain.entries, reason: 'truncated' };
      // Only a digest of the empty log gets here (headSeq 0): it must name the genesis hash.
      if (this.anchor.headHash !== GENESIS_HASH)
        return { valid: false, brokenAt: 1, entries: 0, reason: 'anchor_mismatch' };
    }
    return this.digests > 0 ? { ...chain, digests: this.digests } : chain;
  }
}
