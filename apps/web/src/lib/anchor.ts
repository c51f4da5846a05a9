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
  const words = quote.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const marks = '[*_`]*';
  const pattern = words.map((w) => w.split('').map(escapeRegExp).join(marks)).join(`${marks}\\s+${marks}`);
  const matches = [...body.matchAll(new RegExp(pattern, 'g'))];
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

const normalise = (text: string) => text.replace(/\s+/g, ' ');

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
