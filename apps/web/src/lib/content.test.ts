import { schemaResolver } from '@mantine/form';
import type { ReferenceLookup, Revision } from '../api/types';
import { describe, expect, it } from 'vitest';
import {
  audiencesWithErrors,
  citationReport,
  contentFromDraft,
  draftErrorSummary,
  draftFromRevision,
  draftSchema,
  emptyDraft,
  emptyReference,
  filledRow,
  problemPlace,
  type ArticleDraft,
} from './content';

const validate = schemaResolver(draftSchema, { sync: true });
const draft = (over: Partial<ArticleDraft> = {}): ArticleDraft => ({
  ...emptyDraft(),
  title: 'Can it be treated?',
  body: 'Yes [1].',
  ...over,
});

describe('the draft schema', () => {
  it('accepts a draft the API would take', () => {
    expect(
      validate(
        draft({
          references: [{ ...emptyReference(), title: 'ESMO', year: '2021', url: 'https://example.org/esmo' }],
          reviewIntervalDays: '365',
        }),
      ),
    ).toEqual({});
  });

  it('names each field the API would refuse, by its form path', () => {
    const errors = validate(
      draft({
        title: '  ',
        body: '',
        references: [
          { ...emptyReference(), title: 'A study', year: '1066', url: 'example.org' },
          { ...emptyReference(), title: '', pmid: '123' },
        ],
        reviewIntervalDays: '0',
      }),
    );
    expect(errors).toEqual({
      title: 'Enter a title',
      body: 'Write the body',
      'references.0.year': 'Enter a year such as 2023',
      'references.0.url': 'Enter a full web address starting with https://',
      'references.1.title': 'A reference needs a title',
      reviewIntervalDays: 'Enter a whole number of days between 1 and 3650',
    });
  });

  it('asks for a URL, DOI or PMID on the reference as a whole', () => {
    const errors = validate(draft({ references: [{ ...emptyReference(), title: 'A study' }] }));
    expect(errors).toEqual({ 'references.0.locator': 'Give at least one of URL, DOI and PMID' });
    expect(draftErrorSummary(errors)).toEqual(['Reference 1: Give at least one of URL, DOI and PMID.']);
  });

  it('says each problem as a sentence naming its field', () => {
    expect(
      draftErrorSummary({
        title: 'Enter a title',
        'references.2.year': 'Enter a year such as 2023',
        reviewIntervalDays: 'Enter a whole number',
      }),
    ).toEqual([
      'Title: Enter a title.',
      'Reference 3: Enter a year such as 2023.',
      'Review interval: Enter a whole number.',
    ]);
  });
});

describe('audience versions in the draft', () => {
  const withPatient = draft({
    variants: [{ audience: 'patient', title: '  ', summary: '', body: 'An operation.\nThen rest [2].' }],
  });

  it('sends a blank title or summary as null: the article’s own', () => {
    expect(contentFromDraft(withPatient).variants).toEqual([
      { audience: 'patient', title: null, summary: null, body: 'An operation.\nThen rest [2].' },
    ]);
  });

  it('names the version of a field that needs fixing, and the tab it is on', () => {
    const variants = [{ audience: 'caregiver' as const }];
    const errors = validate(draft({ variants: [{ audience: 'caregiver', title: '', summary: '', body: ' ' }] }));
    expect(errors).toEqual({ 'variants.0.body': 'Write the body' });
    expect(draftErrorSummary(errors, variants)).toEqual(['Caregiver version, body: Write the body.']);
    expect(audiencesWithErrors(errors, variants)).toEqual(['caregiver']);
    expect(audiencesWithErrors({ ...errors, title: 'Enter a title' }, variants)).toEqual(['professional', 'caregiver']);
  });

  it('checks the citations of every version, and says where a problem is', () => {
    const report = citationReport(withPatient);
    const problem = report.problems.find((p) => p.severity === 'error' && p.audience === 'patient');
    expect(problem?.message).toBe('In the patient version, marker [2] cites reference 2, but there are no references');
    expect(problem && problemPlace(problem, withPatient)).toBe('Patient version, body, line 2');
  });
});

describe('the authors of a reference', () => {
  const row = { ...emptyReference(), title: 'A study', doi: '10.1000/xyz123' };

  it('sends the authors line as a list, split at commas and semicolons, and no list at all when blank', () => {
    const content = contentFromDraft(
      draft({
        references: [
          { ...row, authors: ' Gronchi A, Miah AB;; Blay JY ,' },
          { ...row, authors: ' , ' },
        ],
      }),
    );
    expect(content.references[0].authors).toEqual(['Gronchi A', 'Miah AB', 'Blay JY']);
    expect(content.references[1]).not.toHaveProperty('authors');
  });

  it('reads the authors of a loaded revision back into the line, and a reference without them as blank', () => {
    const reference = { type: 'research', title: 'A study', source: null, year: null, url: null, doi: null, pmid: '1' };
    const loaded = draftFromRevision({
      title: 'T',
      summary: null,
      body: 'B',
      variants: [],
      specialties: [],
      reviewIntervalDays: null,
      references: [{ ...reference, authors: ['Gronchi A', 'Miah AB'] }, reference],
    } as unknown as Revision);
    expect(loaded.references.map((r) => r.authors)).toEqual(['Gronchi A, Miah AB', '']);
    expect(contentFromDraft(loaded).references[0].authors).toEqual(['Gronchi A', 'Miah AB']);
  });

  it('refuses more authors, or longer names, than the API takes', () => {
    const many = Array.from({ length: 101 }, (_, i) => `Author${i} A`).join(', ');
    expect(validate(draft({ references: [{ ...row, authors: many }] }))).toEqual({
      'references.0.authors': 'Name at most 100 authors, each in at most 200 characters',
    });
    expect(validate(draft({ references: [{ ...row, authors: 'x'.repeat(201) }] }))).toHaveProperty([
      'references.0.authors',
    ]);
  });
});

describe('a row filled from a registry', () => {
  const found: ReferenceLookup = {
    title: 'Registered title',
    source: null,
    year: 2021,
    doi: '10.1000/abc',
    pmid: '34303806',
    url: 'https://doi.org/10.1000/abc',
    authors: [],
    notices: [],
  };
  const typed = {
    ...emptyReference(),
    title: 'typed',
    source: 'Typed journal',
    year: '2019',
    authors: 'Doe J',
    doi: 'doi:10.1000/ABC',
    url: 'https://example.org/x',
  };

  it('takes what the registry gives, keeps what it does not, and normalises only the identifier looked up', () => {
    expect(filledRow(typed, found, 'doi')).toEqual({
      ...typed,
      title: 'Registered title',
      year: '2021',
      doi: '10.1000/abc',
    });
    // Looked up by PMID: the typed DOI stays as it was, and so does the URL.
    expect(filledRow({ ...typed, pmid: '34303806' }, { ...found, authors: ['Roe R'] }, 'pmid')).toMatchObject({
      doi: 'doi:10.1000/ABC',
      pmid: '34303806',
      authors: 'Roe R',
      url: 'https://example.org/x',
    });
  });
});
