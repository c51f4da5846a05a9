import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { ArticleContent, Reference } from './reference';

export { REFERENCE_TYPES } from './reference';
export type { ArticleContent, Reference, ReferenceType } from './reference';

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
  return references.flatMap((ref, i) =>
    ref.year !== null && ref.year < oldestFresh ? [{ n: i + 1, title: ref.title, year: ref.year }] : [],
  );
}
