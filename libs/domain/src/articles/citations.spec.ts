import { checkCitations, CitationProblem, citationMarkerAt, MAX_CITATION_RANGE } from './citations';

const body = (text: string, referenceCount: number) => checkCitations({ body: text, referenceCount });
const kinds = (problems: CitationProblem[]) => problems.map((p) => p.kind);

describe('checkCitations', () => {
  describe('the seed case', () => {
    it('reports the one missing reference and the one uncited reference', () => {
      const text = 'Leiomyosarcoma is a rare soft-tissue sarcoma arising from smooth muscle [2, 3, 4, 5, 6].';
      const report = body(text, 5);

      expect(report.problems).toEqual([
        {
          kind: 'missing_reference',
          severity: 'error',
          field: 'body',
          marker: '[2, 3, 4, 5, 6]',
          offset: text.indexOf('['),
          reference: 6,
          message: 'Marker [2, 3, 4, 5, 6] cites reference 6, but there are only 5 references',
        },
        { kind: 'uncited_reference', severity: 'warning', reference: 1, message: 'Reference 1 is never cited' },
      ]);
      expect(report.status).toBe('failed');
      expect(report.cited).toEqual([2, 3, 4, 5, 6]);
      expect(report.markers).toEqual([
        { field: 'body', raw: '[2, 3, 4, 5, 6]', offset: text.indexOf('['), references: [2, 3, 4, 5, 6] },
      ]);
    });
  });

  describe('status', () => {
    it('passes when every reference is cited and every citation exists', () => {
      const report = body('A [1]. B [2, 3].', 3);
      expect(report.status).toBe('passed');
      expect(report.problems).toEqual([]);
    });

    it('warns when the only problems are uncited references', () => {
      const report = body('A [1].', 3);
      expect(report.status).toBe('warning');
      expect(report.problems).toEqual([
        { kind: 'uncited_reference', severity: 'warning', reference: 2, message: 'Reference 2 is never cited' },
        { kind: 'uncited_reference', severity: 'warning', reference: 3, message: 'Reference 3 is never cited' },
      ]);
    });

    it('fails on a malformed marker even with no other problem', () => {
      const report = body('A [1]. B [1,,2].', 1);
      expect(report.status).toBe('failed');
      expect(kinds(report.problems)).toEqual(['malformed_marker']);
    });

    it('passes an article with no citations and no references', () => {
      expect(body('Plain text.', 0)).toEqual({ markers: [], cited: [], problems: [], status: 'passed' });
    });

    it('fails a citation when there are no references at all', () => {
      const report = body('A [1].', 0);
      expect(report.status).toBe('failed');
      expect(report.problems.map((p) => p.message)).toEqual([
        'Marker [1] cites reference 1, but there are no references',
      ]);
    });

    it('says "only 1 reference" in the singular', () => {
      expect(body('A [1, 2].', 1).problems[0]?.message).toBe(
        'Marker [1, 2] cites reference 2, but there is only 1 reference',
      );
    });
  });

  describe('marker grammar', () => {
    it.each([
      ['[1]', [1]],
      ['[2, 3]', [2, 3]],
      ['[2,3]', [2, 3]],
      ['[2 ,3]', [2, 3]],
      ['[ 2, 3 ]', [2, 3]],
      ['[2-6]', [2, 3, 4, 5, 6]],
      ['[2–6]', [2, 3, 4, 5, 6]],
      ['[1, 3-5]', [1, 3, 4, 5]],
      ['[6, 1-2]', [1, 2, 6]],
      ['[1, 1]', [1]],
      ['[3-5, 4]', [3, 4, 5]],
      ['[10]', [10]],
      ['[1-100]', Array.from({ length: 100 }, (_, i) => i + 1)],
    ])('reads %s as %j', (marker, references) => {
      const report = body(`Text ${marker}.`, 100);
      expect(report.markers).toEqual([{ field: 'body', raw: marker, offset: 5, references }]);
      expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    });

    it.each([
      ['[1,,2]', 'it has an empty item between commas'],
      ['[1,]', 'it has an empty item between commas'],
      ['[,1]', 'it has an empty item between commas'],
      ['[3-]', 'a range needs a number at both ends'],
      ['[-2]', 'a range needs a number at both ends'],
      ['[1--3]', 'a range must have exactly two ends'],
      ['[5-2]', 'a range must go upwards'],
      ['[2-2]', 'a range must go upwards (write 2 instead of 2-2)'],
      ['[0]', 'references are numbered from 1'],
      ['[0-3]', 'references are numbered from 1'],
      ['[01]', '01 has a leading zero'],
      ['[1-03]', '03 has a leading zero'],
      ['[1-3-5]', 'a range must have exactly two ends'],
      ['[1 2]', 'numbers must be separated by commas'],
      ['[1, 2 3]', 'numbers must be separated by commas'],
      [`[1-${MAX_CITATION_RANGE + 1}]`, `a range may span at most ${MAX_CITATION_RANGE} references`],
      ['[99999999999999999999]', '99999999999999999999 is too large'],
    ])('reports %s as malformed: %s', (marker, reason) => {
      const text = `Some claim ${marker} here.`;
      const report = body(text, 200);

      const errors = report.problems.filter((p) => p.severity === 'error');
      expect(errors).toEqual([
        {
          kind: 'malformed_marker',
          severity: 'error',
          field: 'body',
          marker,
          offset: 11,
          message: `Marker ${marker} is malformed: ${reason}`,
        },
      ]);
      expect(report.status).toBe('failed');
      // A malformed marker cites nothing: what it meant is a guess.
      expect(report.markers).toEqual([]);
      expect(report.cited).toEqual([]);
    });

    it('accepts a range of exactly the maximum length', () => {
      const report = body('[5-104]', 104);
      expect(report.markers[0]?.references).toHaveLength(MAX_CITATION_RANGE);
      expect(report.status).toBe('warning');
    });
  });

  describe('what is not a citation', () => {
    it.each([
      ['an inline link', 'See [1](http://x) for more.'],
      ['an image', 'Figure ![2](fig.png).'],
      ['a reference link with a numeric label', 'See [the trial][1].'],
      ['a reference link with a numeric text', 'See [1][trial].'],
      ['a link definition', 'Text.\n\n[1]: http://example.org'],
      ['an indented link definition', 'Text.\n   [1]: http://example.org'],
      ['a link definition on the first line', '[1]: http://example.org "Title"'],
      ['words', 'See [see 1] and [a] and [] and [ ] and [1a].'],
      ['brackets with only punctuation', 'Odd [,] and [-] and [–].'],
      ['inline code', 'Use `arr[1]` to index.'],
      ['inline code with double backticks', 'Write ``a `b` [3]`` literally.'],
      ['a fenced block', 'Before.\n\n```ts\nconst x = a[1];\nconst y = b[2, 3];\n```\n\nAfter.'],
      ['a tilde fence', '~~~\n[4]\n~~~'],
      ['an unclosed fence', 'Text.\n```\n[5]\nstill code [6]'],
    ])('ignores %s', (_, text) => {
      const report = body(text, 0);
      expect(report.markers).toEqual([]);
      expect(report.problems).toEqual([]);
    });

    it('treats [1]: mid-line as a citation, not a link definition', () => {
      const report = body('As shown [1]: the effect is large.', 1);
      expect(report.markers.map((m) => m.raw)).toEqual(['[1]']);
      expect(report.status).toBe('passed');
    });

    it('treats a four-space indented [1]: as a citation', () => {
      expect(body('Text\n    [1]: more', 1).cited).toEqual([1]);
    });

    it('still reads citations next to links and code', () => {
      const text = 'See [the trial](http://x) [1]; `code[9]` then [2].';
      const report = body(text, 2);
      expect(report.markers.map((m) => [m.raw, m.offset])).toEqual([
        ['[1]', text.indexOf('[1]')],
        ['[2]', text.indexOf('[2]')],
      ]);
      expect(report.status).toBe('passed');
    });

    it('reads a citation after a closed fence', () => {
      const text = '```\n[9]\n```\nReal [1].';
      const report = body(text, 1);
      expect(report.markers).toEqual([{ field: 'body', raw: '[1]', offset: text.indexOf('[1]'), references: [1] }]);
    });

    it('does not close a fence with a shorter fence', () => {
      expect(body('````\n[9]\n```\n[8]\n````\n[1]', 1).cited).toEqual([1]);
    });

    it('reads a citation after an unmatched backtick', () => {
      const text = 'A stray ` backtick [1].';
      expect(body(text, 1).markers.map((m) => m.offset)).toEqual([text.indexOf('[1]')]);
    });

    it('treats a backtick "fence" with backticks in its info string as inline code', () => {
      // ```a`[1]``` is an inline span on one line, so the next lines are ordinary text.
      const text = '```a`[1]```\n[2]';
      expect(body(text, 2).cited).toEqual([2]);
    });

    it('keeps offsets right after masked code and multi-byte text', () => {
      const text = 'Ménière’s `x[1]` and ``multi\nline [3]`` 🧪 [2]';
      const report = body(text, 2);
      expect(report.markers).toEqual([{ field: 'body', raw: '[2]', offset: text.indexOf('[2]'), references: [2] }]);
    });
  });

  describe('summary and body', () => {
    it('counts summary citations as cited', () => {
      const report = checkCitations({ summary: 'In short [1].', body: 'Details [2].', referenceCount: 2 });
      expect(report.status).toBe('passed');
      expect(report.cited).toEqual([1, 2]);
      expect(report.markers).toEqual([
        { field: 'summary', raw: '[1]', offset: 9, references: [1] },
        { field: 'body', raw: '[2]', offset: 8, references: [2] },
      ]);
    });

    it('accepts a null or missing summary', () => {
      expect(checkCitations({ summary: null, body: '[1]', referenceCount: 1 }).status).toBe('passed');
      expect(checkCitations({ body: '[1]', referenceCount: 1 }).status).toBe('passed');
    });

    it('orders errors in text order, summary first, then warnings by reference', () => {
      const report = checkCitations({
        summary: 'S [9] and [2-1].',
        body: 'B [1,,] then [7, 8] and [3].',
        referenceCount: 6,
      });
      expect(
        report.problems.map((p) =>
          p.kind === 'uncited_reference' ? [p.kind, p.reference] : [p.kind, p.field, p.offset],
        ),
      ).toEqual([
        ['missing_reference', 'summary', 2],
        ['malformed_marker', 'summary', 10],
        ['malformed_marker', 'body', 2],
        ['missing_reference', 'body', 13],
        ['missing_reference', 'body', 13],
        ['uncited_reference', 1],
        ['uncited_reference', 2],
        ['uncited_reference', 4],
        ['uncited_reference', 5],
        ['uncited_reference', 6],
      ]);
      expect(report.problems.filter((p) => p.kind === 'missing_reference').map((p) => p.reference)).toEqual([9, 7, 8]);
      // [1,,] and [2-1] are malformed, so they cite nothing.
      expect(report.cited).toEqual([3, 7, 8, 9]);
    });

    it('reports one missing reference per marker and number, however often it repeats', () => {
      const report = body('A [4, 4]. B [3-4]. C [4].', 3);
      const missing = report.problems.filter((p) => p.kind === 'missing_reference');
      expect(missing.map((p) => [p.marker, p.reference])).toEqual([
        ['[4, 4]', 4],
        ['[3-4]', 4],
        ['[4]', 4],
      ]);
      expect(report.cited).toEqual([3, 4]);
    });

    it('gives offsets within each field', () => {
      const summary = 'Short [1].';
      const text = 'Longer text before the marker [1].';
      const report = checkCitations({ summary, body: text, referenceCount: 1 });
      expect(report.markers.map((m) => [m.field, m.offset])).toEqual([
        ['summary', summary.indexOf('[')],
        ['body', text.indexOf('[')],
      ]);
      expect(text.slice(report.markers[1]?.offset)).toMatch(/^\[1\]/);
    });
  });

  it.each([-1, 1.5, Number.NaN])('refuses a referenceCount of %p', (referenceCount) => {
    expect(() => checkCitations({ body: '', referenceCount })).toThrow(RangeError);
  });

  it('accepts spaces around a range dash', () => {
    expect(body('See [2 - 4] and [5 – 6].', 6).markers.map((m) => m.references)).toEqual([
      [2, 3, 4],
      [5, 6],
    ]);
  });

  it('reads a large article whole', () => {
    const paragraph = 'Claim [1-3], another [2, 4] and `code [9]` and ``more code``.\n';
    const report = body(paragraph.repeat(20_000), 4);
    expect(report.markers).toHaveLength(40_000);
    expect(report.status).toBe('passed');
  });
});

