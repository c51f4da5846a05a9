import { checkCitations, type CitationField, type CitationMarker } from './citations';
import type { AudienceVariant, Reference, VariantAudience } from './reference';

/**
 * Citations follow their references (contract §19). Browser-safe: the editor renumbers with the same
 * code the server checks with, so what it shows before saving is what the server writes.
 */

/** A reference key: short, URL-safe, chosen by the server unless the client keeps its own. */
export const REFERENCE_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The texts that carry citation markers. */
export interface CitingText {
  summary: string | null;
  body: string;
  variants: readonly AudienceVariant[];
}

/**
 * `references` with a key on every one, and `origin[j]`: the index in the base revision of the
 * reference now at index j, or null for one that is new.
 */
export interface KeyedReferences {
  references: Reference[];
  origin: (number | null)[];
}

/**
 * Gives every reference of a new revision its key: the one it brings, else the key of the base
 * reference it is (same DOI, PMID, URL, or title and year — so a client that knows nothing of keys
 * still keeps them), else — from a client that sends no keys — the one at its own position, else a
 * new one. A base reference is claimed once, so two copies of one paper
 * do not share a key. Base references saved before keys existed are matched the same way.
 */
export function keepReferenceKeys(
  base: readonly Reference[],
  next: readonly Reference[],
  newKey: () => string,
): KeyedReferences {
  const byKey = new Map<string, number>();
  base.forEach((ref, i) => {
    if (ref.key !== undefined) byKey.set(ref.key, i);
  });
  const claimed = new Set<number>();
  const origin: (number | null)[] = next.map((ref) => {
    if (ref.key === undefined) return null;
    const i = byKey.get(ref.key);
    if (i === undefined || claimed.has(i)) return null;
    claimed.add(i);
    return i;
  });
  const baseIdentities = base.map(identitiesOf);
  const references = next.map((ref, j) => {
    if (ref.key !== undefined) return ref;
    const mine = identitiesOf(ref);
    const i = baseIdentities.findIndex((theirs, b) => !claimed.has(b) && shares(mine, theirs));
    if (i >= 0) {
      claimed.add(i);
      origin[j] = i;
      return { ...ref, key: base[i].key ?? newKey() };
    }
    return { ...ref, key: newKey() };
  });
  // A client that sends no keys at all cannot say that it edited a reference in place (a corrected
  // link, a replaced paper): an unmatched reference takes the unclaimed base reference at its own
  // position, as such clients always meant. A client that sends keys says what is new.
  if (next.every((ref) => ref.key === undefined)) {
    references.forEach((ref, j) => {
      if (origin[j] !== null || j >= base.length || claimed.has(j)) return;
      claimed.add(j);
      origin[j] = j;
      references[j] = { ...ref, key: base[j].key ?? ref.key };
    });
  }
  return { references, origin };
}

function identitiesOf(ref: Reference): string[] {
  const ids: string[] = [];
  if (ref.doi) ids.push(`doi:${ref.doi.toLowerCase()}`);
  if (ref.pmid) ids.push(`pmid:${ref.pmid}`);
  if (ref.url) ids.push(`url:${ref.url}`);
  ids.push(`title:${ref.title.trim().toLowerCase().replace(/\s+/g, ' ')}|${ref.year ?? ''}`);
  return ids;
}

const shares = (a: readonly string[], b: readonly string[]) => a.some((id) => b.includes(id));

/**
 * Where each base reference went: `moves[n - 1]` is the new number of the base revision's reference
 * n, or null when this revision removes it.
 */
export function referenceMoves(baseCount: number, origin: readonly (number | null)[]): (number | null)[] {
  const moves: (number | null)[] = Array.from({ length: baseCount }, () => null);
  origin.forEach((i, j) => {
    if (i !== null) moves[i] = j + 1;
  });
  return moves;
}

/** True when every base reference kept its number. */
export const keepsNumbers = (moves: readonly (number | null)[]): boolean => moves.every((to, i) => to === i + 1);

export interface MarkerChange {
  field: CitationField;
  audience?: VariantAudience;
  /** Offset of the marker in the text as it was sent. */
  offset: number;
  from: string;
  to: string;
}

export interface RenumberProblem {
  kind: 'removed_reference' | 'missing_reference';
  severity: 'error';
  field: CitationField;
  audience?: VariantAudience;
  marker: string;
  offset: number;
  reference: number;
  message: string;
}

export interface Renumbered<T extends CitingText> {
  text: T;
  changes: MarkerChange[];
  problems: RenumberProblem[];
}

