/**
 * The shape of an article's content (contract §4), apart from anything that needs Node: the web
 * app imports these types from here, the server through content.ts.
 */
export const REFERENCE_TYPES = ['guideline', 'research', 'other'] as const;
export type ReferenceType = (typeof REFERENCE_TYPES)[number];

export interface Reference {
  /**
   * Stable across revisions (contract §19): what a citation marker means, whatever the reference's
   * number. Absent on references saved before keys; the server gives every new one a key.
   */
  key?: string;
  type: ReferenceType;
  title: string;
  source: string | null;
  year: number | null;
  url: string | null;
  doi: string | null;
  pmid: string | null;
  /**
   * Vancouver-style names ("Gronchi A"), as filled from a registry lookup (contract §16). Absent, not
   * empty, on references written without them: a revision's hash covers its references as stored.
   */
  authors?: string[];
}

/** Who an article is written for (contract §13); `professional` is the article's own text. */
export const AUDIENCES = ['professional', 'patient', 'caregiver'] as const;
export type Audience = (typeof AUDIENCES)[number];
/** The audiences a revision may add a variant for. */
export const VARIANT_AUDIENCES = ['patient', 'caregiver'] as const;
export type VariantAudience = (typeof VARIANT_AUDIENCES)[number];

/**
 * The article told for one more audience, reviewed with it as one unit: it cites the shared references
 * by the same numbers; a missing title or summary is the article's own (null here, as written).
 */
export interface AudienceVariant {
  audience: VariantAudience;
  title: string | null;
  summary: string | null;
  body: string;
}

/** What a revision says (contract §4, §13); revisions are immutable once written. */
export interface ArticleContent {
  title: string;
  summary: string | null;
  body: string;
  references: Reference[];
  specialties: string[];
  reviewIntervalDays: number | null;
  /** At most one per audience, in the order written; `[]` when the article has none. */
  variants: AudienceVariant[];
}
