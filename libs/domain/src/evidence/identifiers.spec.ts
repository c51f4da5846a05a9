import { normaliseDoi, normalisePmid } from './identifiers';

describe('normaliseDoi', () => {
  it.each([
    ['10.1021/am300292v', '10.1021/am300292v'],
    ['10.1021/AM300292V', '10.1021/am300292v'],
    ['  10.1021/am300292v\n', '10.1021/am300292v'],
    ['doi:10.1021/am300292v', '10.1021/am300292v'],
    ['DOI: 10.1021/AM300292V', '10.1021/am300292v'],
    ['https://doi.org/10.1021/am300292v', '10.1021/am300292v'],
    ['HTTPS://DOI.ORG/10.1021/AM300292V', '10.1021/am300292v'],
    ['http://dx.doi.org/10.1016/j.annonc.2021.07.002', '10.1016/j.annonc.2021.07.002'],
    ['https://www.doi.org/10.1016/j.annonc.2021.07.002', '10.1016/j.annonc.2021.07.002'],
    ['doi.org/10.1016/j.annonc.2021.07.002', '10.1016/j.annonc.2021.07.002'],
    ['https://doi.org/10.1016%2Fs0140-6736%2897%2911096-0', '10.1016/s0140-6736(97)11096-0'],
    [
      '10.1002/(SICI)1097-0258(19980815/30)17:15/16<1661::AID-SIM968>3.0.CO;2-2',
      '10.1002/(sici)1097-0258(19980815/30)17:15/16<1661::aid-sim968>3.0.co;2-2',
    ],
    ['10.1000.10/abc', '10.1000.10/abc'],
  ])('reads %p as %p', (input, doi) => {
    expect(normaliseDoi(input)).toBe(doi);
  });

  it.each([
    '',
    '   ',
    'not a doi',
    '10.1/abc', // a registrant code has at least two digits
    '10.1021', // no suffix
    '10.1021/', // empty suffix
    '11.1021/am300292v',
    '10.1021/am 300292v', // a space is never part of a DOI
    '10.1021/am300292v#page=2', // '#' must be escaped
    'https://example.org/10.1021/am300292v', // not a DOI resolver
    'see 10.1021/am300292v', // text around it
    'https://doi.org/10.1021%ZZam300292v', // a '%' that escapes nothing
    'https://doi.org/10.1021/am%2520x', // decoded once: still a '%'
    'pmid:12345678',
  ])('refuses %p', (input) => {
    expect(normaliseDoi(input)).toBeNull();
  });
});

describe('normalisePmid', () => {
  it.each([
    ['22489770', '22489770'],
    [' 22489770 ', '22489770'],
    ['PMID:22489770', '22489770'],
    ['PMID: 22489770', '22489770'],
    ['pmid 22489770', '22489770'],
    ['1', '1'],
    ['999999999', '999999999'],
  ])('reads %p as %p', (input, pmid) => {
    expect(normalisePmid(input)).toBe(pmid);
  });

  it.each([
    '',
    'PMID:',
    '022489770',
    '0',
    '1234567890',
    '2248977O',
    '22489770a',
    '-1',
    '2.2e7',
    '10.1021/am300292v',
    'PMC3131311',
  ])('refuses %p', (input) => {
    expect(normalisePmid(input)).toBeNull();
  });
});
