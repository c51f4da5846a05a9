import type { Reference } from './reference';
import {
  formatMarker,
  keepReferenceKeys,
  keepsNumbers,
  referenceMoves,
  renumberCitations,
  silentRepoints,
  type CitingText,
} from './renumber';

const ref = (title: string, extra: Partial<Reference> = {}): Reference => ({
  type: 'research',
  title,
  source: null,
  year: 2020,
  url: null,
  doi: null,
  pmid: null,
  ...extra,
});

const text = (body: string, extra: Partial<CitingText> = {}): CitingText => ({
  summary: null,
  body,
  variants: [],
  ...extra,
});

function counter() {
  let n = 0;
  return () => `k${++n}`;
}

describe('keepReferenceKeys', () => {
  it('keeps the keys a client sends and follows them to their base positions', () => {
    const base = [ref('A', { key: 'a' }), ref('B', { key: 'b' }), ref('C', { key: 'c' })];
    const { references, origin } = keepReferenceKeys(base, [base[2], base[0], base[1]], counter());
    expect(references.map((r) => r.key)).toEqual(['c', 'a', 'b']);
    expect(origin).toEqual([2, 0, 1]);
  });

  it('finds the base reference of one sent without a key by DOI, PMID, URL or title and year', () => {
    const base = [
      ref('By DOI', { key: 'doi', doi: '10.1000/ABC' }),
      ref('By PMID', { key: 'pmid', pmid: '123' }),
      ref('By URL', { key: 'url', url: 'https://example.org/x' }),
      ref('By Title', { key: 'title' }),
    ];
    const next = [
      ref('Renamed', { year: 1999, url: 'https://example.org/x' }),
      ref('Other title', { doi: '10.1000/abc' }),
      ref('  by   title ', {}),
      ref('Also renamed', { pmid: '123' }),
      ref('Brand new', { doi: '10.1000/new' }),
    ];
    const { references, origin } = keepReferenceKeys(base, next, counter());
    expect(references.map((r) => r.key)).toEqual(['url', 'doi', 'title', 'pmid', 'k1']);
    expect(origin).toEqual([2, 0, 3, 1, null]);
  });

  it('claims a base reference once, so two copies of one paper get two keys', () => {
    const base = [ref('A', { key: 'a', doi: '10.1000/a' })];
    const { references, origin } = keepReferenceKeys(
      base,
      [ref('A', { doi: '10.1000/a' }), ref('A', { doi: '10.1000/a' })],
      counter(),
    );
    expect(references.map((r) => r.key)).toEqual(['a', 'k1']);
    expect(origin).toEqual([0, null]);
  });

  it('gives references of a base saved before keys new keys but still knows where they came from', () => {
    const base = [ref('A', { doi: '10.1000/a' }), ref('B', { doi: '10.1000/b' })];
    const { references, origin } = keepReferenceKeys(
      base,
      [ref('B', { doi: '10.1000/b' }), ref('A', { doi: '10.1000/a' })],
      counter(),
    );
    expect(references.map((r) => r.key)).toEqual(['k1', 'k2']);
    expect(origin).toEqual([1, 0]);
  });

  it('from a client that sends no keys, takes an unmatched reference for the one at its position, edited in place', () => {
    const base = [ref('A', { key: 'a', url: 'https://example.org/broken' }), ref('B', { key: 'b' })];
    const fixed = [ref('A, found again', { year: 2021, url: 'https://example.org/fixed' }), ref('B')];
    const { references, origin } = keepReferenceKeys(base, fixed, counter());
    expect(references.map((r) => r.key)).toEqual(['a', 'b']);
    expect(origin).toEqual([0, 1]);
    // One that sends keys says what is new: the same edit with a key on B makes A a new reference.
    const keyed = keepReferenceKeys(base, [fixed[0], { ...fixed[1], key: 'b' }], counter());
    expect(keyed.origin).toEqual([null, 1]);
  });

  it('takes an unknown client key as a new reference', () => {
    const { origin } = keepReferenceKeys([ref('A', { key: 'a' })], [ref('A', { key: 'mine' })], counter());
    expect(origin).toEqual([null]);
  });
});

describe('referenceMoves', () => {
  it('maps base numbers to new numbers, null for removed ones', () => {
    expect(referenceMoves(3, [2, null, 0])).toEqual([3, null, 1]);
    expect(keepsNumbers(referenceMoves(2, [0, 1, null]))).toBe(true);
    expect(keepsNumbers(referenceMoves(2, [1, 0]))).toBe(false);
  });
});

describe('formatMarker', () => {
  it.each([
    [[3], '[1]', '[3]'],
    [[2, 3], '[1, 2]', '[2, 3]'],
    [[2, 3, 4, 7], '[1-3, 6]', '[2-4, 7]'],
    [[5, 6, 7], '[1–3]', '[5–7]'],
  ])('writes %j as %s → %s', (numbers, original, expected) => {
    expect(formatMarker(numbers, original)).toBe(expected);
  });
});

