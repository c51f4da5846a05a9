import { checkCitations, type CitationProblem, type CitationReport } from '@imprimatur/domain/articles/citations';
import { z } from 'zod';
import {
  AUDIENCES,
  REFERENCE_TYPES,
  VARIANT_AUDIENCES,
  type Reference,
  type ReferenceLookup,
  type ReferenceType,
  type Revision,
  type RevisionContent,
  type Audience,
  type ClassifiableContent,
  type VariantAudience,
} from '../api/types';

/** A reference as the form holds it: every field a string while it is typed. */
export interface ReferenceRow {
  /** The row's React key: the form's own, never sent. */
  key: string;
  /** The reference's key (contract §19), as the API gave it; null for a row added here (the API assigns one). */
  referenceKey: string | null;
  type: ReferenceType;
  title: string;
  source: string;
  year: string;
  url: string;
  doi: string;
  pmid: string;
  /** Names as one line, "Gronchi A, Miah AB" (commas or semicolons between them); blank when the reference names none. */
  authors: string;
}

/**
 * The article told for a patient or a caregiver (contract §13): a blank title or summary is the
 * article's own; the body cites the article's references by the same numbers.
 */
export interface VariantDraft {
  audience: VariantAudience;
  title: string;
  summary: string;
  body: string;
}

export interface ArticleDraft {
  title: string;
  summary: string;
  body: string;
  /** At most one per audience, in the order they were added. */
  variants: VariantDraft[];
  references: ReferenceRow[];
  specialties: string[];
  reviewIntervalDays: string;
  changeNote: string;
  slug: string;
}

let rowCounter = 0;
export const newRowKey = () => `ref-${++rowCounter}`;

export const emptyReference = (): ReferenceRow => ({
  key: newRowKey(),
  referenceKey: null,
  type: 'research',
  title: '',
  source: '',
  year: '',
  url: '',
  doi: '',
  pmid: '',
  authors: '',
});

