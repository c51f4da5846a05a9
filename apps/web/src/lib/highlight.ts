/** Marks each anchored comment's quote in the rendered article (its first match within one text node). */
export function highlightQuotes(
  container: HTMLElement,
  quotes: { id: string; quote: string; blocking: boolean }[],
): void {
  for (const { id, quote, blocking } of quotes) {
    // The quote is Markdown; the rendered text has no emphasis or code marks.
    const text = quote.replace(/[*_`]/g, '').trim();
    if (!text) continue;
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const textNode = node as Text;
      if (textNode.parentElement?.closest('mark')) continue;
      const start = textNode.data.indexOf(text);
      if (start === -1) continue;
      const range = document.createRange();
      range.setStart(textNode, start);
      range.setEnd(textNode, start + text.length);
      const mark = document.createElement('mark');
      mark.className = blocking ? 'anchor blocking' : 'anchor';
      mark.dataset.comment = id;
      range.surroundContents(mark);
      break;
    }
  }
}
