/**
 * A small Markdown renderer for previews and review: paragraphs, headings, lists, block quotes,
 * code, emphasis, links and the contract's citation markers ([1], [2, 3], [2-6]) as links to the
 * reference list. Everything is HTML-escaped first; only http(s) and mailto links become anchors.
 * Citation markers are found by the SHARED parser (`checkCitations`), so the preview sees exactly
 * the markers the API's citation check sees (none inside code, none that are Markdown links).
 */
import { checkCitations, type CitationMarker } from '@imprimatur/domain/articles/citations';

export interface RenderOptions {
  /** How many references there are: markers beyond it are shown as missing. */
  referenceCount: number;
  /** Prefix of the reference list's element ids: a citation of n links to `#${idPrefix}n`. */
  idPrefix?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

// Private-use characters stand in for citations while the text goes through the block and inline passes.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g');

function citationHtml(marker: CitationMarker, options: RenderOptions): string {
  const prefix = options.idPrefix ?? 'ref-';
  const inner = marker.raw
    .slice(1, -1)
    .replace(/\d+/g, (digits) => {
      const n = Number(digits);
      const missing = n < 1 || n > options.referenceCount;
      return missing
        ? `<span class="citation-missing" title="There is no reference ${n}">${n}</span>`
        : `<a href="#${prefix}${n}" aria-label="reference ${n}">${n}</a>`;
    });
  return `<span class="citation">[${inner}]</span>`;
}

function safeUrl(url: string): string | null {
  const trimmed = url.trim();
  if (/^(https?:|mailto:)/i.test(trimmed)) return trimmed;
  if (trimmed.startsWith('#')) return trimmed;
  return null;
}

/** Inline Markdown of an already escaped line: code spans, links, bold, italics. */
function inline(escaped: string): string {
  const codes: string[] = [];
  let text = escaped.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_, _ticks: string, code: string) => {
    codes.push(`<code>${code.trim()}</code>`);
    return `\uE002${codes.length - 1}\uE003`;
  });
  text = text.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label: string, href: string) => {
    const url = safeUrl(href.replace(/&amp;/g, '&'));
    return url ? `<a href="${escapeHtml(url)}" rel="noopener noreferrer" target="_blank">${label}</a>` : whole;
  });
  text = text
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/__(?=\S)([\s\S]*?\S)__/g, '<strong>$1</strong>')
    .replace(/(^|[^*\w])\*(?=\S)([^*]*?\S)\*(?!\*)/g, '$1<em>$2</em>')
    .replace(/(^|[^_\w])_(?=\S)([^_]*?\S)_(?![_\w])/g, '$1<em>$2</em>');
  return text.replace(/\uE002(\d+)\uE003/g, (_, i: string) => codes[Number(i)]);
}

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; lines: string[] }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'quote'; lines: string[] }
  | { kind: 'code'; lines: string[] }
  | { kind: 'rule' };

function blocks(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trimStart().startsWith(fence[1])) code.push(lines[i++]);
      i++;
      out.push({ kind: 'code', lines: code });
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    const heading = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      out.push({ kind: 'heading', level: heading[1].length, text: heading[2] });
      i++;
      continue;
    }
    if (/^ {0,3}([-*_])( *\1){2,} *$/.test(line)) {
      out.push({ kind: 'rule' });
      i++;
      continue;
    }
    const item = /^ {0,3}([-*+]|\d{1,9}[.)])\s+(.*)$/.exec(line);
    if (item) {
      const ordered = /\d/.test(item[1]);
      const items: string[] = [];
      while (i < lines.length) {
        const next = /^ {0,3}([-*+]|\d{1,9}[.)])\s+(.*)$/.exec(lines[i]);
        if (next && /\d/.test(next[1]) === ordered) items.push(next[2]);
        else if (lines[i].trim() !== '' && /^\s{2,}/.test(lines[i]) && items.length > 0) items[items.length - 1] += `\n${lines[i].trim()}`;
        else break;
        i++;
      }
      out.push({ kind: 'list', ordered, items });
      continue;
    }
    if (/^ {0,3}>/.test(line)) {
      const quote: string[] = [];
      while (i < lines.length && /^ {0,3}>/.test(lines[i])) quote.push(lines[i++].replace(/^ {0,3}> ?/, ''));
      out.push({ kind: 'quote', lines: quote });
      continue;
    }
    const paragraph: string[] = [];
    while (
      i < lines.length &&
      lines[i].trim() !== '' &&
      !/^ {0,3}(#{1,6}\s|>|`{3,}|~{3,})/.test(lines[i]) &&
      !(paragraph.length > 0 && /^ {0,3}([-*+]|\d{1,9}[.)])\s+/.test(lines[i]))
    ) {
      paragraph.push(lines[i++]);
    }
    out.push({ kind: 'paragraph', lines: paragraph });
  }
  return out;
}

function renderBlocks(text: string): string {
  return blocks(text)
    .map((block): string => {
      switch (block.kind) {
        case 'heading': {
          // Article headings sit under the page's own h1/h2: shift them down one level.
          const level = Math.min(block.level + 1, 6);
          return `<h${level}>${inline(escapeHtml(block.text))}</h${level}>`;
        }
        case 'paragraph':
          return `<p>${block.lines.map((l) => inline(escapeHtml(l.trim()))).join('<br>\n')}</p>`;
        case 'list': {
          const tag = block.ordered ? 'ol' : 'ul';
          return `<${tag}>${block.items.map((item) => `<li>${inline(escapeHtml(item))}</li>`).join('')}</${tag}>`;
        }
        case 'quote':
          return `<blockquote>${renderBlocks(block.lines.join('\n'))}</blockquote>`;
        case 'code':
          return `<pre><code>${escapeHtml(block.lines.join('\n'))}</code></pre>`;
        case 'rule':
          return '<hr>';
      }
      return '';
    })
    .join('\n');
}

/** Markdown → safe HTML with citation links. */
export function renderMarkdown(markdown: string, options: RenderOptions): string {
  const text = markdown.replace(/[\uE000-\uE003]/g, '');
  const { markers } = checkCitations({ body: text, referenceCount: options.referenceCount });
  // Replace from the end so that earlier offsets stay valid.
  let withPlaceholders = text;
  [...markers]
    .sort((a, b) => b.offset - a.offset)
    .forEach((marker) => {
      const index = markers.indexOf(marker);
      withPlaceholders =
        withPlaceholders.slice(0, marker.offset) + `${OPEN}${index}${CLOSE}` + withPlaceholders.slice(marker.offset + marker.raw.length);
    });
  return renderBlocks(withPlaceholders).replace(PLACEHOLDER, (_, i: string) => citationHtml(markers[Number(i)], options));
}