describe("citationMarkerAt (the renderer's citation rule)", () => {
  it('reads the marker at a place, with its items as written', () => {
    const text = 'See [2-6] and [1, 3 – 5].';
    expect(citationMarkerAt(text, text.indexOf('[2'))).toEqual({
      raw: '[2-6]',
      items: [{ from: 2, to: 6 }],
      references: [2, 3, 4, 5, 6],
    });
    expect(citationMarkerAt(text, text.indexOf('[1'))).toEqual({
      raw: '[1, 3 – 5]',
      items: [
        { from: 1, to: 1 },
        { from: 3, to: 5 },
      ],
      references: [1, 3, 4, 5],
    });
    expect(citationMarkerAt(text, 0)).toBeNull();
  });

  it.each([
    ['a Markdown link', '[1](https://example.org)', 0],
    ['a reference link label', '[1][label]', 0],
    ['the label part of a reference link', '[text][1]', 6],
    ['a link definition', '[1]: https://example.org', 0],
    ['a malformed marker', '[1,,2]', 0],
    ['a leading zero', '[01]', 0],
    ['no number', '[ , ]', 0],
  ])('is null for %s', (_, text, index) => {
    expect(citationMarkerAt(text, index)).toBeNull();
  });

  it('finds exactly the markers that checkCitations finds, outside code', () => {
    const text =
      'A [1], B [2, 3]. [1]: mid-sentence. [4](x) [x][5] [6] [0] [7-7]\n[2]: https://example.org\nEnd [2-4].';
    const checked = checkCitations({ body: text, referenceCount: 10 }).markers.map((m) => [m.offset, m.references]);
    const read = [...text.matchAll(/\[/g)].flatMap((m) => {
      const marker = citationMarkerAt(text, m.index);
      return marker ? [[m.index, marker.references]] : [];
    });
    expect(read).toEqual(checked);
  });
});

describe('checkCitations over audience variants', () => {
  it('checks every variant against the one reference list, naming the audience', () => {
    const report = checkCitations({
      body: 'Surgery first [1].',
      referenceCount: 2,
      variants: [
        { audience: 'patient', summary: null, body: 'An operation is the main treatment [1, 3].' },
        { audience: 'caregiver', summary: 'See [2].', body: 'Help with recovery matters [1].' },
      ],
    });
    expect(report.status).toBe('failed');
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'missing_reference', audience: 'patient', field: 'body', reference: 3 }),
    ]);
    expect(report.problems[0]).toHaveProperty('message', expect.stringContaining('patient version'));
    // Reference 2 is cited only in the caregiver summary, and that counts.
    expect(report.cited).toEqual([1, 2, 3]);
  });

  it('leaves professional problems without an audience', () => {
    const report = checkCitations({ body: 'x [4]', referenceCount: 1, variants: [] });
    expect(report.problems[0]).not.toHaveProperty('audience');
  });
});
