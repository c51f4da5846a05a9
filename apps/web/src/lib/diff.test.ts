import { createPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { diffWords, hunkRows, parseUnifiedDiff } from './diff';

describe('diffWords', () => {
  it('keeps common words and marks the changed ones', () => {
    expect(diffWords('Surgery is the main treatment.', 'Surgery is the first treatment.')).toEqual([
      { kind: 'same', text: 'Surgery is the ' },
      { kind: 'removed', text: 'main' },
      { kind: 'added', text: 'first' },
      { kind: 'same', text: ' treatment.' },
    ]);
  });

  it('groups a changed stretch into one deletion and one insertion', () => {
    expect(diffWords('one two three four five six', 'one TWO THREE four five six')).toEqual([
      { kind: 'same', text: 'one ' },
      { kind: 'removed', text: 'two three' },
      { kind: 'added', text: 'TWO THREE' },
      { kind: 'same', text: ' four five six' },
    ]);
  });

  it('replaces a mostly different line whole', () => {
    expect(diffWords('Old paragraph to remove.', 'A brand new paragraph.')).toEqual([
      { kind: 'removed', text: 'Old paragraph to remove.' },
      { kind: 'added', text: 'A brand new paragraph.' },
    ]);
  });

  it('marks an insertion alone, without a deleted space beside it', () => {
    expect(
      diffWords(
        'Chemotherapy can slow advanced disease in some patients [2].',
        'Chemotherapy can slow advanced disease in some patients; adding ifosfamide did not help [2].',
      ),
    ).toEqual([
      { kind: 'same', text: 'Chemotherapy can slow advanced disease in some patients' },
      { kind: 'added', text: '; adding ifosfamide did not help' },
      { kind: 'same', text: ' [2].' },
    ]);
  });

  it('joins back to the two texts', () => {
    const before = 'Radiotherapy may help [2, 3] after surgery.';
    const after = 'Radiotherapy often helps [2-4] after surgery, says ESMO.';
    const segments = diffWords(before, after);
    expect(
      segments
        .filter((s) => s.kind !== 'added')
        .map((s) => s.text)
        .join(''),
    ).toBe(before);
    expect(
      segments
        .filter((s) => s.kind !== 'removed')
        .map((s) => s.text)
        .join(''),
    ).toBe(after);
  });
});

describe('parseUnifiedDiff', () => {
  it('numbers lines from the hunk headers and pairs replaced lines', () => {
    const hunks = parseUnifiedDiff('--- a\n+++ b\n@@ -3,2 +3,3 @@\n same\n-old\n+new\n+extra\n');
    expect(hunks).toHaveLength(1);
    expect(hunks[0].lines).toEqual([
      { kind: 'context', text: 'same', oldNumber: 3, newNumber: 3 },
      { kind: 'removed', text: 'old', oldNumber: 4 },
      { kind: 'added', text: 'new', newNumber: 4 },
      { kind: 'added', text: 'extra', newNumber: 5 },
    ]);
    expect(hunkRows(hunks[0]).map((r) => r.kind)).toEqual(['context', 'changed', 'added']);
  });
});

describe('parseUnifiedDiff with what the API sends', () => {
  it('reads createPatch output, with its headers and "No newline" markers, and numbers the lines', () => {
    const patch = createPatch('body', 'a\nb\nc', 'a\nB\nc\nd', 'revision 1', 'revision 2');
    const hunks = parseUnifiedDiff(patch);
    expect(hunks.map((h) => [h.oldStart, h.newStart])).toEqual([[1, 1]]);
    expect(hunks[0].lines).toEqual([
      { kind: 'context', text: 'a', oldNumber: 1, newNumber: 1 },
      { kind: 'removed', text: 'b', oldNumber: 2 },
      { kind: 'removed', text: 'c', oldNumber: 3 },
      { kind: 'added', text: 'B', newNumber: 2 },
      { kind: 'added', text: 'c', newNumber: 3 },
      { kind: 'added', text: 'd', newNumber: 4 },
    ]);
  });

  it('has no hunks for an empty patch (no change)', () => {
    expect(parseUnifiedDiff('')).toEqual([]);
  });
});
