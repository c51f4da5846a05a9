/**
 * Reads the API's unified diffs (`GET /articles/:id/diff`) into lines a screen can show, and pairs
 * each run of removed lines with the added lines that replace it, so that a changed sentence shows
 * its changed words rather than two whole paragraphs.
 */

export type DiffLine =
  | { kind: 'context'; text: string; oldNumber: number; newNumber: number }
  | { kind: 'removed'; text: string; oldNumber: number }
  | { kind: 'added'; text: string; newNumber: number };

export interface Hunk {
  oldStart: number;
  newStart: number;
  lines: DiffLine[];
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function parseUnifiedDiff(patch: string): Hunk[] {
  const hunks: Hunk[] = [];
  let current: Hunk | null = null;
  let oldLine = 0;
  let newLine = 0;
  for (const line of patch.split('\n')) {
    const header = HUNK.exec(line);
    if (header) {
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      current = { oldStart: oldLine, newStart: newLine, lines: [] };
      hunks.push(current);
      continue;
    }
    if (!current) continue; // Index:, ===, --- and +++ lines before the first hunk
    if (line.startsWith('\\')) continue; // "\ No newline at end of file"
    const sign = line.charAt(0);
    const text = line.slice(1);
    if (sign === ' ') current.lines.push({ kind: 'context', text, oldNumber: oldLine++, newNumber: newLine++ });
    else if (sign === '-') current.lines.push({ kind: 'removed', text, oldNumber: oldLine++ });
    else if (sign === '+') current.lines.push({ kind: 'added', text, newNumber: newLine++ });
  }
  return hunks;
}

export type Segment = { kind: 'same' | 'added' | 'removed'; text: string };

/** Words and the spaces between them, so that joining the tokens gives the text back. */
const tokens = (text: string): string[] => text.match(/\s+|[^\s]+/g) ?? [];

/** A word-level diff of two lines (longest common subsequence; whole lines when they are very long). */
export function diffWords(before: string, after: string): Segment[] {
  const a = tokens(before);
  const b = tokens(after);
  if (a.length * b.length > 250_000) {
    return [
      ...(before ? [{ kind: 'removed' as const, text: before }] : []),
      ...(after ? [{ kind: 'added' as const, text: after }] : []),
    ];
  }
  // lcs[i][j]: length of the LCS of a[i..] and b[j..]
  const lcs: Uint32Array[] = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const segments: Segment[] = [];
  const push = (kind: Segment['kind'], text: string) => {
    const last = segments[segments.length - 1];
    if (last && last.kind === kind) last.text += text;
    else segments.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      push('same', a[i]);
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) push('removed', a[i++]);
    else push('added', b[j++]);
  }
  while (i < a.length) push('removed', a[i++]);
  while (j < b.length) push('added', b[j++]);

  // Mostly different lines read better as one deletion and one insertion than as confetti.
  const words = (list: string[]) => list.filter((t) => t.trim()).length;
  const common = segments.filter((s) => s.kind === 'same').reduce((n, s) => n + words(tokens(s.text)), 0);
  if (common * 2 < Math.max(words(a), words(b))) {
    return [
      ...(before ? [{ kind: 'removed' as const, text: before }] : []),
      ...(after ? [{ kind: 'added' as const, text: after }] : []),
    ];
  }
  return coalesce(segments);
}

/** Between two unchanged stretches, one deletion then one insertion (spaces inside a change go to both). */
function coalesce(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  let removed = '';
  let added = '';
  let pendingSpace = '';
  const flush = () => {
    if (removed) out.push({ kind: 'removed', text: removed });
    if (added) out.push({ kind: 'added', text: added });
    removed = '';
    added = '';
  };
  for (const segment of segments) {
    if (segment.kind === 'same') {
      if (segment.text.trim() === '' && (removed || added)) {
        pendingSpace += segment.text;
        continue;
      }
      flush();
      if (pendingSpace) out.push({ kind: 'same', text: pendingSpace });
      pendingSpace = '';
      out.push({ ...segment });
      continue;
    }
    if (pendingSpace) {
      removed += pendingSpace;
      added += pendingSpace;
      pendingSpace = '';
    }
    if (segment.kind === 'removed') removed += segment.text;
    else added += segment.text;
  }
  flush();
  if (pendingSpace) out.push({ kind: 'same', text: pendingSpace });
  // Adjacent unchanged text merges back into one segment.
  return out.reduce<Segment[]>((list, s) => {
    const last = list[list.length - 1];
    if (last && last.kind === 'same' && s.kind === 'same') last.text += s.text;
    else list.push(s);
    return list;
  }, []);
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
      rows.push({ kind: 'changed', oldNumber: removed[k].oldNumber, newNumber: added[k].newNumber, segments: diffWords(removed[k].text, added[k].text) });
    }
    removed.slice(pairs).forEach((r) => rows.push({ kind: 'removed', text: r.text, oldNumber: r.oldNumber }));
    added.slice(pairs).forEach((a) => rows.push({ kind: 'added', text: a.text, newNumber: a.newNumber }));
  }
  return rows;
}
