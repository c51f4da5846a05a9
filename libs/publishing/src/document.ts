import type { Audience, JsonValue, Reference, SignatureMeaning, VariantAudience } from '@imprimatur/domain';

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

/**
 * The article told for one more audience (contract §13), as published: `title` and `summary` are the
 * article's where the variant has none; the HTML is the revision's stored rendering, byte for byte.
 */
export interface PublicVariant {
  audience: VariantAudience;
  title: string;
  summary: string | null;
  summaryHtml: string | null;
  body: string;
  bodyHtml: string;
}

/**
 * A published version as it is stored and signed (contract §7, §12, §13), computed once at publish
 * time. The top-level text is the professional one; `variants` carry the others.
 */
export type ChangeSignificance = 'clinical' | 'editorial';

export interface PublishedDocument {
  slug: string;
  title: string;
  version: number;
  revision: number;
  summary: string | null;
  summaryHtml: string | null;
  body: string;
  bodyHtml: string;
  /** Whose text the top-level fields are: `professional` as stored; the chosen one under `?audience=`. */
  audience: Audience;
  /** `professional`, then the audiences of `variants`, in AUDIENCES order. */
  audiences: Audience[];
  /** In AUDIENCES order; `[]` when the article is written for professionals only. */
  variants: PublicVariant[];
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
  /**
   * Contract §14/§15: `editorial` when this version's revision was an editorial change to the live
   * one (a lighter review; lastReviewed and nextReviewDue kept), else `clinical` (the first version too).
   */
  significance: ChangeSignificance;
  /** The change notes of the revisions this version includes since the previous one; null when none. */
  changeSummary: string | null;
  /** The counted approvals of the published revision, in the order they were given. */
  signatures: PublicSignature[];
  /** Compact JWS over the rest of the document (see attestation.ts); null on versions published before §12. */
  attestation: string | null;
}

/**
 * What readers get (contract §14): the published version and, read with it from the live row,
 * whether a newer revision of the article is in review. Not signed: it changes without a new version.
 */
export interface PublicArticleDocument extends PublishedDocument {
  updateInReview: boolean;
}

/** The document before it is signed: everything the attestation covers. */
export type UnsignedDocument = Omit<PublishedDocument, 'attestation'>;

/** What a version published before audiences (§13) was: the professional text only. */
const professionalOnly = (): { [key: string]: JsonValue } => ({
  audience: 'professional',
  audiences: ['professional'],
  variants: [],
});

/**
 * Versions published before attestations (contract §12) were stored without `signatures` and
 * `attestation`, and versions published before audiences (§13) without `audience`, `audiences` and
 * `variants`: readers get them as they were in effect (`[]`, `null`; professional only), so that every
 * version has the same shape. Except where that would break a signature: a version attested before
 * §13 is served exactly as it was signed, since its documentHash covers the document without those
 * fields. The stored document is never changed.
 */
export function withCurrentFields(document: { [key: string]: JsonValue }): { [key: string]: JsonValue } {
  const attested =
    'attestation' in document ? document : { ...document, signatures: document.signatures ?? [], attestation: null };
  return 'audiences' in attested || attested.attestation !== null ? attested : { ...attested, ...professionalOnly() };
}

/**
 * The fields of §13 on any version, for what is served under `?audience=`: that answer is not the
 * signed document in any case (readers verify the one without `?audience=`).
 */
export function withAudienceFields(document: { [key: string]: JsonValue }): { [key: string]: JsonValue } {
  return 'audiences' in document ? document : { ...document, ...professionalOnly() };
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

/**
 * The validator of what one request is served: the version's, and what else the bytes depend on, the
 * audience asked for and `updateInReview` (contract §13, §14). Without either it is the version's own.
 */
export function servedEtag(versionEtag: string, audience: Audience | null, updateInReview: boolean): string {
  const suffix = `${audience ? `-${audience}` : ''}${updateInReview ? '-in-review' : ''}`;
  return suffix ? versionEtag.replace(/"$/, `${suffix}"`) : versionEtag;
}

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