/**
 * Rewrites markers written in the base revision's numbering into this revision's (`renumber: true`):
 * every marker keeps pointing at the same references. A marker of a removed reference, or of a
 * number the base never had, is a problem and is left as written — never re-pointed.
 */
export function renumberCitations<T extends CitingText>(
  text: T,
  moves: readonly (number | null)[],
  describe: (n: number) => string = (n) => `reference ${n}`,
): Renumbered<T> {
  const report = checkCitations({
    summary: text.summary,
    body: text.body,
    referenceCount: moves.length,
    variants: text.variants,
  });
  const changes: MarkerChange[] = [];
  const problems: RenumberProblem[] = [];
  for (const marker of report.markers) {
    const inVersion = marker.audience ? `In the ${marker.audience} version, marker` : 'Marker';
    const where = { field: marker.field, ...(marker.audience ? { audience: marker.audience } : {}) };
    const mapped: number[] = [];
    for (const n of marker.references) {
      const to = n <= moves.length ? moves[n - 1] : undefined;
      if (to === undefined) {
        problems.push({
          kind: 'missing_reference',
          severity: 'error',
          ...where,
          marker: marker.raw,
          offset: marker.offset,
          reference: n,
          message: `${inVersion} ${marker.raw} cites reference ${n}, but the base revision has only ${moves.length}: with renumber, markers are numbered as in the base revision`,
        });
      } else if (to === null) {
        problems.push({
          kind: 'removed_reference',
          severity: 'error',
          ...where,
          marker: marker.raw,
          offset: marker.offset,
          reference: n,
          message: `${inVersion} ${marker.raw} cites ${describe(n)}, which this revision removes: cite another reference or delete the marker`,
        });
      } else {
        mapped.push(to);
      }
    }
    if (mapped.length !== marker.references.length) continue;
    const numbers = [...new Set(mapped)].sort((a, b) => a - b);
    if (sameNumbers(numbers, marker.references)) continue;
    changes.push({ ...where, offset: marker.offset, from: marker.raw, to: formatMarker(numbers, marker.raw) });
  }
  return { text: applyChanges(text, changes), changes, problems };
}

const sameNumbers = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((n, i) => n === b[i]);

