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
