import type { VariantAudience } from './reference';

export type CitationField = 'summary' | 'body';

/**
 * A well-formed citation: `offset` is the index of `[` in its field's text; `audience` is set for a
 * marker in an audience variant's text (absent: the professional text).
 */
export interface CitationMarker {
  field: CitationField;
  audience?: VariantAudience;
  raw: string;
  offset: number;
  /** Expanded, deduplicated, ascending. */
  references: number[];
}

export type CitationProblem =
  | {
      kind: 'missing_reference';
      severity: 'error';
      field: CitationField;
      audience?: VariantAudience;
      marker: string;
      offset: number;
      reference: number;
      message: string;
    }
  | {
      kind: 'malformed_marker';
      severity: 'error';
      field: CitationField;
      audience?: VariantAudience;
      marker: string;
      offset: number;
      message: string;
    }
  | { kind: 'uncited_reference'; severity: 'warning'; reference: number; message: string };

export interface CitationReport {
  markers: CitationMarker[];
  /** Every number cited anywhere, including those with no reference behind them. */
  cited: number[];
  problems: CitationProblem[];
  status: 'passed' | 'warning' | 'failed';
}

export interface CitationInput {
  summary?: string | null;
  body: string;
  referenceCount: number;
  /** Audience variants (contract §13): they cite the same references by the same numbers. */
  variants?: readonly { audience: VariantAudience; summary: string | null; body: string }[];
}

/** Bounds the work one marker can cause: `[1-1000000000]` is a typo, not a citation. */
export const MAX_CITATION_RANGE = 100;

/**
 * Checks the citation markers of an article's summary and body against its numbered references
 * (reference n is `references[n - 1]`).
 */
export function checkCitations(input: CitationInput): CitationReport {
  const { referenceCount } = input;
  if (!Number.isSafeInteger(referenceCount) || referenceCount < 0) {
    throw new RangeError(`referenceCount must be a non-negative integer, got ${referenceCount}`);
  }
  const fields: [CitationField, string, VariantAudience | undefined][] = [];
  if (input.summary) fields.push(['summary', input.summary, undefined]);
  fields.push(['body', input.body, undefined]);
  for (const variant of input.variants ?? []) {
    if (variant.summary) fields.push(['summary', variant.summary, variant.audience]);
    fields.push(['body', variant.body, variant.audience]);
  }

  const markers: CitationMarker[] = [];
  const errors: CitationProblem[] = [];
  for (const [field, text, audience] of fields) {
    const where = audience ? { audience } : {};
    const inVersion = audience ? `In the ${audience} version, marker` : 'Marker';
    for (const candidate of findCandidates(text)) {
      const parsed = parseMarkerContent(candidate.content);
      if (!parsed.ok) {
        errors.push({
          kind: 'malformed_marker',
          severity: 'error',
          field,
          ...where,
          marker: candidate.raw,
          offset: candidate.offset,
          message: `${inVersion} ${candidate.raw} is malformed: ${parsed.reason}`,
        });
        continue;
      }
      markers.push({ field, ...where, raw: candidate.raw, offset: candidate.offset, references: parsed.references });
      for (const reference of parsed.references.filter((n) => n > referenceCount)) {
        errors.push({
          kind: 'missing_reference',
          severity: 'error',
          field,
          ...where,
          marker: candidate.raw,
          offset: candidate.offset,
          reference,
          message: `${inVersion} ${candidate.raw} cites reference ${reference}, but ${describeCount(referenceCount)}`,
        });
      }
    }
  }

  const cited = [...new Set(markers.flatMap((m) => m.references))].sort((a, b) => a - b);
  const citedSet = new Set(cited);
  const warnings: CitationProblem[] = [];
  for (let reference = 1; reference <= referenceCount; reference++) {
    if (!citedSet.has(reference)) {
      warnings.push({
        kind: 'uncited_reference',
        severity: 'warning',
        reference,
        message: `Reference ${reference} is never cited`,
      });
    }
  }

  const status = errors.length > 0 ? 'failed' : warnings.length > 0 ? 'warning' : 'passed';
  return { markers, cited, problems: [...errors, ...warnings], status };
}

