import { quantitiesInMarkdown, quantitiesInText } from './quantities';

const canonical = (markdown: string) => quantitiesInMarkdown(markdown).map((q) => q.canonical);

describe('quantitiesInMarkdown (contract §13 consistency)', () => {
  it("reads the seed's doses with their sentences", () => {
    const quantities = quantitiesInMarkdown(
      'Doxorubicin 75 mg/m² every 3 weeks remains first-line [2-3]. High-dose ifosfamide 12–14 g/m²/cycle is an option.',
    );
    expect(quantities).toEqual([
      {
        text: '75 mg/m2',
        canonical: '75 mg/m2',
        sentence: 'Doxorubicin 75 mg/m² every 3 weeks remains first-line.',
      },
      {
        text: 'every 3 weeks',
        canonical: 'every 3 weeks',
        sentence: 'Doxorubicin 75 mg/m² every 3 weeks remains first-line.',
      },
      {
        text: '12–14 g/m2/cycle',
        canonical: '12-14 g/m2/cycle',
        sentence: 'High-dose ifosfamide 12–14 g/m²/cycle is an option.',
      },
    ]);
  });

  it.each([
    ['75 mg/m²', '75 mg/m2'],
    ['75 mg/m2', '75 mg/m2'],
    ['75 mg/m^2', '75 mg/m2'],
    ['75 mg per square metre', '75 mg/m2'],
    ['75 mg/m<sup>2</sup>', '75 mg/m2'],
    ['12–14 g/m2/cycle', '12-14 g/m2/cycle'],
    ['12-14 g/m²/cycle', '12-14 g/m2/cycle'],
    ['12 - 14 g/m2 per cycle', '12-14 g/m2/cycle'],
    ['12 to 14 g/m2/cycle', '12-14 g/m2/cycle'],
    ['0.5 mg', '0.5 mg'],
    ['.5 mg', '0.5 mg'],
    ['0.50 mg', '0.5 mg'],
    ['5.0 mg', '5 mg'],
    ['5mg', '5 mg'],
    ['a 500-mg tablet', '500 mg'],
    ['500 mcg', '500 mcg'],
    ['500 \u00b5g', '500 mcg'],
    ['500 \u03bcg', '500 mcg'],
    ['500 micrograms', '500 mcg'],
    ['2 grams', '2 g'],
    ['10 mL', '10 mL'],
    ['10 ml', '10 mL'],
    ['1.5 L', '1.5 L'],
    ['20 mmol/L', '20 mmol/L'],
    ['40 mEq', '40 mEq'],
    ['2 mg/mL', '2 mg/mL'],
    ['1,000 units', '1000 units'],
    ['10\u202f000 IU', '10000 IU'],
    ['5 international units', '5 IU'],
    ['2 mg/kg/day', '2 mg/kg/day'],
    ['2 mg/kg/d', '2 mg/kg/day'],
    ['2 mg per kg per day', '2 mg/kg/day'],
    ['2 mg/kg a day', '2 mg/kg/day'],
    ['5 mg daily', '5 mg/day'],
    ['60 mg a week', '60 mg/week'],
    ['60 mg weekly', '60 mg/week'],
    ['every 4 to 6 hours', 'every 4-6 hours'],
    ['q8h', 'every 8 hours'],
  ])('reads %j as %j', (written, expected) => {
    expect(canonical(`Take ${written} as advised.`)).toEqual([expected]);
  });

  it('reads percentages, however they are spelled', () => {
    expect(canonical('About 30% respond; 30 % in one trial, 30 percent or 30 per cent in others; 2.5% gel.')).toEqual([
      '30%',
      '30%',
      '30%',
      '30%',
      '2.5%',
    ]);
  });

  it('ignores numbers without a unit', () => {
    expect(
      canonical('Of 3 trials in 2021, stage 2 and grade 3 tumours, 2 tablets twice, every day, 1 in 10 people.'),
    ).toEqual([]);
  });

  it('ignores numbers inside words, longer numbers and decimals', () => {
    expect(canonical('COVID-19 g, v2.5 mg, 1,5 mg and H2O')).toEqual([]);
  });

  it('ends a quantity at a word between it and its frequency', () => {
    expect(canonical('5 mg twice a day')).toEqual(['5 mg']);
  });

  it('reads no citation marker, markup or link address as a quantity', () => {
    const markdown = [
      '## 5 mg doses',
      '',
      'Give **75 mg/m²** [1] or _.5 mg_ [2-3], see [the trial](https://example.org/50-mg) or https://example.org/20mg for more.',
      '',
      '- 10 mg [4, 5]',
      '',
      '![a 30 mg tablet](tablet.png)',
    ].join('\n');
    expect(quantitiesInMarkdown(markdown).map((q) => [q.canonical, q.sentence])).toEqual([
      ['5 mg', '5 mg doses'],
      ['75 mg/m2', 'Give 75 mg/m² or .5 mg, see the trial or for more.'],
      ['0.5 mg', 'Give 75 mg/m² or .5 mg, see the trial or for more.'],
      ['10 mg', '10 mg'],
    ]);
  });

  it('keeps blocks apart: a heading is its own sentence', () => {
    expect(quantitiesInMarkdown('## Dosing\n\nGive 5 mg.').map((q) => q.sentence)).toEqual(['Give 5 mg.']);
  });

  it('reads plain text (a title) as it is', () => {
    expect(quantitiesInText('Is 75 mg/m² [1] too much?')).toEqual([
      { text: '75 mg/m2', canonical: '75 mg/m2', sentence: 'Is 75 mg/m² [1] too much?' },
    ]);
  });
});
