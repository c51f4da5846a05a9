import type { JsonValue, Reference, SignatureMeaning } from '@imprimatur/domain';

/** One entry of a published reference list: the reference, its number, and where its identifiers resolve. */
export interface PublicReference extends Reference {
  n: number;
  doiUrl: string | null;
  pubmedUrl: string | null;
}

/**
 * One board member's signature as readers get it (contract §12): the manifestation recorded when they
 * signed (name and credentials as they were then), what it means, when, and the hash of what they signed.
 */
export interface PublicSignature {
  name: string;
  credentials: string | null;
  meaning: SignatureMeaning;
  signedAt: string;
  contentHash: string;
}

/** What readers get for a published version (contract §7, §12), computed once at publish time. */
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
  /** The counted approvals of the published revision, in the order they were given. */
  signatures: PublicSignature[];
  /** Compact JWS over the rest of the document (see attestation.ts); null on versions published before §12. */
  attestation: string | null;
}

/** The document before it is signed: everything the attestation covers. */
export type UnsignedDocument = Omit<PublicArticleDocument, 'attestation'>;

/**
 * Versions published before attestations (contract §12) were stored without `signatures` and
 * `attestation`: readers get them as `[]` and `null`, so every version has the same shape. The stored
 * document is never changed.
 */
export function withAttestationFields(document: { [key: string]: JsonValue }): { [key: string]: JsonValue } {
  if ('attestation' in document) return document;
  return { ...document, signatures: document.signatures ?? [], attestation: null };
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