function describeCount(referenceCount: number): string {
  if (referenceCount === 0) return 'there are no references';
  if (referenceCount === 1) return 'there is only 1 reference';
  return `there are only ${referenceCount} references`;
}

interface Candidate {
  raw: string;
  content: string;
  offset: number;
}

const CANDIDATE = /\[([0-9 ,\-–]*)\]/g;

/** Bracketed runs that look like citations, minus Markdown links, link definitions and code. */
function findCandidates(text: string): Candidate[] {
  const masked = maskCode(text);
  const candidates: Candidate[] = [];
  for (const match of masked.matchAll(CANDIDATE)) {
    const content = match[1];
    const offset = match.index;
    const end = offset + match[0].length;
    if (!/[0-9]/.test(content)) continue;
    if (isMarkdownLinkPart(masked, offset, end)) continue;
    candidates.push({ raw: text.slice(offset, end), content, offset });
  }
  return candidates;
}

function isMarkdownLinkPart(text: string, start: number, end: number): boolean {
  const before = text[start - 1];
  const after = text[end];
  // `[1](url)` is an inline link; `[text][1]` and `[1][label]` are reference links.
  if (after === '(' || after === '[' || before === ']') return true;
  // Only at the start of a line is `[1]:` a link definition; mid-sentence `[1]:` is a citation.
  return after === ':' && isAtLineStart(text, start);
}

function isAtLineStart(text: string, index: number): boolean {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  // CommonMark allows up to three spaces of indentation before a link definition.
  return /^ {0,3}$/.test(text.slice(lineStart, index));
}

/**
 * Blanks fenced code blocks and inline code spans with spaces, keeping newlines, so that the
 * offsets found in the masked text are the offsets in the original.
 */
function maskCode(text: string): string {
  const chars = text.split('');
  maskFences(text, chars);
  maskInlineCode(chars.join(''), chars);
  return chars.join('');
}

function blank(chars: string[], start: number, end: number): void {
  for (let i = start; i < end; i++) {
    if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
  }
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

function maskFences(text: string, chars: string[]): void {
  let open: { char: string; length: number; start: number } | null = null;
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    if (open === null) {
      const match = FENCE_OPEN.exec(line);
      // A backtick fence's info string may not contain backticks (CommonMark): then it is inline code.
      if (match && !(match[1].startsWith('`') && match[2].includes('`'))) {
        open = { char: match[1].charAt(0), length: match[1].length, start: lineStart };
      }
    } else if (closesFence(line, open.char, open.length)) {
      blank(chars, open.start, lineEnd);
      open = null;
    }
    lineStart = lineEnd + 1;
  }
  // An unclosed fence runs to the end of the document.
  if (open !== null) blank(chars, open.start, text.length);
}

function closesFence(line: string, char: string, length: number): boolean {
  const match = /^ {0,3}(`+|~+)\s*$/.exec(line);
  const fence = match?.[1];
  return fence !== undefined && fence.startsWith(char) && fence.length >= length;
}

function maskInlineCode(text: string, chars: string[]): void {
  const runs = [...text.matchAll(/`+/g)].map((m) => ({ start: m.index, length: m[0].length }));
  // A span closes at the next backtick run of exactly the same length; without one the backticks are literal.
  const nextOfSameLength = new Array<number>(runs.length).fill(-1);
  const lastSeen = new Map<number, number>();
  for (let i = runs.length - 1; i >= 0; i--) {
    const { length } = runs[i];
    nextOfSameLength[i] = lastSeen.get(length) ?? -1;
    lastSeen.set(length, i);
  }
  let i = 0;
  while (i < runs.length) {
    const closerIndex = nextOfSameLength[i];
    if (closerIndex === -1) {
      i++;
      continue;
    }
    const closer = runs[closerIndex];
    blank(chars, runs[i].start, closer.start + closer.length);
    i = closerIndex + 1;
  }
}

