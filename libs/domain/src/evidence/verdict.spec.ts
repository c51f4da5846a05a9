import type { Reference } from '../articles/reference';
import { fixture } from '../../../../test/support/registries';
import { parseCrossrefWork } from './crossref';
import { parsePubmedSummary } from './pubmed';
import type { EvidenceNotice, EvidenceResult, LookupOutcome, RegistryRecord } from './types';
import {
  compareMetadata,
  describeNotice,
  evidenceCheckStatus,
  evidenceTargets,
  judgeReference,
  sourceMatches,
  titlesMatch,
} from './verdict';

const CHECKED_AT = '2026-01-05T10:00:00.000Z';
const GUIDELINE_TITLE =
  'Soft tissue and visceral sarcomas: ESMO–EURACAN–GENTURIS Clinical Practice Guidelines for diagnosis, treatment and follow-up';

const reference = (fields: Partial<Reference> = {}): Reference => ({
  type: 'guideline',
  title: GUIDELINE_TITLE,
  source: 'Annals of Oncology',
  year: 2021,
  url: null,
  doi: '10.1016/j.annonc.2021.07.002',
  pmid: null,
  ...fields,
});

const record = (fields: Partial<RegistryRecord> = {}): RegistryRecord => ({
  registry: 'crossref',
  title: GUIDELINE_TITLE,
  source: 'Annals of Oncology',
  sourceAliases: [],
  year: 2021,
  doi: '10.1016/j.annonc.2021.07.002',
  pmid: null,
  url: 'https://doi.org/10.1016/j.annonc.2021.07.002',
  authors: [],
  notices: [],
  ...fields,
});

const notice = (type: EvidenceNotice['type'], source = 'publisher'): EvidenceNotice => ({
  type,
  doi: `10.5555/${type}`,
  source,
  date: '2022-01-01',
});
const found = (fields: Partial<RegistryRecord> = {}): LookupOutcome => ({ outcome: 'found', record: record(fields) });
const TARGET = { n: 3, doi: '10.1016/j.annonc.2021.07.002', pmid: null };
const judge = (outcomes: LookupOutcome[], ref = reference()) => judgeReference(TARGET, ref, outcomes, CHECKED_AT);

describe('evidenceTargets', () => {
  it('numbers references from 1 and keeps those with an identifier that normalises', () => {
    expect(
      evidenceTargets([
        reference({ doi: 'https://doi.org/10.1021/AM300292V' }),
        reference({ doi: null, pmid: null }),
        reference({ doi: 'not a doi', pmid: 'PMID: 22489770' }),
        reference({ doi: 'nonsense', pmid: 'abc' }),
        reference({ doi: '10.3322/caac.21590', pmid: '31912902' }),
      ]),
    ).toEqual([
      { n: 1, doi: '10.1021/am300292v', pmid: null },
      { n: 3, doi: null, pmid: '22489770' },
      { n: 5, doi: '10.3322/caac.21590', pmid: '31912902' },
    ]);
  });

  it('has nothing to check without references', () => {
    expect(evidenceTargets([])).toEqual([]);
  });
});

describe('titlesMatch', () => {
  it.each([
    [
      'the same title in other case and punctuation',
      'soft tissue and visceral sarcomas - ESMO-EURACAN-GENTURIS clinical practice guidelines for diagnosis, treatment and follow up',
    ],
    [
      'a typo',
      'Soft tissue and viseral sarcomas: ESMO–EURACAN–GENTURIS Clinical Practise Guidelines for diagnosis, treatment and follow-up',
    ],
    ['the subtitle dropped', 'Soft tissue and visceral sarcomas'],
    [
      'diacritics',
      'Soft tissue and viscéral sarcomas: ESMO–EURACAN–GENTURIS Clinical Practice Guidelines for diagnosis, treatment and follow-up',
    ],
  ])('matches %s', (_what, cited) => {
    expect(titlesMatch(cited, GUIDELINE_TITLE)).toBe(true);
  });

  it('matches a registry title without the subtitle the reference gives', () => {
    expect(
      titlesMatch('Cancer statistics, 2020: a report of the American Cancer Society', 'Cancer statistics, 2020'),
    ).toBe(true);
  });

  it.each([
    [
      'a different paper',
      'Gastrointestinal stromal tumours: ESMO–EURACAN–GENTURIS Clinical Practice Guidelines for diagnosis, treatment and follow-up',
    ],
    ['a different subtitle', 'Soft tissue and visceral sarcomas: a systematic review'],
    ['only the subtitle', 'ESMO–EURACAN–GENTURIS Clinical Practice Guidelines for diagnosis, treatment and follow-up'],
    ['a truncation that is no subtitle', 'Soft tissue and visceral'],
  ])('does not match %s', (_what, cited) => {
    expect(titlesMatch(cited, GUIDELINE_TITLE)).toBe(false);
  });
});

