import { markdownBlocks } from '@imprimatur/domain';

/**
 * A summary as one line of text for the index and the page's meta description: its words without
 * Markdown or citation markers. A bare "[1, 4]" links nowhere there (the references are on the article's
 * page), so it goes, with the space before it; `markdownBlocks` reads markers with the citation parser
 * the renderer and the check use, so only what they count as a citation is taken out.
 */
export function plainSummary(summary: string | null | undefined): string | null {
  if (!summary) return null;
  const text = markdownBlocks(summary).join(' ');
  return text === '' ? null : text;
}

/**
 * `plainSummary` kept per summary text: the index is rendered on every request from the newest live
 * documents, and their summaries change only when a new version is published. Bounded by starting
 * afresh when full, which costs one re-parse of each summary then.
 */
export class PlainSummaries {
  private readonly known = new Map<string, string | null>();

  constructor(private readonly limit = 1000) {}

  of(summary: string | null | undefined): string | null {
    if (!summary) return null;
    let text = this.known.get(summary);
    if (text === undefined) {
      text = plainSummary(summary);
      if (this.known.size >= this.limit) this.known.clear();
      this.known.set(summary, text);
    }
    return text;
  }
}
