import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const REFERENCE_TYPES = ['guideline', 'research', 'other'] as const;
export type ReferenceType = (typeof REFERENCE_TYPES)[number];

export interface Reference {
  type: ReferenceType;
  title: string;
  source: string | null;
  year: number | null;
  url: string | null;
  doi: string | null;
  pmid: string | null;
}

/** What a revision says (contract §4); revisions are immutable once written. */
export interface ArticleContent {
  title: string;
  summary: string | null;
  body: string;
  references: Reference[];
  specialties: string[];
  reviewIntervalDays: number | null;
}

/** sha256 of the RFC 8785 canonical JSON of the content: equal content, equal hash. */
export function contentHash(content: ArticleContent): string {
  const text = canonicalize({
    title: content.title,
    summary: content.summary,
    body: content.body,
    references: content.references,
    specialties: content.specialties,
    reviewIntervalDays: content.reviewIntervalDays,
  });
  if (text === undefined) throw new Error('content is not serialisable');
  return createHash('sha256').update(text).digest('hex');
}

export interface StaleReference {
  n: number;
  title: string;
  year: number;
}

/** References published more than `maxAgeYears` before `asOf`'s year (contract §6 `staleness`). */
export function staleReferences(references: readonly Reference[], asOf: Date, maxAgeYears: number): StaleReference[] {
  const oldestFresh = asOf.getUTCFullYear() - maxAgeYears;
  return references.flatMap((ref, i) => (ref.year !== null && ref.year < oldestFresh ? [{ n: i + 1, title: ref.title, year: ref.year }] : []));
}
