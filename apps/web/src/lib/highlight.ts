import { normalise, renderedPlace } from './anchor';

export interface PlacedQuote {
  id: string;
  /** Where the server placed the quote in the revision's Markdown body (contract §19). */
  start: number;
  end: number;
  blocking: boolean;
}

/** The container's text as a selection reads it (white space folded), each character traced to its text node. */
function textMap(container: HTMLElement) {
  const nodes: { node: Text; offset: number }[] = [];
  let text = '';
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    for (let i = 0; i < node.data.length; i++) {
      const space = /\s/.test(node.data[i]);
      // Folded as `normalise` folds a selection: a run of white space is one space.
      if (space && text.endsWith(' ')) continue;
      text += space ? ' ' : node.data[i];
      nodes.push({ node, offset: i });
    }
  }
  return { text, nodes };
}

/**
 * Marks each placed comment's quote in the rendered article, `<mark class="anchor" data-comment=id>`:
 * one mark per text node the quote spans (it may run across emphasis and citations). Which of
 * several equal passages is the comment's follows from the server's offsets in the Markdown, not
 * from a search of the rendered text; a quote the rendering does not show as written (inside a
 * link's address, say) is left unmarked.
 */
export function highlightPlacements(container: HTMLElement, body: string, placed: PlacedQuote[]): void {
  for (const { id, start, end, blocking } of placed) {
    const place = renderedPlace(body, start, end);
    if (!place) continue;
    // Read afresh for each quote: the marks of the previous ones split text nodes.
    const { text, nodes } = textMap(container);
    const quote = normalise(place.quote);
    let at = -1;
    for (let seen = 0, i = text.indexOf(quote); i !== -1; i = text.indexOf(quote, i + 1), seen++) {
      if (seen === place.occurrence) {
        at = i;
        break;
      }
    }
    if (at === -1) continue;
    // The quote's characters, grouped by text node, each group marked on its own.
    const spans = new Map<Text, { from: number; to: number }>();
    for (const { node, offset } of nodes.slice(at, at + quote.length)) {
      const span = spans.get(node);
      if (span) span.to = offset + 1;
      else spans.set(node, { from: offset, to: offset + 1 });
    }
    for (const [node, { from, to }] of spans) {
      const range = document.createRange();
      range.setStart(node, from);
      range.setEnd(node, to);
      const mark = document.createElement('mark');
      mark.className = blocking ? 'anchor blocking' : 'anchor';
      mark.dataset.comment = id;
      range.surroundContents(mark);
    }
  }
}
