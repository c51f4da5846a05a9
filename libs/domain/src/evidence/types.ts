/**
 * What the scholarly registries say about a cited paper (contract §16), apart from anything that
 * needs Node: the web app imports these types too.
 */

/** A reference's verdict after its DOI / PMID was looked up. */
export const EVIDENCE_STATUSES = [
  'verified',
  'mismatch',
  'retracted',
  'concern',
  'corrected',
  'unverified',
  'error',
] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

/** The registries Imprimatur asks. */
export const REGISTRIES = ['crossref', 'pubmed'] as const;
export type Registry = (typeof REGISTRIES)[number];

/**
 * Notice types as Crossref names them (`updated-by[].type`), which PubMed's "Retracted Publication"
 * maps onto as `retraction`. Anything else Crossref sends (addendum, new_version…) is not a notice here.
 */
export const NOTICE_TYPES = [
  'retraction',
  'withdrawal',
  'removal',
  'partial_retraction',
  'expression_of_concern',
  'correction',
  'erratum',
  'corrigendum',
] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

/** A notice attached to a paper: who issued it (`retraction-watch`, `publisher`, `pubmed`), its own DOI, its date. */
export interface EvidenceNotice {
  type: NoticeType;
  /** The notice's own DOI (lower-case), when the registry gives one. */
  doi: string | null;
  /** Crossref's `source` (`retraction-watch`, `publisher`), or `pubmed`. */
  source: string | null;
  /** `YYYY-MM-DD`, or as much of it as the registry gives (`YYYY-MM`, `YYYY`); null when it gives none. */
  date: string | null;
}

/** One paper as a registry describes it. */
export interface RegistryRecord {
  registry: Registry;
  title: string | null;
  /** The journal (or book, site) as the registry names it in full. */
  source: string | null;
  /** Other names of the same source: Crossref's `short-container-title`, PubMed's `source` (the NLM abbreviation). */
  sourceAliases: string[];
  year: number | null;
  /** Lower-case, without a resolver prefix. */
  doi: string | null;
  pmid: string | null;
  /** Where the paper lives (Crossref `URL`, or the PubMed page). */
  url: string | null;
  /** Vancouver style names, "Family Initials" (e.g. "Gronchi A"), in the order given. */
  authors: string[];
  notices: EvidenceNotice[];
}

/** What one lookup gave: the record, "no such identifier", or a failure to get an answer. */
export type LookupOutcome =
  | { outcome: 'found'; record: RegistryRecord }
  | { outcome: 'not_found'; registry: Registry }
  | { outcome: 'error'; registry: Registry; code: string };

/** The fields of a reference that the registry disagrees with. */
export const MISMATCH_FIELDS = ['title', 'source', 'year'] as const;
export type MismatchField = (typeof MISMATCH_FIELDS)[number];

/** One reference's line in the `evidence` check (contract §16). */
export interface EvidenceResult {
  /** The reference's number (1-based). */
  n: number;
  status: EvidenceStatus;
  doi: string | null;
  pmid: string | null;
  /** For `mismatch`: which fields differ. */
  fields?: MismatchField[];
  /** For `retracted`, `concern`, `corrected`: the notice that decided it. */
  notice?: EvidenceNotice;
  /** For `error`: a safe code (outbound failure code, `http_503`, `rate_limited`, `bad_response`). */
  code?: string;
  checkedAt: string;
}

/**
 * A registry answered, but not in the shape its API documents: the lookup is an `error`
 * (`bad_response`), never a "not found" that would read as a finding about the paper.
 */
export class RegistryFormatError extends Error {
  constructor(
    readonly registry: Registry,
    message: string,
  ) {
    super(`${registry}: ${message}`);
    this.name = 'RegistryFormatError';
  }
}
