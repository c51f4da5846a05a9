import { Logger } from '@nestjs/common';
import type { Reference } from '@imprimatur/domain';
import { vancouver } from './vancouver';

// The same module instance vancouver.ts loaded, to count and break its formatting (it ships no types).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Cite } = require('@citation-js/core');

const reference = (fields: Partial<Reference>): Reference => ({
  type: 'research',
  title: 'A title',
  source: null,
  year: null,
  url: null,
  doi: null,
  pmid: null,
  ...fields,
});

describe('vancouver', () => {
  afterEach(() => jest.restoreAllMocks());

  it('formats a guideline with its authors, initials kept together and an organisation as written', () => {
    const [entry] = vancouver([
      reference({
        type: 'guideline',
        title: 'Soft tissue and visceral sarcomas: ESMO–EURACAN–GENTURIS Clinical Practice Guidelines',
        source: 'Annals of Oncology',
        year: 2021,
        doi: '10.1016/j.annonc.2021.07.016',
        authors: ['Gronchi A', 'Miah AB', 'ESMO Guidelines Committee'],
      }),
    ]);
    expect(entry).toBe(
      'Gronchi A, Miah AB, ESMO Guidelines Committee. Soft tissue and visceral sarcomas: ESMO–EURACAN–GENTURIS Clinical Practice Guidelines. Annals of Oncology. 2021.',
    );
  });

  it('formats a research paper without authors, in order, unnumbered, with no dangling ";" where the volume would be', () => {
    expect(
      vancouver([
        reference({ title: 'Imatinib in GIST', source: 'N Engl J Med', year: 2002, pmid: '12181401' }),
        reference({ title: 'Trabectedin study', source: 'Lancet Oncol', year: 2022, url: 'https://example.org/t' }),
      ]),
    ).toEqual([
      'Imatinib in GIST. N Engl J Med. 2002.',
      'Trabectedin study. Lancet Oncol [Internet]. 2022. Available from: https://example.org/t',
    ]);
  });

  it('leaves out a missing year, and formats a reference of no journal as a document or web page', () => {
    expect(
      vancouver([
        reference({ title: 'No year yet', source: 'N Engl J Med' }),
        reference({ type: 'other', title: 'Patient leaflet', source: 'Sarcoma UK', url: 'https://example.org/l' }),
        reference({ type: 'other', title: 'Internal report', source: 'Imprimatur', year: 2020 }),
      ]),
    ).toEqual([
      'No year yet. N Engl J Med.',
      'Patient leaflet [Internet]. Sarcoma UK. Available from: https://example.org/l',
      'Internal report. Imprimatur. 2020.',
    ]);
  });

  it('keeps non-ASCII names and titles, and shortens more than six authors to "et al."', () => {
    const [accents, many] = vancouver([
      reference({
        title: 'Ösophagus-Chirurgie: Ergebnisse',
        source: 'Der Chirurg',
        year: 2019,
        authors: ['Müller J', 'Šťastný PŽ', 'Øster Å', 'van der Graaf WTA', 'Zhang X'],
      }),
      reference({
        title: 'Big trial',
        source: 'BMJ',
        year: 2020,
        authors: ['A A', 'B B', 'C C', 'D D', 'E E', 'F F', 'G G'],
      }),
    ]);
    expect(accents).toBe(
      'Müller J, Šťastný PŽ, Øster Å, van der Graaf WTA, Zhang X. Ösophagus-Chirurgie: Ergebnisse. Der Chirurg. 2019.',
    );
    expect(many).toBe('A A, B B, C C, D D, E E, F F, et al. Big trial. BMJ. 2020.');
  });

  it('formats each reference once: the same references again cost no formatting', () => {
    const references = [
      reference({ title: 'Memoised once', source: 'BMJ', year: 2024, authors: ['Casali PG'] }),
      reference({ type: 'guideline', title: 'Memoised twice', source: 'ESMO', year: 2023 }),
    ];
    const formats = jest.spyOn(Cite.prototype, 'format');
    const first = vancouver(references);
    expect(formats).toHaveBeenCalledTimes(2);
    // An equal reference (a fresh copy, as each request reads it) is the same entry.
    expect(vancouver(references.map((r) => ({ ...r })))).toEqual(first);
    expect(formats).toHaveBeenCalledTimes(2);
    expect(first).toEqual(['Casali PG. Memoised once. BMJ. 2024.', 'Memoised twice. ESMO. 2023.']);
  });

  it('falls back to "Title. Source. Year." for an entry citation-js fails on, and logs it', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Cite.prototype, 'format').mockImplementationOnce(() => {
      throw new TypeError('name.family.replace is not a function');
    });
    expect(
      vancouver([
        reference({ title: 'Does it break?', source: 'Broken Journal', year: 2021, authors: ['Smith J'] }),
        reference({ title: 'Still formatted', source: 'BMJ', year: 2021 }),
      ]),
    ).toEqual(['Does it break? Broken Journal. 2021.', 'Still formatted. BMJ. 2021.']);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Does it break?'));
  });
});
