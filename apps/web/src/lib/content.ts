import { checkCitations, type CitationProblem, type CitationReport } from '@imprimatur/domain/articles/citations';
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

export const emptyReference = (): ReferenceRow => ({ key: newRowKey(), type: 'research', title: '', source: '', year: '', url: '', doi: '', pmid: '' });

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
    references: draft.references.map(
      (r): Reference => ({
        type: r.type,
        title: r.title.trim(),
        source: orNull(r.source),
        year: r.year.trim() === '' ? null : Number(r.year),
        url: orNull(r.url),
        doi: orNull(r.doi),
        pmid: orNull(r.pmid),
      }),
    ),
    specialties: draft.specialties,
    reviewIntervalDays: draft.reviewIntervalDays.trim() === '' ? null : Number(draft.reviewIntervalDays),
    changeNote: orNull(draft.changeNote),
  };
}

/** What differs from the loaded revision, ignoring the change note and the row keys. */
export function isDirty(draft: ArticleDraft, loaded: ArticleDraft): boolean {
  const comparable = (d: ArticleDraft) => JSON.stringify({ ...contentFromDraft(d), changeNote: null, slug: d.slug.trim() });
  return comparable(draft) !== comparable(loaded);
}

export type ReferenceProblems = Partial<Record<'title' | 'year' | 'url' | 'locator', string>>;

/** What the API would refuse in a reference, said before it is sent. */
export function referenceProblems(row: ReferenceRow): ReferenceProblems {
  const problems: ReferenceProblems = {};
  if (!row.title.trim()) problems.title = 'A reference needs a title';
  if (row.year.trim() !== '') {
    const year = Number(row.year);
    if (!Number.isInteger(year) || year < 1500 || year > 2200) problems.year = 'Enter a year such as 2023';
  }
  if (row.url.trim() !== '' && !/^https?:\/\/\S+$/i.test(row.url.trim())) problems.url = 'Enter a full web address starting with https://';
  if (!row.url.trim() && !row.doi.trim() && !row.pmid.trim()) problems.locator = 'Give at least one of URL, DOI and PMID';
  return problems;
}

export function draftProblems(draft: ArticleDraft): string[] {
  const problems: string[] = [];
  if (!draft.title.trim()) problems.push('The article needs a title.');
  if (!draft.body.trim()) problems.push('The article needs a body.');
  draft.references.forEach((row, i) => {
    Object.values(referenceProblems(row)).forEach((p) => problems.push(`Reference ${i + 1}: ${p}.`));
  });
  if (draft.reviewIntervalDays.trim() !== '') {
    const days = Number(draft.reviewIntervalDays);
    if (!Number.isInteger(days) || days < 1 || days > 3650) problems.push('The review interval must be between 1 and 3650 days.');
  }
  return problems;
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