/** `[2, 3]`, `[2-6]` for runs of three or more (an en dash if the marker used one). */
export function formatMarker(numbers: readonly number[], original = ''): string {
  const dash = original.includes('–') ? '–' : '-';
  const parts: string[] = [];
  for (let i = 0; i < numbers.length;) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
    if (j - i >= 2) parts.push(`${numbers[i]}${dash}${numbers[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(numbers[k]));
    i = j + 1;
  }
  return `[${parts.join(', ')}]`;
}

function applyChanges<T extends CitingText>(text: T, changes: readonly MarkerChange[]): T {
  if (changes.length === 0) return text;
  const rewrite = (value: string, field: CitationField, audience: VariantAudience | undefined) => {
    const mine = changes
      .filter((c) => c.field === field && c.audience === audience)
      .sort((a, b) => b.offset - a.offset);
    let out = value;
    for (const c of mine) out = out.slice(0, c.offset) + c.to + out.slice(c.offset + c.from.length);
    return out;
  };
  return {
    ...text,
    summary: text.summary === null ? null : rewrite(text.summary, 'summary', undefined),
    body: rewrite(text.body, 'body', undefined),
    variants: text.variants.map((v) => ({
      ...v,
      summary: v.summary === null ? null : rewrite(v.summary, 'summary', v.audience),
      body: rewrite(v.body, 'body', v.audience),
    })),
  };
}

export interface RepointProblem {
  kind: 'repointed_marker';
  severity: 'error';
  field: CitationField;
  audience?: VariantAudience;
  marker: string;
  offset: number;
  reference: number;
  message: string;
}

const CONTEXT = 48;
const ANY_MARKER = /\[[0-9 ,\-–]*\]/g;

/**
 * Markers that would silently point elsewhere: the same marker, in the same words, as in the base
 * revision, while the reference it cited there now has another number (or is gone) and its number
 * now names another reference. A marker whose number the editor changed, or whose sentence is new,
 * is taken as written. Matching by the words around a marker (markers blanked, so a neighbour's
 * renumbering does not hide it) survives edits elsewhere in the text; a context that occurs twice in
 * the base is not matched.
 */
export function silentRepoints(
  base: CitingText,
  next: CitingText,
  moves: readonly (number | null)[],
  nextCount: number,
  describe: { base: (n: number) => string; next: (n: number) => string },
): RepointProblem[] {
  if (keepsNumbers(moves)) return [];
  const before = new Map<string, CitationMarker | null>();
  const baseReport = checkCitations({
    summary: base.summary,
    body: base.body,
    referenceCount: moves.length,
    variants: base.variants,
  });
  for (const marker of baseReport.markers) {
    const key = contextOf(base, marker);
    before.set(key, before.has(key) ? null : marker);
  }
  const problems: RepointProblem[] = [];
  const nextReport = checkCitations({
    summary: next.summary,
    body: next.body,
    referenceCount: nextCount,
    variants: next.variants,
  });
  for (const marker of nextReport.markers) {
    const was = before.get(contextOf(next, marker));
    if (!was || was.raw !== marker.raw) continue;
    // `[1-4]` after swapping 2 and 3 still cites the same four references.
    const meant = was.references.map((n) => moves[n - 1] ?? null);
    if (
      !meant.includes(null) &&
      sameNumbers(
        [...new Set(meant as number[])].sort((a, b) => a - b),
        marker.references,
      )
    )
      continue;
    for (const n of marker.references) {
      if (n > moves.length || n > nextCount || moves[n - 1] === n) continue;
      const inVersion = marker.audience ? `In the ${marker.audience} version, marker` : 'Marker';
      const went = moves[n - 1];
      problems.push({
        kind: 'repointed_marker',
        severity: 'error',
        field: marker.field,
        ...(marker.audience ? { audience: marker.audience } : {}),
        marker: marker.raw,
        offset: marker.offset,
        reference: n,
        message:
          `${inVersion} ${marker.raw} cited ${describe.base(n)} and would now cite ${describe.next(n)}` +
          (went === null ? ', because that reference was removed' : `, because that reference is now number ${went}`) +
          ': send renumber: true to keep markers on their references, or change the marker',
      });
    }
  }
  return problems;
}

function textOf(text: CitingText, marker: CitationMarker): string {
  const variant = marker.audience ? text.variants.find((v) => v.audience === marker.audience) : undefined;
  const owner = variant ?? text;
  return (marker.field === 'summary' ? owner.summary : owner.body) ?? '';
}

function contextOf(text: CitingText, marker: CitationMarker): string {
  const value = textOf(text, marker);
  const blankMarkers = (s: string) => s.replace(ANY_MARKER, '[]');
  const left = blankMarkers(value.slice(Math.max(0, marker.offset - CONTEXT), marker.offset));
  const right = blankMarkers(
    value.slice(marker.offset + marker.raw.length, marker.offset + marker.raw.length + CONTEXT),
  );
  return `${marker.audience ?? ''}\u0000${marker.field}\u0000${left}\u0000${right}`;
}

export interface CitedContent extends CitingText {
  references: readonly Reference[];
}

export interface FollowedReferences<T extends CitedContent> {
  /** `content` with every reference keyed and, with `renumber`, its markers rewritten. */
  content: T & { references: Reference[] };
  changes: MarkerChange[];
  /** Refusals (contract §19: never silently re-pointed); empty when the revision may be saved. */
  problems: (RenumberProblem | RepointProblem)[];
}

/**
 * Everything §19 asks of a new revision's references against its base: keys kept (or given),
 * and either its markers renumbered (`renumber`) or a refusal of those that would silently point at
 * another reference. `base` is null for an article's first revision.
 */
export function followReferences<T extends CitedContent>(
  base: CitedContent | null,
  next: T,
  options: { renumber: boolean; newKey: () => string },
): FollowedReferences<T> {
  const keyed = keepReferenceKeys(base?.references ?? [], next.references, options.newKey);
  if (!base) return { content: { ...next, references: keyed.references }, changes: [], problems: [] };
  const moves = referenceMoves(base.references.length, keyed.origin);
  const describeIn = (refs: readonly Reference[]) => (n: number) => {
    const title = refs[n - 1]?.title ?? '';
    return `reference ${n} (“${title.length > 80 ? `${title.slice(0, 79)}…` : title}”)`;
  };
  if (options.renumber) {
    const renumbered = renumberCitations(next, moves, describeIn(base.references));
    return {
      content: { ...renumbered.text, references: keyed.references },
      changes: renumbered.changes,
      problems: renumbered.problems,
    };
  }
  const problems = silentRepoints(base, next, moves, next.references.length, {
    base: describeIn(base.references),
    next: describeIn(next.references),
  });
  return { content: { ...next, references: keyed.references }, changes: [], problems };
}
