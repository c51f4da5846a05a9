import MarkdownIt from 'markdown-it';
import { citationMarkerAt, type ParsedCitationMarker } from '../articles/citations';
import { slugify } from '../articles/slug';

type StateInline = Parameters<Parameters<MarkdownIt['inline']['ruler']['before']>[2]>[0];
type StateCore = Parameters<Parameters<MarkdownIt['core']['ruler']['push']>[1]>[0];
type RenderRule = NonNullable<MarkdownIt['renderer']['rules']['text']>;

export interface MarkdownRenderOptions {
  /** How many references the article has: a cited number beyond it is shown, not linked. */
  referenceCount: number;
  /** The reference list's element ids: a citation of n links to `#${idPrefix}n`. Default `ref-` (the reader page). */
  idPrefix?: string;
}

export const DEFAULT_REFERENCE_ID_PREFIX = 'ref-';

interface RenderEnv {
  referenceCount: number;
  idPrefix: string;
}

interface CitationMeta {
  marker: ParsedCitationMarker;
  /** Inside a link's text: the numbers are not links themselves (no link in a link). */
  inLink: boolean;
}

/**
 * Citation markers (`[1]`, `[2, 3]`, `[2-6]`), as the shared citation parser reads them, become
 * `<sup class="citation">` with a link per number to the reference list. Before `link`, so that a
 * marker is never read as a reference-style link; code spans are consumed earlier still.
 */
function citationRule(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x5b /* [ */) return false;
  const marker = citationMarkerAt(state.src, state.pos);
  if (!marker) return false;
  if (!silent) {
    const token = state.push('citation', 'sup', 0);
    // The marker as written: what a heading id is made from, and what plain-text renderers see.
    token.content = marker.raw;
    // markdown-it counts the links it is inside (Markdown and HTML ones); @types/markdown-it does not declare it.
    const { linkLevel = 0 } = state as StateInline & { linkLevel?: number };
    token.meta = { marker, inLink: linkLevel > 0 } satisfies CitationMeta;
  }
  state.pos += marker.raw.length;
  return true;
}

const renderCitation: RenderRule = (tokens, idx, _options, env) => {
  const { marker, inLink } = tokens[idx].meta as CitationMeta;
  const { referenceCount, idPrefix } = env as RenderEnv;
  const number = (n: number) => (inLink || n > referenceCount ? String(n) : `<a href="#${idPrefix}${n}">${n}</a>`);
  const items = marker.items.map(({ from, to }) => (from === to ? number(from) : `${number(from)}–${number(to)}`));
  return `<sup class="citation">[${items.join(', ')}]</sup>`;
};

/** Stable ids on headings (from their text, deduplicated), so that `#from-the-guidelines` keeps working across versions. */
function headingIdsRule(state: StateCore): void {
  const seen = new Map<string, number>();
  state.tokens.forEach((token, i) => {
    if (token.type !== 'heading_open') return;
    const text = state.tokens[i + 1]?.children?.map((c) => c.content).join('') ?? '';
    const base = slugify(text);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    token.attrSet('id', count === 1 ? base : `${base}-${count}`);
  });
}

let instance: MarkdownIt | undefined;

function markdownIt(): MarkdownIt {
  if (!instance) {
    // Authors may write a little inline HTML (sup, sub, tables): the sanitiser decides what stays.
    instance = new MarkdownIt({ html: true, linkify: true, typographer: false });
    instance.inline.ruler.before('link', 'citation', citationRule);
    instance.renderer.rules.citation = renderCitation;
    instance.core.ruler.push('heading_ids', headingIdsRule);
  }
  return instance;
}

/**
 * Markdown to HTML that is NOT yet safe: inline HTML passes through. Use `renderArticleText` with
 * the server's or the browser's sanitiser, never this output on its own.
 */
export function markdownToUnsafeHtml(markdown: string, options: MarkdownRenderOptions): string {
  const md = markdownIt();
  const env: RenderEnv = {
    referenceCount: options.referenceCount,
    idPrefix: md.utils.escapeHtml(options.idPrefix ?? DEFAULT_REFERENCE_ID_PREFIX),
  };
  return md.render(markdown, env);
}

/** A function from HTML to HTML that applies `ARTICLE_HTML` (sanitize-html on the server, DOMPurify in the browser). */
export type Sanitiser = (html: string) => string;

/**
 * The one rendering of article text (contract §12): markdown-it with the citation rule and heading
 * ids, then the allow-list. Readers, reviewers and the editor's preview all see this.
 */
export function renderArticleText(markdown: string, options: MarkdownRenderOptions & { sanitise: Sanitiser }): string {
  return options.sanitise(markdownToUnsafeHtml(markdown, options)).trim();
}
