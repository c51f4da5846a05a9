/**
 * The API's unified diffs (`GET /articles/:id/diff`, made with jsdiff's `createPatch`) read back
 * with jsdiff (`parsePatch`), as lines a screen can show; each run of removed lines is paired with
 * the added lines that replace it and compared word by word (`diffWordsWithSpace`), so that a
 * changed sentence shows its changed words rather than two whole paragraphs.
 */
import { diffWordsWithSpace, parsePatch } from 'diff';

export type DiffLine =
  | { kind: 'context'; text: string; oldNumber: number; newNumber: number }
  | { kind: 'removed'; text: string; oldNumber: number }
  | { kind: 'added'; text: string; newNumber: number };

export interface Hunk {
  oldStart: number;
  newStart: number;
  lines: DiffLine[];
}

/** The hunks of a unified diff, with line numbers; throws on a malformed patch (jsdiff's own error). */
export function parseUnifiedDiff(patch: string): Hunk[] {
  return parsePatch(patch).flatMap((file) =>
    file.hunks.map((hunk) => {
      let oldNumber = hunk.oldStart;
      let newNumber = hunk.newStart;
      const lines: DiffLine[] = [];
      for (const line of hunk.lines) {
        const text = line.slice(1);
        // "\ No newline at end of file" describes the line before it: nothing to show.
        if (line.startsWith(' ')) lines.push({ kind: 'context', text, oldNumber: oldNumber++, newNumber: newNumber++ });
        else if (line.startsWith('-')) lines.push({ kind: 'removed', text, oldNumber: oldNumber++ });
        else if (line.startsWith('+')) lines.push({ kind: 'added', text, newNumber: newNumber++ });
      }
      return { oldStart: hunk.oldStart, newStart: hunk.newStart, lines };
    }),
  );
}

export type Segment = { kind: 'same' | 'added' | 'removed'; text: string };

/** Beyond this many edits a line pair is shown as one deletion and one insertion (jsdiff gives up). */
const MAX_WORD_EDITS = 500;

const countWords = (text: string) => (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;

const wholeLines = (before: string, after: string): Segment[] => [
  ...(before ? [{ kind: 'removed' as const, text: before }] : []),
  ...(after ? [{ kind: 'added' as const, text: after }] : []),
];

/** A word-level diff of two lines (jsdiff's `diffWordsWithSpace`), grouped for reading. */
export function diffWords(before: string, after: string): Segment[] {
  const changes = diffWordsWithSpace(before, after, { maxEditLength: MAX_WORD_EDITS });
  if (!changes) return wholeLines(before, after);
  const segments = changes.map((c): Segment => ({
    kind: c.added ? 'added' : c.removed ? 'removed' : 'same',
    text: c.value,
  }));
  // Mostly different lines read better as one deletion and one insertion than as confetti.
  const common = segments.filter((s) => s.kind === 'same').reduce((n, s) => n + countWords(s.text), 0);
  if (common * 2 < Math.max(countWords(before), countWords(after))) return wholeLines(before, after);
  return coalesce(segments);
}

/** How many characters of white space `a` and `b` both start with (`fromEnd`: end with). */
function sharedSpace(a: string, b: string, fromEnd = false): number {
  const at = (text: string, k: number) => (fromEnd ? text.charAt(text.length - 1 - k) : text.charAt(k));
  let k = 0;
  while (k < a.length && k < b.length && at(a, k) === at(b, k) && /\s/.test(at(a, k))) k++;
  return k;
}

/**
 * Between two unchanged stretches, one deletion then one insertion: spaces left unchanged inside a
 * change join it, and white space that both sides of a change start or end with moves out of it.
 */
function coalesce(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  const push = (kind: Segment['kind'], text: string) => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text;
    else out.push({ kind, text });
  };
  let i = 0;
  while (i < segments.length) {
    if (segments[i].kind === 'same') {
      push('same', segments[i++].text);
      continue;
    }
    // A change runs to the next unchanged text that is more than white space (or to the end).
    let end = i;
    while (end < segments.length && !(segments[end].kind === 'same' && segments[end].text.trim() !== '')) end++;
    // Unchanged spaces at the end of the run are not part of the change.
    while (end > i && segments[end - 1].kind === 'same') end--;
    const run = segments.slice(i, end);
    let removed = run
      .filter((s) => s.kind !== 'added')
      .map((s) => s.text)
      .join('');
    let added = run
      .filter((s) => s.kind !== 'removed')
      .map((s) => s.text)
      .join('');
    const prefix = removed.slice(0, sharedSpace(removed, added));
    removed = removed.slice(prefix.length);
    added = added.slice(prefix.length);
    const suffix = removed.slice(removed.length - sharedSpace(removed, added, true));
    removed = removed.slice(0, removed.length - suffix.length);
    added = added.slice(0, added.length - suffix.length);
    push('same', prefix);
    push('removed', removed);
    push('added', added);
    push('same', suffix);
    i = end;
  }
  return out;
}

export type Row =
  | { kind: 'context'; text: string; newNumber: number }
  | { kind: 'removed'; text: string; oldNumber: number }
  | { kind: 'added'; text: string; newNumber: number }
  | { kind: 'changed'; oldNumber: number; newNumber: number; segments: Segment[] };

/** A hunk's lines as rows: a removed line followed by an added one becomes one changed row. */
export function hunkRows(hunk: Hunk): Row[] {
  const rows: Row[] = [];
  const lines = hunk.lines;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.kind === 'context') {
      rows.push({ kind: 'context', text: line.text, newNumber: line.newNumber });
      i++;
      continue;
    }
    const removed: Extract<DiffLine, { kind: 'removed' }>[] = [];
    const added: Extract<DiffLine, { kind: 'added' }>[] = [];
    while (i < lines.length && lines[i].kind === 'removed') removed.push(lines[i++] as (typeof removed)[number]);
    while (i < lines.length && lines[i].kind === 'added') added.push(lines[i++] as (typeof added)[number]);
    const pairs = Math.min(removed.length, added.length);
    for (let k = 0; k < pairs; k++) {
      rows.push({
        kind: 'changed',
        oldNumber: removed[k].oldNumber,
        newNumber: added[k].newNumber,
        segments: diffWords(removed[k].text, added[k].text),
      });
    }
    removed.slice(pairs).forEach((r) => rows.push({ kind: 'removed', text: r.text, oldNumber: r.oldNumber }));
    added.slice(pairs).forEach((a) => rows.push({ kind: 'added', text: a.text, newNumber: a.newNumber }));
  }
  return rows;
}