describe('sourceMatches', () => {
  it.each([
    ['Lancet Oncology', ['The Lancet Oncology']],
    ['The Lancet. Oncology', ['Lancet Oncology']],
    ['the lancet oncology', ['The Lancet. Oncology']],
    ['Lancet Oncol', ['The Lancet Oncology', 'Lancet Oncol']],
    ['Lancet Oncol.', ['The Lancet Oncology', 'Lancet Oncol']],
    ['ACS Applied Materials and Interfaces', ['ACS Applied Materials & Interfaces']],
    ['Ann. Oncol.', ['Annals of Oncology', 'Ann Oncol']],
  ])('finds %p among %p', (cited, names) => {
    expect(sourceMatches(cited, names)).toBe(true);
  });

  it.each([
    ['Lancet', ['The Lancet Oncology', 'Lancet Oncol']],
    ['Annals of Surgical Oncology', ['Annals of Oncology']],
    ['Theoretical Oncology', ['Oncology']],
  ])('does not find %p among %p', (cited, names) => {
    expect(sourceMatches(cited, names)).toBe(false);
  });
});

describe('compareMetadata', () => {
  it('finds nothing when the reference agrees with the registry', () => {
    expect(compareMetadata(reference(), record())).toEqual([]);
  });

  it('names every field that disagrees', () => {
    expect(
      compareMetadata(reference({ title: 'Something else entirely', source: 'Lancet Oncology', year: 2018 }), record()),
    ).toEqual(['title', 'source', 'year']);
  });

  it('takes the year within one either way, not two', () => {
    expect(compareMetadata(reference({ year: 2020 }), record())).toEqual([]);
    expect(compareMetadata(reference({ year: 2022 }), record())).toEqual([]);
    expect(compareMetadata(reference({ year: 2019 }), record())).toEqual(['year']);
    expect(compareMetadata(reference({ year: 2023 }), record())).toEqual(['year']);
  });

  it('matches the journal by an alias', () => {
    expect(
      compareMetadata(
        reference({ source: 'Ann Oncol' }),
        record({ source: 'Annals of Oncology', sourceAliases: ['Ann Oncol'] }),
      ),
    ).toEqual([]);
    expect(
      compareMetadata(reference({ source: 'Ann Oncol' }), record({ source: null, sourceAliases: ['Ann Oncol'] })),
    ).toEqual([]);
  });

  it('does not compare what the reference leaves empty or the registry does not give', () => {
    expect(compareMetadata(reference({ source: null, year: null }), record({ source: 'X', year: 1990 }))).toEqual([]);
    expect(compareMetadata(reference({ title: '  ', source: '' }), record({ title: 'X', source: 'Y' }))).toEqual([]);
    expect(
      compareMetadata(
        reference({ title: 'X', source: 'Y', year: 1990 }),
        record({ title: null, source: null, year: null }),
      ),
    ).toEqual([]);
  });

  it('agrees with the fixtures of the same paper in both registries', () => {
    const cited = reference({
      title: 'Flexible and microporous chitosan hydrogel/nano ZnO composite bandages for wound dressing',
      source: 'ACS Appl Mater Interfaces',
      year: 2012,
    });
    const crossref = parseCrossrefWork(fixture('crossref-retracted'));
    const pubmed = parsePubmedSummary(fixture('pubmed-retracted'), '22489770', 'https://pubmed.ncbi.nlm.nih.gov');
    expect(compareMetadata(cited, crossref)).toEqual([]);
    expect(compareMetadata({ ...cited, year: 2010 }, crossref)).toEqual(['year']);
    expect(pubmed && compareMetadata(cited, pubmed)).toEqual([]);
  });
});

