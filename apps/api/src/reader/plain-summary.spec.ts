import { PlainSummaries, plainSummary } from './plain-summary';

describe('plainSummary', () => {
  it.each([
    ['Statins lower LDL cholesterol [1, 4].', 'Statins lower LDL cholesterol.'],
    ['Surgery [1]; chemotherapy for advanced disease [2-3].', 'Surgery; chemotherapy for advanced disease.'],
    ['[2] Radiotherapy may be added.', 'Radiotherapy may be added.'],
    ['**Surgery** first, see [the guideline](https://example.org) [1].', 'Surgery first, see the guideline.'],
  ])('%j reads %j', (summary, text) => {
    expect(plainSummary(summary)).toBe(text);
  });

  it('keeps brackets that are no citation: a malformed marker, code, a year range in words', () => {
    expect(plainSummary('Given on days [1 2] of each cycle.')).toBe('Given on days [1 2] of each cycle.');
    expect(plainSummary('Type `[1]` to cite.')).toBe('Type [1] to cite.');
    expect(plainSummary('Trials [of 2010] agree.')).toBe('Trials [of 2010] agree.');
  });

  it('has nothing to say for no summary, or one that is only markers', () => {
    expect(plainSummary(null)).toBeNull();
    expect(plainSummary('')).toBeNull();
    expect(plainSummary('[1]')).toBeNull();
  });
});

describe('PlainSummaries', () => {
  it('gives the same text as plainSummary, and starts afresh when full', () => {
    const summaries = new PlainSummaries(2);
    expect(summaries.of('A [1].')).toBe('A.');
    expect(summaries.of('A [1].')).toBe('A.');
    expect(summaries.of('B [2].')).toBe('B.');
    expect(summaries.of('C [3].')).toBe('C.');
    expect(summaries.of('A [1].')).toBe('A.');
    expect(summaries.of(null)).toBeNull();
  });
});
