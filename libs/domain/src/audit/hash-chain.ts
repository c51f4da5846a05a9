import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The `prevHash` of the first entry: the chain starts from 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface AuditActor {
  id: string;
  email: string;
}

/** What an audit entry says; `prevHash` and `hash` are derived from it and the entry before. */
export interface AuditEntryContent {
  seq: number;
  at: string;
  actor: AuditActor | null;
  action: string;
  entityType: string;
  entityId: string | null;
  articleId: string | null;
  data: { [key: string]: JsonValue };
}

export interface AuditEntry extends AuditEntryContent {
  prevHash: string;
  hash: string;
}

/**
 * RFC 8785 (JCS) canonical JSON of the entry's content: keys sorted, no insignificant white space,
 * so that the same entry read back from PostgreSQL's jsonb hashes to the same value.
 */
export function canonicalEntry(content: AuditEntryContent): string {
  const plain: AuditEntryContent = {
    seq: content.seq,
    at: content.at,
    actor: content.actor ? { id: content.actor.id, email: content.actor.email } : null,
    action: content.action,
    entityType: content.entityType,
    entityId: content.entityId,
    articleId: content.articleId,
    data: content.data,
  };
  const text = canonicalize(plain);
  if (text === undefined) throw new Error('audit entry is not serialisable');
  return text;
}

export function entryHash(prevHash: string, content: AuditEntryContent): string {
  return createHash('sha256')
    .update(prevHash + canonicalEntry(content))
    .digest('hex');
}

/** Builds the next link of the chain. */
export function chainEntry(prevHash: string, content: AuditEntryContent): AuditEntry {
  return { ...content, prevHash, hash: entryHash(prevHash, content) };
}

export type ChainVerdict =
  { valid: true; entries: number; head: string } | { valid: false; brokenAt: number; entries: number };

/**
 * Checks a chain incrementally, so that a caller can stream entries through it in batches with
 * constant memory. An entry breaks the chain if its seq is not the next number, its prevHash is not
 * the hash before it, or its own hash does not match its content.
 */
export class ChainVerifier {
  private prevHash = GENESIS_HASH;
  private prevSeq = 0;
  private count = 0;
  private broken: number | null = null;

  constructor(start?: { prevHash: string; prevSeq: number }) {
    if (start) {
      this.prevHash = start.prevHash;
      this.prevSeq = start.prevSeq;
    }
  }

  /** Returns false once the chain is broken; later entries are ignored. */
  push(entry: AuditEntry): boolean {
    if (this.broken !== null) return false;
    const expectedSeq = this.prevSeq + 1;
    if (
      entry.seq !== expectedSeq ||
      entry.prevHash !== this.prevHash ||
      entry.hash !== entryHash(entry.prevHash, entry)
    ) {
      // A missing row shows up at the first seq that is not there.
      this.broken = Math.min(entry.seq, expectedSeq);
      return false;
    }
    this.prevHash = entry.hash;
    this.prevSeq = entry.seq;
    this.count += 1;
    return true;
  }

  verdict(): ChainVerdict {
    if (this.broken !== null) return { valid: false, brokenAt: this.broken, entries: this.count };
    return { valid: true, entries: this.count, head: this.prevHash };
  }
}

export function verifyChain(entries: Iterable<AuditEntry>): ChainVerdict {
  const verifier = new ChainVerifier();
  for (const entry of entries) {
    if (!verifier.push(entry)) break;
  }
  return verifier.verdict();
}
