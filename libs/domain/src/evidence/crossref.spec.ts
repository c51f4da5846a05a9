import { fixture } from '../../../../test/support/registries';
import { parseCrossrefWork } from './crossref';
import { RegistryFormatError } from './types';

interface Work {
  status: string;
  'message-type': string;
  message: Record<string, unknown>;
}

const work = (message: Record<string, unknown>) => ({ status: 'ok', 'message-type': 'work', message });
const withMessage = (name: string, change: Record<string, unknown>) => {
  const body = fixture<Work>(name);
  return { ...body, message: { ...body.message, ...change } };
};

describe('parseCrossrefWork', () => {
  it('reads a retracted paper: markup out of the title, Retraction Watch and publisher notices kept once', () => {
    expect(parseCrossrefWork(fixture('crossref-retracted'))).toEqual({
      registry: 'crossref',
      title:
        'Flexible and Microporous Chitosan Hydrogel/Nano ZnO Composite Bandages for Wound Dressing: In Vitro and In Vivo Evaluation',
      source: 'ACS Applied Materials & Interfaces',
      sourceAliases: ['ACS Appl. Mater. Interfaces'],
      year: 2012,
      doi: '10.1021/am300292v',
      pmid: null,
      url: 'https://doi.org/10.1021/am300292v',
      authors: [
        'Kumar PTS',
        'Lakshmanan VK',
        'Anilkumar TV',
        'Ramya C',
        'Reshmi P',
        'Unnikrishnan AG',
        'Nair SV',
        'Jayakumar R',
      ],
      notices: [{ type: 'retraction', doi: '10.1021/acsami.9b11759', source: 'retraction-watch', date: '2019-08-13' }],
    });
  });

  it('reads a verified guideline: organisation authors by name, an alias equal to the name dropped', () => {
    const record = parseCrossrefWork(fixture('crossref-verified'));
    expect(record).toMatchObject({
      title:
        'Soft tissue and visceral sarcomas: ESMO–EURACAN–GENTURIS Clinical Practice Guidelines for diagnosis, treatment and follow-up',
      source: 'Annals of Oncology',
      sourceAliases: [],
      year: 2021,
      doi: '10.1016/j.annonc.2021.07.002',
      notices: [],
    });
    expect(record.authors).toEqual([
      'Gronchi A',
      'Miah AB',
      'Dei Tos AP',
      'Abecassis N',
      'Bajpai J',
      'Bauer S',
      'Blay JY',
      'Stacchiotti S',
      'ESMO Guidelines Committee, EURACAN and GENTURIS',
    ]);
  });

  it('keeps a correction and drops update types that are not notices (addendum)', () => {
    const record = parseCrossrefWork(fixture('crossref-corrected'));
    expect(record.notices).toEqual([
      { type: 'correction', doi: '10.5555/imprimatur.2021.0042', source: 'publisher', date: '2021-03-02' },
    ]);
    expect(record.authors).toEqual(['Okonkwo M', 'Martin JY', 'Lindqvist']);
    expect(record).toMatchObject({
      source: 'Journal of Imaginary Oncology',
      sourceAliases: ['J Imag Oncol'],
      year: 2020,
    });
  });

  it('keeps an expression of concern with a partial date, and collapses whitespace in the title', () => {
    const record = parseCrossrefWork(fixture('crossref-concern'));
    expect(record.notices).toEqual([
      {
        type: 'expression_of_concern',
        doi: '10.5555/imprimatur.2022.0901',
        source: 'retraction-watch',
        date: '2022-06',
      },
    ]);
    expect(record.title).toBe(
      'Serum IL-6 and TP53 status predict response to doxorubicin in uterine leiomyosarcoma: a multicentre cohort',
    );
    expect(record.authors).toEqual(['Tanaka H', 'Ferreira AL', 'Leiomyosarcoma Cohort Study Group']);
  });

  it('takes the year from published, then published-print, published-online, issued', () => {
    const dates = {
      published: { 'date-parts': [[2012]] },
      'published-print': { 'date-parts': [[2013, 1]] },
      'published-online': { 'date-parts': [[2014, 2, 3]] },
      issued: { 'date-parts': [[2015]] },
    };
    expect(parseCrossrefWork(work(dates)).year).toBe(2012);
    expect(parseCrossrefWork(work({ ...dates, published: { 'date-parts': [[null]] } })).year).toBe(2013);
    expect(parseCrossrefWork(work({ ...dates, published: undefined, 'published-print': undefined })).year).toBe(2014);
    expect(parseCrossrefWork(work({ issued: dates.issued })).year).toBe(2015);
    expect(parseCrossrefWork(work({ issued: { 'date-parts': [[null]] } })).year).toBeNull();
  });

  it('decodes entities, drops MathML and JATS markup, keeps a lone "<" that is no tag', () => {
    const title = (raw: string) => parseCrossrefWork(work({ title: [raw] })).title;
    expect(title('Surgery &amp; radiotherapy')).toBe('Surgery & radiotherapy');
    expect(title('H<sub>2</sub>O<sub>2</sub> in <jats:italic>E. coli</jats:italic>')).toBe('H2O2 in E. coli');
    expect(title('Rate of <mml:math><mml:mi>x</mml:mi></mml:math> decay')).toBe('Rate of x decay');
    expect(title('Survival when p < 0.05 and q > 1')).toBe('Survival when p < 0.05 and q > 1');
    expect(title('<i></i>')).toBeNull();
  });

  it('gives initials from given names of every shape, and skips authors with no name', () => {
    const authors = (author: unknown[]) => parseCrossrefWork(work({ author })).authors;
    expect(
      authors([
        { given: 'Alessandro M.', family: 'Gronchi' },
        { given: 'Jean-Yves', family: 'Blay' },
        { given: 'J.-Y.', family: 'Blay' },
        { given: 'Élodie', family: 'Lévy' },
        { family: 'Madonna' },
        { name: 'The Sarcoma Group' },
        { sequence: 'additional' },
        'not an author',
      ]),
    ).toEqual(['Gronchi AM', 'Blay JY', 'Blay JY', 'Lévy É', 'Madonna', 'The Sarcoma Group']);
  });

  it('reads notice types spelled with hyphens, and a date from date-time when the parts are missing', () => {
    const record = parseCrossrefWork(
      work({
        'updated-by': [
          {
            DOI: '10.1000/EOC',
            type: 'Expression-of-Concern',
            source: 'publisher',
            updated: { 'date-time': '2020-06-03T00:00:00Z' },
          },
          { DOI: '10.1000/x', type: 'new_version', source: 'publisher' },
          { type: 'withdrawal', source: 'publisher' },
          'junk',
        ],
      }),
    );
    expect(record.notices).toEqual([
      { type: 'expression_of_concern', doi: '10.1000/eoc', source: 'publisher', date: '2020-06-03' },
      { type: 'withdrawal', doi: null, source: 'publisher', date: null },
    ]);
  });

  it('keeps the first of the same notice from two sources, whichever comes first', () => {
    const body = withMessage('crossref-retracted', {});
    const reversed = [...(body.message['updated-by'] as unknown[])].reverse();
    const record = parseCrossrefWork({ ...body, message: { ...body.message, 'updated-by': reversed } });
    expect(record.notices).toEqual([
      { type: 'retraction', doi: '10.1021/acsami.9b11759', source: 'publisher', date: '2019-08-13' },
    ]);
  });

  it('reads a minimal work as mostly empty', () => {
    expect(parseCrossrefWork(work({}))).toEqual({
      registry: 'crossref',
      title: null,
      source: null,
      sourceAliases: [],
      year: null,
      doi: null,
      pmid: null,
      url: null,
      authors: [],
      notices: [],
    });
  });

  it('lower-cases the DOI', () => {
    expect(parseCrossrefWork(withMessage('crossref-verified', { DOI: '10.1016/J.ANNONC.2021.07.002' })).doi).toBe(
      '10.1016/j.annonc.2021.07.002',
    );
  });

  it.each([
    ['null', null],
    ['a string', 'Resource not found.'],
    ['an array', [work({})]],
    ['a failed status', { status: 'failed', 'message-type': 'validation-failure', message: [] }],
    ['a work list', { status: 'ok', 'message-type': 'work-list', message: { items: [] } }],
    ['no message', { status: 'ok', 'message-type': 'work' }],
    ['a message that is no object', { status: 'ok', 'message-type': 'work', message: 'x' }],
  ])('refuses %s', (_what, body) => {
    expect(() => parseCrossrefWork(body)).toThrow(RegistryFormatError);
  });
});