/** The authors line of a row as the list a reference holds: split at commas and semicolons, blanks dropped. */
export function authorsFromText(text: string): string[] {
  return text
    .split(/[,;]/)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** A reference's authors as the row's one line. */
export const authorsText = (authors: readonly string[] | undefined): string => (authors ?? []).join(', ');

/** The fields of a row that a registry lookup fills. */
export const FILLED_FIELDS = ['title', 'source', 'year', 'authors', 'doi', 'pmid'] as const;

/**
 * A row filled from a registry's answer: title, journal, year and authors from the registry where it gives
 * them (what the editor typed stays where it gives none), and the identifier looked up in the registry's
 * normalised form (a bare, lower-case DOI). The other identifier and the URL stay as typed.
 */
export function filledRow(row: ReferenceRow, found: ReferenceLookup, kind: 'doi' | 'pmid'): ReferenceRow {
  return {
    ...row,
    title: found.title ?? row.title,
    source: found.source ?? row.source,
    year: found.year === null ? row.year : String(found.year),
    authors: found.authors.length > 0 ? authorsText(found.authors) : row.authors,
    [kind]: found[kind] ?? row[kind],
  };
}

export const emptyDraft = (): ArticleDraft => ({
  title: '',
  summary: '',
  body: '',
  variants: [],
  references: [],
  specialties: [],
  reviewIntervalDays: '',
  changeNote: '',
  slug: '',
});

export function draftFromRevision(revision: Revision): ArticleDraft {
  return {
    title: revision.title,
    summary: revision.summary ?? '',
    body: revision.body,
    variants: revision.variants.map((v) => ({
      audience: v.audience,
      title: v.title ?? '',
      summary: v.summary ?? '',
      body: v.body,
    })),
    references: revision.references.map((r) => ({
      key: newRowKey(),
      referenceKey: r.key ?? null,
      type: (REFERENCE_TYPES as readonly string[]).includes(r.type) ? r.type : 'other',
      title: r.title,
      source: r.source ?? '',
      year: r.year === null ? '' : String(r.year),
      url: r.url ?? '',
      doi: r.doi ?? '',
      pmid: r.pmid ?? '',
      authors: authorsText(r.authors),
    })),
    specialties: revision.specialties,
    reviewIntervalDays: revision.reviewIntervalDays === null ? '' : String(revision.reviewIntervalDays),
    // A change note explains one revision: a new one starts empty.
    changeNote: '',
    slug: '',
  };
}

const orNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/** The request content (contract §4): only the fields the API takes, blanks as null (so the change classifier reads it too). */
export function contentFromDraft(draft: ArticleDraft): RevisionContent & ClassifiableContent {
  return {
    title: draft.title.trim(),
    summary: orNull(draft.summary),
    body: draft.body,
    references: draft.references.map((r): Reference => {
      const authors = authorsFromText(r.authors);
      return {
        ...(r.referenceKey === null ? {} : { key: r.referenceKey }),
        type: r.type,
        title: r.title.trim(),
        source: orNull(r.source),
        year: r.year.trim() === '' ? null : Number(r.year),
        url: orNull(r.url),
        doi: orNull(r.doi),
        pmid: orNull(r.pmid),
        // Absent rather than empty: a reference without authors is stored (and hashed) as it was before they existed.
        ...(authors.length > 0 ? { authors } : {}),
      };
    }),
    specialties: draft.specialties,
    reviewIntervalDays: draft.reviewIntervalDays.trim() === '' ? null : Number(draft.reviewIntervalDays),
    // Blank title and summary: the article's own (null, as the API keeps them).
    variants: draft.variants.map((v) => ({
      audience: v.audience,
      title: orNull(v.title),
      summary: orNull(v.summary),
      body: v.body,
    })),
    changeNote: orNull(draft.changeNote),
  };
}

/** What differs from the loaded revision, ignoring the change note and the row keys. */
export function isDirty(draft: ArticleDraft, loaded: ArticleDraft): boolean {
  const comparable = (d: ArticleDraft) =>
    JSON.stringify({ ...contentFromDraft(d), changeNote: null, slug: d.slug.trim() });
  return comparable(draft) !== comparable(loaded);
}

const blankOr = (test: (value: string) => boolean) => (value: string) => value.trim() === '' || test(value.trim());
const wholeNumberIn = (min: number, max: number) =>
  blankOr((value) => Number.isInteger(Number(value)) && Number(value) >= min && Number(value) <= max);

/** The API's limits on a reference's authors (contract §4). */
const MAX_AUTHORS = 100;
const MAX_AUTHOR_LENGTH = 200;

/** What the API would refuse in a reference (contract §4), said before it is sent; `locator` is the reference as a whole. */
export const referenceRowSchema = z
  .object({
    key: z.string(),
    referenceKey: z.string().nullable(),
    type: z.enum(REFERENCE_TYPES),
    title: z.string().refine((value) => value.trim() !== '', 'A reference needs a title'),
    source: z.string(),
    year: z.string().refine(wholeNumberIn(1500, 2200), 'Enter a year such as 2023'),
    url: z.string().refine(
      blankOr((value) => /^https?:\/\/\S+$/i.test(value)),
      'Enter a full web address starting with https://',
    ),
    doi: z.string(),
    pmid: z.string(),
    authors: z.string().refine((value) => {
      const authors = authorsFromText(value);
      return authors.length <= MAX_AUTHORS && authors.every((name) => name.length <= MAX_AUTHOR_LENGTH);
    }, `Name at most ${MAX_AUTHORS} authors, each in at most ${MAX_AUTHOR_LENGTH} characters`),
  })
  .refine((row) => [row.url, row.doi, row.pmid].some((value) => value.trim() !== ''), {
    path: ['locator'],
    message: 'Give at least one of URL, DOI and PMID',
  });

/** A variant as the API takes it: its own title at most 300 characters, and a body. */
export const variantSchema = z.object({
  audience: z.enum(VARIANT_AUDIENCES),
  title: z.string().refine((value) => value.trim().length <= 300, 'Keep the title to 300 characters'),
  summary: z.string(),
  body: z.string().refine((value) => value.trim() !== '', 'Write the body'),
}) satisfies z.ZodType<VariantDraft>;

/** The editor form's rules: errors by path (`title`, `variants.0.body`, `references.0.url`, `references.0.locator`, …). */
export const draftSchema = z.object({
  title: z.string().refine((value) => value.trim() !== '', 'Enter a title'),
  summary: z.string(),
  body: z.string().refine((value) => value.trim() !== '', 'Write the body'),
  variants: z.array(variantSchema),
  references: z.array(referenceRowSchema),
  specialties: z.array(z.string()),
  reviewIntervalDays: z.string().refine(wholeNumberIn(1, 3650), 'Enter a whole number of days between 1 and 3650'),
  changeNote: z.string(),
  slug: z.string(),
}) satisfies z.ZodType<ArticleDraft>;

const FIELD_LABEL: Record<string, string> = {
  title: 'Title',
  slug: 'Address',
  summary: 'Summary',
  body: 'Body',
  reviewIntervalDays: 'Review interval',
  changeNote: 'Change note',
};

/** Who each text is for, as the editor, the review workspace and compare name it. */
export const AUDIENCE_LABEL: Record<Audience, string> = {
  professional: 'Professional',
  patient: 'Patient',
  caregiver: 'Caregiver',
};

/** The variant for `audience` in a list of variants, and where it is: the form's paths are `variants.<index>.…`. */
export function variantIndex(variants: readonly { audience: VariantAudience }[], audience: VariantAudience): number {
  return variants.findIndex((v) => v.audience === audience);
}

/** The form's errors as sentences for the summary above it: "Reference 1: Give at least one of URL, DOI and PMID." */
export function draftErrorSummary(
  errors: Record<string, unknown>,
  variants: readonly { audience: VariantAudience }[] = [],
): string[] {
  return Object.entries(errors).flatMap(([path, message]) => {
    if (typeof message !== 'string') return [];
    const reference = /^references\.(\d+)\./.exec(path);
    const variant = /^variants\.(\d+)\.(\w+)$/.exec(path);
    const audience = variant ? variants[Number(variant[1])]?.audience : undefined;
    const label = reference
      ? `Reference ${Number(reference[1]) + 1}`
      : variant
        ? `${audience ? `${AUDIENCE_LABEL[audience]} version` : 'A version'}, ${(FIELD_LABEL[variant[2]] ?? variant[2]).toLowerCase()}`
        : (FIELD_LABEL[path] ?? path);
    return [`${label}: ${message}.`];
  });
}

/** The audience tabs holding an error (in tab order), so that the editor can open one: `title` is the professional tab's, `variants.0.body` the first variant's. */
export function audiencesWithErrors(
  errors: Record<string, unknown>,
  variants: readonly { audience: VariantAudience }[],
): Audience[] {
  const found = new Set<Audience>();
  for (const path of Object.keys(errors)) {
    if (['title', 'summary', 'body', 'slug'].includes(path)) found.add('professional');
    const variant = /^variants\.(\d+)\./.exec(path);
    const audience = variant ? variants[Number(variant[1])]?.audience : undefined;
    if (audience) found.add(audience);
  }
  return AUDIENCES.filter((a) => found.has(a));
}

type CitedDraft = Pick<ArticleDraft, 'summary' | 'body' | 'references' | 'variants'>;

/** The shared citation check (the same code the API runs) on what is being typed: the article and every variant. */
export function citationReport(draft: CitedDraft): CitationReport {
  return checkCitations({
    summary: draft.summary,
    body: draft.body,
    referenceCount: draft.references.length,
    variants: draft.variants.map((v) => ({ audience: v.audience, summary: v.summary || null, body: v.body })),
  });
}

/** "Body, line 3" (or "Patient version, body, line 3") for a problem with an offset. */
export function problemPlace(
  problem: CitationProblem,
  draft: Pick<ArticleDraft, 'summary' | 'body' | 'variants'>,
): string | null {
  if (problem.kind === 'uncited_reference') return null;
  const owner = problem.audience ? draft.variants.find((v) => v.audience === problem.audience) : draft;
  if (!owner) return null;
  const text = problem.field === 'summary' ? owner.summary : owner.body;
  const line = text.slice(0, problem.offset).split('\n').length;
  const field = problem.field === 'summary' ? 'Summary' : 'Body';
  return problem.audience
    ? `${AUDIENCE_LABEL[problem.audience]} version, ${field.toLowerCase()}, line ${line}`
    : `${field}, line ${line}`;
}
