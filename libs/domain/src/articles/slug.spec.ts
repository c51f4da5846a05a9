import { isSlug, MAX_SLUG_LENGTH, nextFreeSlug, slugify, SLUG_PATTERN } from './slug';

describe('slugify', () => {
  it.each([
    ['Can Leiomyosarcoma be treated?', 'can-leiomyosarcoma-be-treated'],
    ['Ménière’s disease & vertigo', 'menieres-disease-and-vertigo'],
    ["Crohn's disease", 'crohns-disease'],
    ['Crohn‘s and Crohn’s', 'crohns-and-crohns'],
    ['R&D', 'r-and-d'],
    ['  --Hello,   World!--  ', 'hello-world'],
    ['COVID-19: a review (2020–2023)', 'covid-19-a-review-2020-2023'],
    ['Sjögren syndrome', 'sjogren-syndrome'],
    ['Straße, Ærø, Łódź', 'strasse-aero-lodz'],
    ['Ｆｕｌｌｗｉｄｔｈ ﬁle', 'fullwidth-file'],
    ['β-blockers', 'blockers'],
    ['Vitamin B12 & D3', 'vitamin-b12-and-d3'],
  ])('turns %p into %p', (title, slug) => {
    expect(slugify(title)).toBe(slug);
    expect(isSlug(slug)).toBe(true);
  });

  it.each(['?!…', '', '   ', '日本語', "'’", '—'])('falls back to "article" for %p', (title) => {
    expect(slugify(title)).toBe('article');
  });

  it('turns a lone ampersand into "and"', () => {
    expect(slugify('&')).toBe('and');
  });

  it('cuts a long title at a dash boundary', () => {
    const title =
      'The long-term outcomes of surgical and non-surgical management of leiomyosarcoma of the uterus in adults';
    const slug = slugify(title);
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug).toBe('the-long-term-outcomes-of-surgical-and-non-surgical-management-of-leiomyosarcoma');
    expect(isSlug(slug)).toBe(true);
  });

  it('keeps a whole word that ends exactly at the limit', () => {
    const title = `${'a'.repeat(MAX_SLUG_LENGTH)} more`;
    expect(slugify(title)).toBe('a'.repeat(MAX_SLUG_LENGTH));
  });

  it('cuts before a word that would cross the limit', () => {
    const title = `${'a'.repeat(MAX_SLUG_LENGTH - 2)} bcd`;
    expect(slugify(title)).toBe('a'.repeat(MAX_SLUG_LENGTH - 2));
  });

  it('hard-cuts a single word longer than the limit', () => {
    expect(slugify('x'.repeat(200))).toBe('x'.repeat(MAX_SLUG_LENGTH));
  });

  it('never ends in a dash when the cut lands on one', () => {
    const title = `${'a'.repeat(MAX_SLUG_LENGTH - 1)} ${'b'.repeat(10)}`;
    const slug = slugify(title);
    expect(slug).toBe('a'.repeat(MAX_SLUG_LENGTH - 1));
    expect(slug.endsWith('-')).toBe(false);
  });

  it('always returns a valid slug', () => {
    const titles = ['—', 'a—b', 'Ω', 'x'.repeat(500), `${'word '.repeat(40)}`, "O'Brien & co. — “quotes”"];
    for (const title of titles) expect(isSlug(slugify(title))).toBe(true);
  });
});

describe('isSlug', () => {
  it.each(['a', 'abc', 'a-b', 'covid-19', '123', 'a'.repeat(MAX_SLUG_LENGTH)])('accepts %p', (value) => {
    expect(isSlug(value)).toBe(true);
  });

  it.each(['', '-a', 'a-', 'a--b', 'A', 'a_b', 'a b', 'é', 'a'.repeat(MAX_SLUG_LENGTH + 1), 'a\n'])(
    'refuses %p',
    (value) => {
      expect(isSlug(value)).toBe(false);
    },
  );

  it('has a pattern without the global flag, so test() does not carry state between calls', () => {
    expect(SLUG_PATTERN.global).toBe(false);
    expect([SLUG_PATTERN.test('abc'), SLUG_PATTERN.test('abc')]).toEqual([true, true]);
  });
});

describe('nextFreeSlug', () => {
  it('returns the base when it is free', () => {
    expect(nextFreeSlug('leiomyosarcoma', [])).toBe('leiomyosarcoma');
    expect(nextFreeSlug('leiomyosarcoma', ['leiomyosarcoma-2'])).toBe('leiomyosarcoma');
  });

  it('numbers from 2 upwards', () => {
    expect(nextFreeSlug('leiomyosarcoma', ['leiomyosarcoma'])).toBe('leiomyosarcoma-2');
    expect(nextFreeSlug('leiomyosarcoma', ['leiomyosarcoma', 'leiomyosarcoma-2', 'leiomyosarcoma-3'])).toBe(
      'leiomyosarcoma-4',
    );
  });

  it('fills the first gap', () => {
    expect(nextFreeSlug('x', ['x', 'x-3'])).toBe('x-2');
  });

  it('accepts any iterable, read once', () => {
    function* taken() {
      yield 'x';
      yield 'x-2';
    }
    expect(nextFreeSlug('x', taken())).toBe('x-3');
    expect(nextFreeSlug('x', new Set(['x']))).toBe('x-2');
  });

  it('goes past 9 to two-digit suffixes', () => {
    const taken = ['x', ...Array.from({ length: 9 }, (_, i) => `x-${i + 2}`)];
    expect(nextFreeSlug('x', taken)).toBe('x-11');
  });

  it('shortens a long base to keep the whole within the limit', () => {
    const base = 'a'.repeat(MAX_SLUG_LENGTH);
    const next = nextFreeSlug(base, [base]);
    expect(next).toBe(`${'a'.repeat(MAX_SLUG_LENGTH - 2)}-2`);
    expect(isSlug(next)).toBe(true);
  });

  it('shortens more as the suffix grows', () => {
    const base = 'a'.repeat(MAX_SLUG_LENGTH);
    const taken = [base, ...Array.from({ length: 8 }, (_, i) => `${'a'.repeat(MAX_SLUG_LENGTH - 2)}-${i + 2}`)];
    const next = nextFreeSlug(base, taken);
    expect(next).toBe(`${'a'.repeat(MAX_SLUG_LENGTH - 3)}-10`);
    expect(next).toHaveLength(MAX_SLUG_LENGTH);
  });

  it('shortens at a dash boundary and never leaves a double dash', () => {
    const base = `${'a'.repeat(MAX_SLUG_LENGTH - 2)}-b`;
    expect(base).toHaveLength(MAX_SLUG_LENGTH);
    const next = nextFreeSlug(base, [base]);
    expect(next).toBe(`${'a'.repeat(MAX_SLUG_LENGTH - 2)}-2`);
    expect(isSlug(next)).toBe(true);
  });

  it('brings a base longer than the limit within it', () => {
    const base = slugify('word '.repeat(30)).concat('-extra-words-beyond-the-limit');
    expect(base.length).toBeGreaterThan(MAX_SLUG_LENGTH);
    const slug = nextFreeSlug(base, []);
    expect(isSlug(slug)).toBe(true);
    expect(base.startsWith(slug)).toBe(true);
  });

  it('refuses a base that is not a slug', () => {
    expect(() => nextFreeSlug('Not A Slug', [])).toThrow(RangeError);
    expect(() => nextFreeSlug('', [])).toThrow(RangeError);
  });
});
