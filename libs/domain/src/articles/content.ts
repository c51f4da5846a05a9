import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { ArticleContent, Reference, VariantAudience } from './reference';

export { AUDIENCES, REFERENCE_TYPES, VARIANT_AUDIENCES } from './reference';
export type { ArticleContent, Audience, AudienceVariant, Reference, ReferenceType, VariantAudience } from './reference';

/** An audience variant's rendering (contract §13): its summary (or the article's) and its body. */
export interface VariantHtml {
  audience: VariantAudience;
  summaryHtml: string | null;
  bodyHtml: string;
}

/** The HTML a revision was rendered to once, when it was written: what reviewers see and readers get. */
export interface RevisionHtml {
  summaryHtml: string | null;
  bodyHtml: string;
  variants: VariantHtml[];
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** A content hash as §12 writes it: 64 lowercase hex digits. */
export const isContentHash = (value: string): boolean => HEX_SHA256.test(value);

/** The lowercase hex SHA-256 of a value's RFC 8785 (JCS) canonical JSON. */
export function jcsSha256(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('the value has no canonical JSON form');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The content as it is stored and hashed: every string in Unicode NFC, so that the same text typed
 * on two keyboards (a precomposed "é", or "e" and a combining accent) is one revision and one hash.
 */
export function normaliseContent<T extends ArticleContent>(content: T): T {
  const nfc = (s: string) => s.normalize('NFC');
  const nfcOrNull = (s: string | null) => (s === null ? null : nfc(s));
  return {
    ...content,
    title: nfc(content.title),
    summary: nfcOrNull(content.summary),
    body: nfc(content.body),
    references: content.references.map((ref): Reference => ({
      ...ref,
      title: nfc(ref.title),
      source: nfcOrNull(ref.source),
      url: nfcOrNull(ref.url),
      doi: nfcOrNull(ref.doi),
      pmid: nfcOrNull(ref.pmid),
      ...(ref.authors === undefined ? {} : { authors: ref.authors.map(nfc) }),
    })),
    specialties: content.specialties.map(nfc),
    variants: content.variants.map((v) => ({
      audience: v.audience,
      title: nfcOrNull(v.title),
      summary: nfcOrNull(v.summary),
      body: nfc(v.body),
    })),
  };
}

/**
 * A revision's `contentHash` (contract §12): the lowercase hex SHA-256 of the JCS canonical JSON of
 * `{title, summary, body, references, specialties, reviewIntervalDays, variants, html}` (`variants` as
 * written, `html.variants` their rendering, both `[]` without variants). Anyone holding
 * the revision as the API returns it can recompute it; the HTML is in it, so a signature over the hash
 * is a signature over exactly the HTML readers get.
 */
export function contentHash(content: ArticleContent, html: RevisionHtml): string {
  return jcsSha256({
    title: content.title,
    summary: content.summary,
    body: content.body,
    references: content.references,
    specialties: content.specialties,
    reviewIntervalDays: content.reviewIntervalDays,
    variants: content.variants.map((v) => ({ audience: v.audience, title: v.title, summary: v.summary, body: v.body })),
    html: {
      summaryHtml: html.summaryHtml,
      bodyHtml: html.bodyHtml,
      variants: html.variants.map((v) => ({ audience: v.audience, summaryHtml: v.summaryHtml, bodyHtml: v.bodyHtml })),
    },
  });
}

export interface StaleReference {
  n: number;
  title: string;
  year: number;
}

/** References published more than `maxAgeYears` before `asOf`'s year (contract §6 `staleness`). */
export function staleReferences(references: readonly Reference[], asOf: Date, maxAgeYears: number): StaleReference[] {
  const oldestFresh = asOf.getUTCFullYear() - maxAgeYears;
  return references.flatMap((ref, i) =>
    ref.year !== null && ref.year < oldestFresh ? [{ n: i + 1, title: ref.title, year: ref.year }] : [],
  );
}
