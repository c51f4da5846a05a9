import { schemaResolver } from '@mantine/form';
import { describe, expect, it } from 'vitest';
import {
  audiencesWithErrors,
  citationReport,
  contentFromDraft,
  draftErrorSummary,
  draftSchema,
  emptyDraft,
  emptyReference,
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
