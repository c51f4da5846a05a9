import { hash } from 'node:crypto';
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
 * so that the same entry read back from PostgreSQL's jsonb hashes to the same value. This is the
 * reference form, built by the general `canonicalize`; `canonicalEntry` must give the same bytes.
 */
export function canonicalEntryReference(content: AuditEntryContent): string {
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

/**
 * RFC 8785 canonical JSON of a value inside an object or array, byte for byte what `canonicalize`
 * writes there. Verifying the log runs this once per entry, and `canonicalize` spends most of its
 * time in `reduce` callbacks and template strings; this walks plain JSON directly and hands anything
 * else (a `toJSON`, a number JSON cannot hold, a sparse array) to `canonicalize` itself, so the odd
 * cases keep its exact behaviour, down to the `undefined` it embeds for a function.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // Number#toString is the serialisation RFC 8785 prescribes (ECMAScript's), -0 included.
      if (Number.isFinite(value)) return String(value);
      break;
    case 'object': {
      if (value === null) return 'null';
      if ((value as { toJSON?: unknown }).toJSON !== undefined) break;
      if (Array.isArray(value)) {
        let text = '[';
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          // canonicalize's reduce skips holes.
          if (item === undefined && !(i in value)) return canonicalJsonFallback(value);
          if (i > 0) text += ',';
          text += item === undefined || typeof item === 'symbol' ? 'null' : canonicalJson(item);
        }
        return `${text}]`;
      }
      const object = value as Record<string, unknown>;
      // Array#sort compares UTF-16 code units, the order RFC 8785 asks for.
      const keys = Object.keys(object).sort();
      let text = '{';
      for (const key of keys) {
        const member = object[key];
        if (member === undefined || typeof member === 'symbol') continue;
        if (text.length > 1) text += ',';
        text += `${JSON.stringify(key)}:${canonicalJson(member)}`;
      }
      return `${text}}`;
    }
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      break;
  }
  return canonicalJsonFallback(value);
}

const canonicalJsonFallback = (value: unknown): string => `${canonicalize(value)}`;

const isText = (v: unknown): v is string => typeof v === 'string';
const isTextOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

/**
 * `canonicalEntryReference`, written out for the entry's fixed shape: its keys are known, so they
 * are emitted in RFC 8785 order without sorting or building an object first. Only `data` needs the
 * general walk. An entry whose fields are not the declared types (possible only by going around
 * the compiler) takes the reference path, so the two can never disagree.
 */
export function canonicalEntry(content: AuditEntryContent): string {
  const { seq, at, actor, action, entityType, entityId, articleId, data } = content;
  if (
    !Number.isFinite(seq) ||
    !isText(at) ||
    !isText(action) ||
    !isText(entityType) ||
    !isTextOrNull(entityId) ||
    !isTextOrNull(articleId) ||
    typeof data !== 'object' ||
    data === null ||
    (actor && !(isText(actor.id) && isText(actor.email)))
  )
    return canonicalEntryReference(content);
  return (
    `{"action":${JSON.stringify(action)}` +
    `,"actor":${actor ? `{"email":${JSON.stringify(actor.email)},"id":${JSON.stringify(actor.id)}}` : 'null'}` +
    `,"articleId":${articleId === null ? 'null' : JSON.stringify(articleId)}` +
    `,"at":${JSON.stringify(at)}` +
    `,"data":${canonicalJson(data)}` +
    `,"entityId":${entityId === null ? 'null' : JSON.stringify(entityId)}` +
    `,"entityType":${JSON.stringify(entityType)}` +
    `,"seq":${String(seq)}}`
  );
}

// One-shot crypto.hash: no Hash object per entry, and one string handed to OpenSSL.
const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

export function entryHash(prevHash: string, content: AuditEntryContent): string {
  return sha256Hex(prevHash + canonicalEntry(content));
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
/**
 * One entry of the chain as a streaming reader hands it on (AuditQueryRepository.scan): its canonical
 * text (what canonicalEntry gives) and the fields a verifier reads besides. Answers false to stop.
 */
export type CanonicalEntryVisitor = (
  seq: number,
  prevHash: string,
  hash: string,
  canonical: string,
  action: string,
  data: AuditEntry['data'],
) => boolean;

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
    return this.settle(
      entry.seq === this.prevSeq + 1 &&
        entry.prevHash === this.prevHash &&
        entry.hash === entryHash(entry.prevHash, entry),
      entry.seq,
      entry.hash,
    );
  }

  /**
   * `push` for a reader that has the entry's canonical text (`canonicalEntry`) already, in whatever way
   * it built it: verifying a million entries, an object per entry was a tenth of the time in GC.
   */
  pushCanonical(seq: number, prevHash: string, hash: string, canonical: string): boolean {
    if (this.broken !== null) return false;
    return this.settle(
      seq === this.prevSeq + 1 && prevHash === this.prevHash && hash === sha256Hex(prevHash + canonical),
      seq,
      hash,
    );
  }

  private settle(intact: boolean, seq: number, hash: string): boolean {
    if (!intact) {
      // A missing row shows up at the first seq that is not there.
      this.broken = Math.min(seq, this.prevSeq + 1);
      return false;
    }
    this.prevHash = hash;
    this.prevSeq = seq;
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

// The lib's index lists the audit modules one by one; the timeline reaches it through this one.
export { AuditTimeline } from './timeline';