/** One item of a marker: a single reference (`from === to`) or a range, as written (`[2-6]` is 2 to 6). */
export interface CitationItem {
  from: number;
  to: number;
}

/** A well-formed marker read at one place in a text: its items as written and the references they expand to. */
export interface ParsedCitationMarker {
  raw: string;
  items: CitationItem[];
  /** Expanded, deduplicated, ascending. */
  references: number[];
}

const CANDIDATE_AT = new RegExp(CANDIDATE.source, 'y');

/**
 * The well-formed citation marker whose `[` is at `index` in `text`, or null: the same candidate
 * pattern, Markdown-link exclusions and grammar as `checkCitations`, read at one place. The
 * Markdown renderer's citation rule calls it (code it never sees: code spans and blocks are
 * separate tokens there), so that what the check counts as a citation is what gets linked.
 */
export function citationMarkerAt(text: string, index: number): ParsedCitationMarker | null {
  CANDIDATE_AT.lastIndex = index;
  const match = CANDIDATE_AT.exec(text);
  if (!match || !/[0-9]/.test(match[1])) return null;
  const end = index + match[0].length;
  if (isMarkdownLinkPart(text, index, end)) return null;
  const parsed = parseMarkerContent(match[1]);
  return parsed.ok ? { raw: match[0], items: parsed.items, references: parsed.references } : null;
}

type ParseResult = { ok: true; items: CitationItem[]; references: number[] } | { ok: false; reason: string };
type ItemResult = { ok: true; item: CitationItem; references: number[] } | { ok: false; reason: string };

/** Parses the text between the brackets: `N` or `N-M` items separated by commas. */
function parseMarkerContent(content: string): ParseResult {
  const items: CitationItem[] = [];
  const references = new Set<number>();
  for (const rawItem of content.split(',')) {
    const item = rawItem.trim();
    if (item === '') return { ok: false, reason: 'it has an empty item between commas' };
    const parsed = parseItem(item);
    if (!parsed.ok) return parsed;
    items.push(parsed.item);
    parsed.references.forEach((n) => references.add(n));
  }
  return { ok: true, items, references: [...references].sort((a, b) => a - b) };
}

function parseItem(rawItem: string): ItemResult {
  // Authors write "2 – 6" as often as "2-6": spaces around the dash are fine.
  const item = rawItem.replace(/ *([-–]) */g, '$1');
  if (item.includes(' ')) return { ok: false, reason: 'numbers must be separated by commas' };
  const ends = item.split(/[-–]/);
  if (ends.length > 2) return { ok: false, reason: 'a range must have exactly two ends' };
  if (ends.includes('')) return { ok: false, reason: 'a range needs a number at both ends' };
  const numbers: number[] = [];
  for (const end of ends) {
    const parsed = parseReferenceNumber(end);
    if (typeof parsed === 'string') return { ok: false, reason: parsed };
    numbers.push(parsed);
  }
  const [from, to] = numbers;
  if (numbers.length === 1) return { ok: true, item: { from, to: from }, references: [from] };
  const range = expandRange(from, to);
  return typeof range === 'string' ? { ok: false, reason: range } : { ok: true, item: { from, to }, references: range };
}

/** The number, or the reason it is not a valid reference number. */
function parseReferenceNumber(digits: string): number | string {
  if (digits === '0') return 'references are numbered from 1';
  if (digits.startsWith('0')) return `${digits} has a leading zero`;
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) return `${digits} is too large`;
  return n;
}

/** The references from..to, or the reason the range is not valid. */
function expandRange(from: number, to: number): number[] | string {
  if (to < from) return 'a range must go upwards';
  if (to === from) return `a range must go upwards (write ${from} instead of ${from}-${to})`;
  if (to - from + 1 > MAX_CITATION_RANGE) return `a range may span at most ${MAX_CITATION_RANGE} references`;
  return Array.from({ length: to - from + 1 }, (_, k) => from + k);
}
