/**
 * Turns a selection in the rendered article into the contract's anchor: the quote as it stands in
 * the revision's Markdown body, with up to 32 characters of prefix and suffix to tell repeats apart.
 */
import type { Anchor } from '../api/types';

const CONTEXT = 32;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Finds the `occurrence`-th (0-based) place in the Markdown `body` where the rendered `quote` comes
 * from. Rendering drops emphasis and code marks and folds white space, so between characters of the
 * quote the body may hold `*`, `_` or backticks, and where the quote has a space, any white space.
 */
export function locateQuote(body: string, quote: string, occurrence = 0): Anchor | null {
  const pattern = markdownPattern(quote);
  if (!pattern) return null;
  const matches = [...body.matchAll(pattern)];
  if (matches.length === 0) return null;
  const match = matches[Math.min(occurrence, matches.length - 1)];
  const start = match.index;
  const end = start + match[0].length;
  return {
    quote: match[0],
    prefix: body.slice(Math.max(0, start - CONTEXT), start),
    suffix: body.slice(end, end + CONTEXT),
  };
}

/** Where the rendered text `quote` may come from in Markdown: its characters, with emphasis and code marks and any white space between. */
function markdownPattern(quote: string): RegExp | null {
  const words = quote.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const marks = '[*_`]*';
  return new RegExp(words.map((w) => w.split('').map(escapeRegExp).join(marks)).join(`${marks}\\s+${marks}`), 'g');
}

export const normalise = (text: string) => text.replace(/\s+/g, ' ');

/** What readers see of a piece of Markdown, near enough to find it in the rendered text: no emphasis or code marks, white space folded. */
export const renderedQuote = (markdown: string) => normalise(markdown.replace(/[*_`]/g, '')).trim();

/**
 * The inverse of `locateQuote`: where the server placed a quote (`start`–`end` in the Markdown body,
 * contract §19), as the rendered quote and which of its occurrences in the rendered text it is. The
 * offsets, not a search, decide between repeats of the same words.
 */
export function renderedPlace(body: string, start: number, end: number): { quote: string; occurrence: number } | null {
  const quote = renderedQuote(body.slice(start, end));
  const pattern = markdownPattern(quote);
  if (!pattern) return null;
  let occurrence = 0;
  for (const match of body.matchAll(pattern)) {
    if (match.index >= start) break;
    occurrence++;
  }
  return { quote, occurrence };
}

/** The anchor of the current selection inside `container` (the rendered body), or why there is none. */
export function anchorFromSelection(
  container: HTMLElement,
  body: string,
): { anchor: Anchor } | { problem: string } | null {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const quote = normalise(selection.toString()).trim();
  if (!quote) return null;
  if (quote.length > 2000) return { problem: 'Select at most 2,000 characters.' };
  // Which occurrence of the quote in the rendered text this is: count those before the selection.
  const before = document.createRange();
  before.selectNodeContents(container);
  before.setEnd(range.startContainer, range.startOffset);
  const renderedBefore = normalise(before.toString());
  let occurrence = 0;
  for (let i = renderedBefore.indexOf(quote); i !== -1; i = renderedBefore.indexOf(quote, i + 1)) occurrence++;
  const anchor = locateQuote(body, quote, occurrence);
  return anchor
    ? { anchor }
    : { problem: 'That selection spans formatting the comment cannot point at: select text within one paragraph.' };
}
