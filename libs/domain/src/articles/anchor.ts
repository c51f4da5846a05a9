/** Where a comment attaches in a text, after the W3C Web Annotation TextQuoteSelector. */
export interface TextQuoteAnchor {
  quote: string;
  prefix?: string;
  suffix?: string;
}

/** Finds the first occurrence of quote whose preceding text ends with prefix and following text starts with suffix (when given). */
export function findAnchor(text: string, anchor: TextQuoteAnchor): { start: number; end: number } | null {
  const { quote, prefix = '', suffix = '' } = anchor;
  if (quote === '') return null;
  for (let start = text.indexOf(quote); start !== -1; start = text.indexOf(quote, start + 1)) {
    const end = start + quote.length;
    if (endsWithAt(text, prefix, start) && text.startsWith(suffix, end)) return { start, end };
  }
  return null;
}

/** Whether `text` up to `index` ends with `prefix`, without copying the text before `index`. */
function endsWithAt(text: string, prefix: string, index: number): boolean {
  return index >= prefix.length && text.startsWith(prefix, index - prefix.length);
}

/**
 * Where an anchored comment stands on one revision (contract §19): `anchored` with the character
 * offsets of its quote in that revision's body while the quote (with its prefix and suffix) still
 * occurs there, else `outdated` (GitHub's marker for a comment on lines that changed).
 */
export type CommentPlacement =
  | { revision: number; status: 'anchored'; start: number; end: number }
  | { revision: number; status: 'outdated'; start: null; end: null };

export function placeAnchor(anchor: TextQuoteAnchor, body: string, revision: number): CommentPlacement {
  const found = findAnchor(body, anchor);
  return found
    ? { revision, status: 'anchored', start: found.start, end: found.end }
    : { revision, status: 'outdated', start: null, end: null };
}
