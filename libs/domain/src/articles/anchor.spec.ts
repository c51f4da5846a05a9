import { findAnchor, placeAnchor } from './anchor';

describe('findAnchor', () => {
  const text = 'The tumour was small. The tumour was large. The tumour was small again.';

  it('finds a plain quote', () => {
    expect(findAnchor('Ménière’s disease and vertigo', { quote: 'disease' })).toEqual({ start: 10, end: 17 });
  });

  it('finds the first occurrence when nothing disambiguates', () => {
    expect(findAnchor(text, { quote: 'tumour' })).toEqual({ start: 4, end: 10 });
  });

  it('disambiguates by prefix', () => {
    const found = findAnchor(text, { quote: 'tumour was', prefix: 'large. The ' });
    expect(found).toEqual({ start: text.lastIndexOf('tumour was'), end: text.lastIndexOf('tumour was') + 10 });
  });

  it('disambiguates by suffix', () => {
    const start = text.indexOf('tumour was large');
    expect(findAnchor(text, { quote: 'tumour was', suffix: ' large' })).toEqual({ start, end: start + 10 });
  });

  it('disambiguates by prefix and suffix together', () => {
    // Prefix alone matches the 2nd and 3rd occurrences and suffix alone the 1st and 3rd: only the 3rd has both.
    const start = text.lastIndexOf('tumour');
    expect(findAnchor(text, { quote: 'tumour was', prefix: '. The ', suffix: ' small' })).toEqual({
      start,
      end: start + 10,
    });
  });

  it('returns null when the quote is absent', () => {
    expect(findAnchor(text, { quote: 'metastasis' })).toBeNull();
  });

  it('returns null when no occurrence has the prefix', () => {
    expect(findAnchor(text, { quote: 'tumour', prefix: 'A ' })).toBeNull();
  });

  it('returns null when no occurrence has the suffix', () => {
    expect(findAnchor(text, { quote: 'tumour', suffix: ' is' })).toBeNull();
  });

  it('returns null when prefix and suffix each match but never around the same occurrence', () => {
    expect(findAnchor(text, { quote: 'tumour was', prefix: 'small. The ', suffix: ' small' })).toBeNull();
  });

  it('matches case-sensitively', () => {
    expect(findAnchor(text, { quote: 'the tumour' })).toBeNull();
    expect(findAnchor(text, { quote: 'tumour', prefix: 'the ' })).toBeNull();
    expect(findAnchor(text, { quote: 'The tumour' })).toEqual({ start: 0, end: 10 });
  });

  it('returns null for an empty quote', () => {
    expect(findAnchor(text, { quote: '' })).toBeNull();
    expect(findAnchor('', { quote: '' })).toBeNull();
  });

  it('treats empty prefix and suffix as no constraint', () => {
    expect(findAnchor(text, { quote: 'The', prefix: '', suffix: '' })).toEqual({ start: 0, end: 3 });
  });

  it('matches a quote at the very start with no prefix, but not with a prefix that cannot fit', () => {
    expect(findAnchor('abc abc', { quote: 'abc', suffix: ' abc' })).toEqual({ start: 0, end: 3 });
    expect(findAnchor('abc', { quote: 'abc', prefix: 'x' })).toBeNull();
    // The prefix fits before the second occurrence only.
    expect(findAnchor('abc abc', { quote: 'abc', prefix: ' ' })).toEqual({ start: 4, end: 7 });
  });

  it('matches a quote at the very end with no suffix, but not with a suffix that cannot fit', () => {
    expect(findAnchor('abc abc', { quote: 'abc', prefix: 'abc ' })).toEqual({ start: 4, end: 7 });
    expect(findAnchor('abc', { quote: 'abc', suffix: 'x' })).toBeNull();
    expect(findAnchor('abc abc', { quote: 'abc', suffix: ' ' })).toEqual({ start: 0, end: 3 });
  });

  it('does not let the prefix wrap around to the end of the text', () => {
    // `text.slice(-n)` style bugs would find "c" before index 0.
    expect(findAnchor('abc', { quote: 'a', prefix: 'c' })).toBeNull();
  });

  it('considers overlapping occurrences', () => {
    expect(findAnchor('aaaa', { quote: 'aa', prefix: 'a', suffix: 'a' })).toEqual({ start: 1, end: 3 });
  });

  it('requires the whole quote, prefix and suffix to be present', () => {
    expect(findAnchor('The tumour', { quote: 'tumour was' })).toBeNull();
    expect(findAnchor('small. The tumour', { quote: 'tumour', prefix: 'very small. The ' })).toBeNull();
  });
});

describe('placeAnchor', () => {
  const anchor = { quote: 'clear margins', prefix: 'with ', suffix: ' is' };

  it('anchors a quote that still occurs, with its offsets in that body', () => {
    const body = 'Complete removal with clear margins is the standard.';
    expect(placeAnchor(anchor, body, 2)).toEqual({ revision: 2, status: 'anchored', start: 22, end: 35 });
    expect(body.slice(22, 35)).toBe('clear margins');
  });

  it('follows the quote when text before it changed', () => {
    const body = 'New opening sentence. Complete removal with clear margins is the standard.';
    const placed = placeAnchor(anchor, body, 3);
    expect(placed.status).toBe('anchored');
    expect(body.slice(placed.start ?? 0, placed.end ?? 0)).toBe('clear margins');
  });

  it('is outdated once the quote, or its context, is gone', () => {
    expect(placeAnchor(anchor, 'Complete removal with wide margins is the standard.', 3)).toEqual({
      revision: 3,
      status: 'outdated',
      start: null,
      end: null,
    });
    // The words remain but not with the prefix that told them apart.
    expect(placeAnchor(anchor, 'Removal; clear margins is the aim.', 4).status).toBe('outdated');
  });
});
