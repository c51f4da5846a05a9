/**
 * The shape of an article's content (contract §4), apart from anything that needs Node: the web
 * app imports these types from here, the server through content.ts.
 */
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
