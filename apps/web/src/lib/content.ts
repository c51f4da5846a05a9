import { checkCitations, type CitationProblem, type CitationReport } from '@imprimatur/domain/articles/citations';
import { z } from 'zod';
import { REFERENCE_TYPES, type Reference, type ReferenceType, type Revision, type RevisionContent } from '../api/types';

/** A reference as the form holds it: every field a string while it is typed. */
export interface ReferenceRow {
  key: string;
  type: ReferenceType;
  title: string;
  source: string;
  year: string;
  url: string;
  doi: string;
  pmid: string;
}

export interface ArticleDraft {
  title: string;
  summary: string;
  body: string;
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
  type: 'research',
  title: '',
  source: '',
  year: '',
  url: '',
  doi: '',
  pmid: '',
});

export const emptyDraft = (): ArticleDraft => ({
  title: '',
  summary: '',
  body: '',
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
    references: revision.references.map((r) => ({
      key: newRowKey(),
      type: (REFERENCE_TYPES as readonly string[]).includes(r.type) ? r.type : 'other',
      title: r.title,
      source: r.source ?? '',
      year: r.year === null ? '' : String(r.year),
      url: r.url ?? '',
      doi: r.doi ?? '',
      pmid: r.pmid ?? '',
    })),
    specialties: revision.specialties,
    reviewIntervalDays: revision.reviewIntervalDays === null ? '' : String(revision.reviewIntervalDays),
    // A change note explains one revision: a new one starts empty.
    changeNote: '',
    slug: '',
  };
}

const orNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/** The request content (contract §4): only the fields the API takes, blanks as null. */
export function contentFromDraft(draft: ArticleDraft): RevisionContent {
  return {
    title: draft.title.trim(),
    summary: orNull(draft.summary),
    body: draft.body,
    references: draft.references.map((r): Reference => ({
      type: r.type,
      title: r.title.trim(),
      source: orNull(r.source),
      year: r.year.trim() === '' ? null : Number(r.year),
      url: orNull(r.url),
      doi: orNull(r.doi),
      pmid: orNull(r.pmid),
    })),
    specialties: draft.specialties,
    reviewIntervalDays: draft.reviewIntervalDays.trim() === '' ? null : Number(draft.reviewIntervalDays),
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

/** What the API would refuse in a reference (contract §4), said before it is sent; `locator` is the reference as a whole. */
export const referenceRowSchema = z
  .object({
    key: z.string(),
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
  })
  .refine((row) => [row.url, row.doi, row.pmid].some((value) => value.trim() !== ''), {
    path: ['locator'],
    message: 'Give at least one of URL, DOI and PMID',
  });

/** The editor form's rules: errors by path (`title`, `references.0.url`, `references.0.locator`, …). */
export const draftSchema = z.object({
  title: z.string().refine((value) => value.trim() !== '', 'Enter a title'),
  summary: z.string(),
  body: z.string().refine((value) => value.trim() !== '', 'Write the body'),
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

/** The form's errors as sentences for the summary above it: "Reference 1: Give at least one of URL, DOI and PMID." */
export function draftErrorSummary(errors: Record<string, unknown>): string[] {
  return Object.entries(errors).flatMap(([path, message]) => {
    if (typeof message !== 'string') return [];
    const reference = /^references\.(\d+)\./.exec(path);
    const label = reference ? `Reference ${Number(reference[1]) + 1}` : (FIELD_LABEL[path] ?? path);
    return [`${label}: ${message}.`];
  });
}

/** The shared citation check (the same code the API runs) on what is being typed. */
export function citationReport(draft: Pick<ArticleDraft, 'summary' | 'body' | 'references'>): CitationReport {
  return checkCitations({ summary: draft.summary, body: draft.body, referenceCount: draft.references.length });
}

/** "body, line 3" for a problem with an offset. */
export function problemPlace(problem: CitationProblem, draft: Pick<ArticleDraft, 'summary' | 'body'>): string | null {
  if (problem.kind === 'uncited_reference') return null;
  const text = problem.field === 'summary' ? draft.summary : draft.body;
  const line = text.slice(0, problem.offset).split('\n').length;
  return `${problem.field === 'summary' ? 'Summary' : 'Body'}, line ${line}`;
}