describe('judgeReference', () => {
  it('verifies a reference the registry agrees with', () => {
    expect(judge([found()])).toEqual({ n: 3, status: 'verified', doi: TARGET.doi, pmid: null, checkedAt: CHECKED_AT });
  });

  it.each([
    ['retraction', 'retracted'],
    ['withdrawal', 'retracted'],
    ['removal', 'retracted'],
    ['partial_retraction', 'concern'],
    ['expression_of_concern', 'concern'],
    ['correction', 'corrected'],
    ['erratum', 'corrected'],
    ['corrigendum', 'corrected'],
  ] as const)('reads a %s as %s, with the notice', (type, status) => {
    const result = judge([found({ notices: [notice(type)] })]);
    expect(result).toEqual({ n: 3, status, doi: TARGET.doi, pmid: null, notice: notice(type), checkedAt: CHECKED_AT });
  });

  it('lets the most severe notice win, whatever the order', () => {
    const notices = [notice('correction'), notice('expression_of_concern'), notice('retraction'), notice('erratum')];
    expect(judge([found({ notices })]).notice).toEqual(notice('retraction'));
    expect(judge([found({ notices: [notice('correction'), notice('partial_retraction')] })]).status).toBe('concern');
  });

  it("prefers Crossref's notice to PubMed's of the same severity, whichever lookup came first", () => {
    const pubmed = found({
      registry: 'pubmed',
      notices: [{ type: 'retraction', doi: null, source: 'pubmed', date: null }],
    });
    const crossref = found({ notices: [notice('retraction', 'retraction-watch')] });
    expect(judge([pubmed, crossref]).notice).toEqual(notice('retraction', 'retraction-watch'));
    // A worse notice from PubMed still beats a lesser one from Crossref.
    expect(judge([found({ notices: [notice('correction')] }), pubmed]).status).toBe('retracted');
  });

  it('decides on notices before failures, unknown identifiers and mismatches', () => {
    const retracted = found({ title: 'Another paper', year: 1999, notices: [notice('retraction')] });
    expect(judge([retracted, { outcome: 'error', registry: 'pubmed', code: 'http_503' }]).status).toBe('retracted');
    expect(judge([retracted, { outcome: 'not_found', registry: 'pubmed' }]).status).toBe('retracted');
  });

  it('reports a failed lookup as an error with its code, before an unknown identifier or a mismatch', () => {
    const result = judge([
      { outcome: 'not_found', registry: 'crossref' },
      { outcome: 'error', registry: 'pubmed', code: 'rate_limited' },
    ]);
    expect(result).toEqual({
      n: 3,
      status: 'error',
      code: 'rate_limited',
      doi: TARGET.doi,
      pmid: null,
      checkedAt: CHECKED_AT,
    });
    expect(judge([found({ year: 1990 }), { outcome: 'error', registry: 'pubmed', code: 'bad_response' }]).status).toBe(
      'error',
    );
  });

  it('reports an identifier a registry does not know as unverified, before a mismatch', () => {
    expect(judge([{ outcome: 'not_found', registry: 'crossref' }])).toEqual({
      n: 3,
      status: 'unverified',
      doi: TARGET.doi,
      pmid: null,
      checkedAt: CHECKED_AT,
    });
    expect(judge([found({ year: 1990 }), { outcome: 'not_found', registry: 'pubmed' }]).status).toBe('unverified');
  });

  it('reports nothing looked up as unverified, not verified', () => {
    expect(judge([]).status).toBe('unverified');
  });

  it('names the mismatched fields, comparing with Crossref before PubMed', () => {
    const crossref = found({ year: 2015 });
    const pubmed = found({ registry: 'pubmed', year: 2021 });
    expect(judge([pubmed, crossref])).toEqual({
      n: 3,
      status: 'mismatch',
      fields: ['year'],
      doi: TARGET.doi,
      pmid: null,
      checkedAt: CHECKED_AT,
    });
    expect(judge([found({ registry: 'pubmed', source: 'Lancet Oncology' })])).toMatchObject({
      status: 'mismatch',
      fields: ['source'],
    });
  });
});

describe('evidenceCheckStatus', () => {
  const result = (status: EvidenceResult['status']): EvidenceResult => ({ ...TARGET, status, checkedAt: CHECKED_AT });

  it('passes with nothing to check, or everything verified', () => {
    expect(evidenceCheckStatus([])).toBe('passed');
    expect(evidenceCheckStatus([result('verified'), result('verified')])).toBe('passed');
  });

  it.each(['mismatch', 'concern', 'corrected', 'unverified', 'error'] as const)('warns on %s', (status) => {
    expect(evidenceCheckStatus([result('verified'), result(status)])).toBe('warning');
  });

  it('fails on a retraction, whatever else there is', () => {
    expect(evidenceCheckStatus([result('error'), result('retracted'), result('verified')])).toBe('failed');
  });
});

describe('describeNotice', () => {
  it.each([
    [
      { type: 'retraction', doi: '10.1021/acsami.9b11759', source: 'retraction-watch', date: '2019-08-13' },
      'Retracted (Retraction Watch, 2019-08-13)',
    ],
    [
      { type: 'expression_of_concern', doi: null, source: 'publisher', date: null },
      'Expression of concern (publisher)',
    ],
    [{ type: 'correction', doi: null, source: 'pubmed', date: null }, 'Corrected (PubMed)'],
    [{ type: 'retraction', doi: null, source: 'pubmed', date: null }, 'Retracted (PubMed)'],
    [{ type: 'withdrawal', doi: null, source: null, date: '2020' }, 'Withdrawn (2020)'],
    [
      { type: 'partial_retraction', doi: null, source: 'some-registry', date: '2021-05' },
      'Partially retracted (some-registry, 2021-05)',
    ],
    [{ type: 'removal', doi: null, source: null, date: null }, 'Removed'],
    [{ type: 'erratum', doi: null, source: 'constructor', date: null }, 'Erratum published (constructor)'],
    [{ type: 'corrigendum', doi: null, source: 'publisher', date: null }, 'Corrigendum published (publisher)'],
  ] as [EvidenceNotice, string][])('describes %j as %p', (given, text) => {
    expect(describeNotice(given)).toBe(text);
  });
});
