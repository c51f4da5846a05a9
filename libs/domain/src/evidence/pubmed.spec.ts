import { fixture } from '../../../../test/support/registries';
import { parsePubmedSummary } from './pubmed';
import { RegistryFormatError } from './types';

const PUBMED = 'https://pubmed.ncbi.nlm.nih.gov';

const summary = (pmid: string, fields: Record<string, unknown>) => ({
  header: { type: 'esummary', version: '0.3' },
  result: { uids: [pmid], [pmid]: { uid: pmid, ...fields } },
});

describe('parsePubmedSummary', () => {
  it('reads a paper: title without its full stop, the NLM abbreviation as an alias, DOI, authors', () => {
    expect(parsePubmedSummary(fixture('pubmed-verified'), '31912902', PUBMED)).toEqual({
      registry: 'pubmed',
      title: 'Cancer statistics, 2020',
      source: 'CA: a cancer journal for clinicians',
      sourceAliases: ['CA Cancer J Clin'],
      year: 2020,
      doi: '10.3322/caac.21590',
      pmid: '31912902',
      url: 'https://pubmed.ncbi.nlm.nih.gov/31912902/',
      authors: ['Siegel RL', 'Miller KD', 'Jemal A'],
      notices: [],
    });
  });

  it('reads "Retracted Publication" as a retraction notice from PubMed', () => {
    const record = parsePubmedSummary(fixture('pubmed-retracted'), '22489770', `${PUBMED}/`);
    expect(record).toMatchObject({
      title:
        'Flexible and microporous chitosan hydrogel/nano ZnO composite bandages for wound dressing: in vitro and in vivo evaluation',
      source: 'ACS applied materials & interfaces',
      sourceAliases: ['ACS Appl Mater Interfaces'],
      year: 2012,
      doi: '10.1021/am300292v',
      url: 'https://pubmed.ncbi.nlm.nih.gov/22489770/',
      notices: [{ type: 'retraction', doi: null, source: 'pubmed', date: null }],
    });
    expect(record?.authors).toHaveLength(8);
  });

  it('answers null for a PMID PubMed does not know', () => {
    expect(parsePubmedSummary(fixture('pubmed-unknown'), '99999999', PUBMED)).toBeNull();
  });

  it.each([
    ['an id it cannot read', { header: {}, esummaryresult: ['Invalid uid abc at position=0'] }],
    ['an error instead of a result', { error: 'Invalid uid' }],
    ['a result for other PMIDs', summary('1', { title: 'Other.' })],
  ])('answers null for %s', (_what, body) => {
    expect(parsePubmedSummary(body, '22489770', PUBMED)).toBeNull();
  });

  it('takes the year from pubdate, then sortpubdate', () => {
    const year = (fields: Record<string, unknown>) => parsePubmedSummary(summary('7', fields), '7', PUBMED)?.year;
    expect(year({ pubdate: '2013 Dec 5', sortpubdate: '2014/01/01 00:00' })).toBe(2013);
    expect(year({ pubdate: 'Winter', sortpubdate: '2014/01/01 00:00' })).toBe(2014);
    expect(year({ pubdate: '' })).toBeNull();
  });

  it('keeps only people as authors, and a journal known only by its abbreviation', () => {
    const record = parsePubmedSummary(
      summary('7', {
        source: 'Lancet Oncol',
        authors: [
          { name: 'Gronchi A', authtype: 'Author' },
          { name: 'ESMO Guidelines Committee', authtype: 'CollectiveName' },
          'junk',
        ],
        articleids: [{ idtype: 'pii', value: 'S1470' }],
      }),
      '7',
      PUBMED,
    );
    expect(record).toMatchObject({
      source: 'Lancet Oncol',
      sourceAliases: [],
      authors: ['Gronchi A'],
      doi: null,
      title: null,
    });
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a rate-limit answer', { error: 'API rate limit exceeded', count: '11' }],
    ['no result', { header: {} }],
    ['a result without uids', { result: {} }],
    ['a listed PMID without a summary', { result: { uids: ['7'] } }],
  ])('refuses %s', (_what, body) => {
    expect(() => parsePubmedSummary(body, '7', PUBMED)).toThrow(RegistryFormatError);
  });
});
