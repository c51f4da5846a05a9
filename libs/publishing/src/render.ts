import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { slugify } from '@imprimatur/domain';

type StateInline = Parameters<Parameters<MarkdownIt['inline']['ruler']['before']>[2]>[0];
type StateCore = Parameters<Parameters<MarkdownIt['core']['ruler']['push']>[1]>[0];

/** `[1]`, `[2, 3]`, `[2-6]`, `[1, 3–5]` — the well-formed markers of the citation parser. */
const CITATION = /^\[(\d+(?:\s*[-–]\s*\d+)?(?:\s*,\s*\d+(?:\s*[-–]\s*\d+)?)*)\](?!\()/;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Turns a marker's numbers into links to the reference list: `[<a href="#ref-2">2</a>–<a href="#ref-6">6</a>]`. */
function citationHtml(content: string, referenceCount: number): string {
  const link = (n: string) => (Number(n) >= 1 && Number(n) <= referenceCount ? `<a href="#ref-${Number(n)}">${Number(n)}</a>` : escape(n));
  const items = content.split(',').map((item) => item.trim().split(/\s*[-–]\s*/).map(link).join('–'));
  return `<sup class="citation">[${items.join(', ')}]</sup>`;
}

function citationsPlugin(md: MarkdownIt, referenceCount: number): void {
  // Before `link`, so a marker is never read as a reference-style link; code spans come earlier still.
  md.inline.ruler.before('link', 'citation', (state: StateInline, silent: boolean) => {
    if (state.src.charCodeAt(state.pos) !== 0x5b /* [ */) return false;
    const match = CITATION.exec(state.src.slice(state.pos));
    if (!match) return false;
    if (!silent) {
      const token = state.push('html_inline', '', 0);
      token.content = citationHtml(match[1], referenceCount);
    }
    state.pos += match[0].length;
    return true;
  });
}

/** Stable ids on headings (from their text, deduplicated), so `#from-the-guidelines` keeps working across versions. */
function headingIdsPlugin(md: MarkdownIt): void {
  md.core.ruler.push('heading_ids', (state: StateCore) => {
    const seen = new Map<string, number>();
    state.tokens.forEach((token, i) => {
      if (token.type !== 'heading_open') return;
      const text = state.tokens[i + 1]?.children?.map((c) => c.content).join('') ?? '';
      const base = slugify(text);
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      token.attrSet('id', count === 1 ? base : `${base}-${count}`);
    });
  });
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'a', 'ul', 'ol', 'li', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'sup', 'sub', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title', 'rel'], h1: ['id'], h2: ['id'], h3: ['id'], h4: ['id'], h5: ['id'], h6: ['id'], sup: ['class'], code: ['class'], th: ['style'], td: ['style'], ol: ['start'] },
  allowedStyles: { th: { 'text-align': [/^(left|right|center)$/] }, td: { 'text-align': [/^(left|right|center)$/] } },
  allowedClasses: { sup: ['citation'], code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  transformTags: {
    // Links leave the medical page: no referrer, no window.opener.
    a: (tagName, attribs) => ({ tagName, attribs: attribs.href?.startsWith('#') ? attribs : { ...attribs, rel: 'noopener noreferrer nofollow' } }),
  },
};

export interface RenderedContent {
  summaryHtml: string | null;
  bodyHtml: string;
}

/**
 * Markdown to safe HTML, once, at publish time. Authors may use a little inline HTML (sup, sub,
 * tables); everything goes through sanitize-html's allow-list, which strips scripts (with their
 * content), every other tag, event handlers, style and any URL scheme but http, https and mailto.
 */
export function renderContent(input: { summary: string | null; body: string; referenceCount: number }): RenderedContent {
  const md = new MarkdownIt({ html: true, linkify: true, typographer: false });
  md.use(citationsPlugin, input.referenceCount);
  md.use(headingIdsPlugin);
  const render = (markdown: string) => sanitizeHtml(md.render(markdown), SANITIZE).trim();
  return { summaryHtml: input.summary ? render(input.summary) : null, bodyHtml: render(input.body) };
}
