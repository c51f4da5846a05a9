import type { Reference } from '@imprimatur/domain';

/** One entry of a published reference list: the reference, its number, and where its identifiers resolve. */
export interface PublicReference extends Reference {
  n: number;
  doiUrl: string | null;
  pubmedUrl: string | null;
}

/** What readers get for a published version (contract §7), computed once at publish time. */
export interface PublicArticleDocument {
  slug: string;
  title: string;
  version: number;
  revision: number;
  summary: string | null;
  summaryHtml: string | null;
  body: string;
  bodyHtml: string;
  references: PublicReference[];
  specialties: string[];
  reviewStatus: 'approved';
  reviewedBy: { name: string; credentials: string | null }[];
  approvedAt: string;
  publishedAt: string;
  lastUpdated: string;
  lastReviewed: string;
  nextReviewDue: string;
  contentHash: string;
}

export const isoDate = (at: Date): string => at.toISOString().slice(0, 10);

/** `YYYY-MM-DD` plus whole days, in UTC. */
export function addDays(day: string, days: number): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return isoDate(at);
}

/** A strong validator of one version's bytes: the content hash names the content, the version the envelope. */
export const etagOf = (contentHash: string, version: number): string => `"${contentHash.slice(0, 32)}-${version}"`;

export function publicReferences(
  references: readonly Reference[],
  resolvers: { doi: string; pubmed: string },
): PublicReference[] {
  const base = (url: string) => url.replace(/\/+$/, '');
  return references.map((ref, i) => ({
    n: i + 1,
    ...ref,
    doiUrl: ref.doi ? `${base(resolvers.doi)}/${ref.doi.split('/').map(encodeURIComponent).join('/')}` : null,
    pubmedUrl: ref.pmid ? `${base(resolvers.pubmed)}/${encodeURIComponent(ref.pmid)}/` : null,
  }));
}
