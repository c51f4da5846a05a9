import { markdownBlocks, markdownToPlainText, sentencesOf } from './plain-text';

describe('markdownBlocks', () => {
  it('gives one text per block, without markup or citation markers', () => {
    const markdown = [
      '## From the *Guidelines*',
      '',
      'Surgery is **standard** [1]. Radiotherapy may be\nadded [1, 2].',
      '',
      '1. First `step`',
      '2. Second [2-3]',
      '',
      '| Drug | Dose |',
      '|---|---|',
      '| Doxorubicin | 75 mg/m² |',
    ].join('\n');
    expect(markdownBlocks(markdown)).toEqual([
      'From the Guidelines',
      'Surgery is standard. Radiotherapy may be added.',
      'First step',
      'Second',
      'Drug',
      'Dose',
      'Doxorubicin',
      '75 mg/m²',
    ]);
  });

  it('keeps the text of HTML, joining superscripts and subscripts to their word', () => {
    expect(markdownBlocks('Give 75 mg/m<sup>2</sup> of it.<br>Then stop.')).toEqual([
      'Give 75 mg/m2 of it. Then stop.',
    ]);
    expect(markdownBlocks('<table><tr><td>75&nbsp;mg/m<sup>2</sup></td><td>IV</td></tr></table>')).toEqual([
      '75\u00a0mg/m2 IV',
    ]);
  });

  it('keeps link text, drops link addresses and images', () => {
    expect(
      markdownBlocks('See [the trial](https://example.org/5mg), <https://example.org/6mg> ![7 mg](x.png) now.'),
    ).toEqual(['See the trial, now.']);
  });

  it('does not take a link-like bracket for a citation', () => {
    expect(markdownBlocks('Stage [II] and [1](https://example.org) and [text][1]\n\n[1]: https://example.org')).toEqual(
      ['Stage [II] and 1 and text'],
    );
  });
});

describe('markdownToPlainText and sentencesOf', () => {
  it('separates blocks by a blank line and splits sentences as ICU does', () => {
    expect(markdownToPlainText('# Dosing\n\nGive 0.5 mg, e.g. at night. Then stop!')).toBe(
      'Dosing\n\nGive 0.5 mg, e.g. at night. Then stop!',
    );
    expect(sentencesOf('Give 0.5 mg, e.g. at night. Then stop! Why?')).toEqual([
      'Give 0.5 mg, e.g. at night.',
      'Then stop!',
      'Why?',
    ]);
  });
});