describe('renumberCitations', () => {
  it('keeps every marker on its reference when references are reordered', () => {
    // Reference 3 moved to the top: 1→2, 2→3, 3→1.
    const moves = [2, 3, 1];
    const result = renumberCitations(text('A [1]. B [2, 3]. C [1-3]. D [3].', { summary: 'S [3]' }), moves);
    expect(result.text.body).toBe('A [2]. B [1, 3]. C [1-3]. D [1].');
    expect(result.text.summary).toBe('S [1]');
    expect(result.problems).toEqual([]);
    expect(result.changes.map((c) => [c.field, c.from, c.to])).toEqual([
      ['summary', '[3]', '[1]'],
      ['body', '[1]', '[2]'],
      ['body', '[2, 3]', '[1, 3]'],
      ['body', '[3]', '[1]'],
    ]);
  });

  it('shifts every marker when a reference is inserted at the top', () => {
    const result = renumberCitations(text('[1] and [2], then [1, 2].'), [2, 3]);
    expect(result.text.body).toBe('[2] and [3], then [2, 3].');
  });

  it('renumbers the audience variants by the same moves', () => {
    const result = renumberCitations(
      text('[1]', { variants: [{ audience: 'patient', title: null, summary: 'P [2]', body: 'Q [1]' }] }),
      [2, 1],
    );
    expect(result.text.variants[0]).toEqual({ audience: 'patient', title: null, summary: 'P [1]', body: 'Q [2]' });
    expect(result.changes.filter((c) => c.audience === 'patient')).toHaveLength(2);
  });

  it('reports, and leaves as written, the markers of a removed reference', () => {
    const result = renumberCitations(text('See [1] and [2].'), [null, 1], (n) => `reference ${n} (“Old”)`);
    expect(result.text.body).toBe('See [1] and [1].');
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'removed_reference', marker: '[1]', offset: 4, reference: 1 }),
    ]);
    expect(result.problems[0].message).toContain('reference 1 (“Old”), which this revision removes');
  });

  it('reports a number the base revision never had', () => {
    const result = renumberCitations(text('See [3].'), [1, 2]);
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'missing_reference', reference: 3 })]);
    expect(result.text.body).toBe('See [3].');
  });

  it('leaves markers in code and link syntax alone', () => {
    const result = renumberCitations(text('`[1]` and [link][1] and [1].'), [2, 1]);
    expect(result.text.body).toBe('`[1]` and [link][1] and [2].');
  });
});

describe('silentRepoints', () => {
  const describe2 = { base: (n: number) => `base ${n}`, next: (n: number) => `next ${n}` };

  it('flags a marker left as it was after its reference moved', () => {
    const body = 'Dose A [1]. Dose B [2].';
    const problems = silentRepoints(text(body), text(body), [2, 1], 2, describe2);
    expect(problems.map((p) => [p.marker, p.reference])).toEqual([
      ['[1]', 1],
      ['[2]', 2],
    ]);
    expect(problems[0].message).toContain('cited base 1 and would now cite next 1');
  });

  it('accepts markers the editor renumbered, with prose edited elsewhere', () => {
    const problems = silentRepoints(
      text('Dose A [1]. Dose B [2].'),
      text('New first sentence. Dose A [2]. Dose B [1].'),
      [2, 1],
      2,
      describe2,
    );
    expect(problems).toEqual([]);
  });

  it('flags a marker whose reference was removed while another now has its number', () => {
    const problems = silentRepoints(text('X [1]. Y [2].'), text('X [1]. Y [1].'), [null, 1], 1, describe2);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain('because that reference was removed');
  });

  it('says nothing when no reference changed its number', () => {
    expect(silentRepoints(text('X [1].'), text('X [1].'), [1, 2], 3, describe2)).toEqual([]);
  });

  it('ignores markers of unmoved references next to moved ones', () => {
    const problems = silentRepoints(text('A [1] B [3] C [2]'), text('A [1] B [2] C [3]'), [1, 3, 2], 3, describe2);
    expect(problems).toEqual([]);
  });
});

describe('silentRepoints on groups', () => {
  it('accepts a range that still cites the same references after a swap inside it', () => {
    const d = { base: String, next: String };
    expect(silentRepoints(text('All [1-4]. Two [2, 3].'), text('All [1-4]. Two [2, 3].'), [1, 3, 2, 4], 4, d)).toEqual(
      [],
    );
    expect(silentRepoints(text('Two [2, 4].'), text('Two [2, 4].'), [1, 3, 2, 4], 4, d)).toHaveLength(1);
  });
});
