import MarkdownIt from 'markdown-it';
import { citationMarkerAt } from './citations';

type Token = ReturnType<MarkdownIt['parse']>[number];
type StateInline = Parameters<Parameters<MarkdownIt['inline']['ruler']['before']>[2]>[0];

/**
 * Citation markers are read exactly as the renderer reads them (the shared `citationMarkerAt`), so
 * `[2-3]` never reaches the checks as text: its numbers are not quantities, nor words to count.
 */
function citationRule(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x5b /* [ */) return false;
  const marker = citationMarkerAt(state.src, state.pos);
  if (!marker) return false;
  if (!silent) state.push('citation', '', 0);
  state.pos += marker.raw.length;
  return true;
}

let instance: MarkdownIt | undefined;

/**
 * The renderer's markdown-it options (rendering/markdown.ts), parsed only: block and inline
 * structure decide what is text, so nothing here re-implements Markdown.
 */
function parser(): MarkdownIt {
  if (!instance) {
    instance = new MarkdownIt({ html: true, linkify: true, typographer: false });
    instance.inline.ruler.before('link', 'citation', citationRule);
  }
  return instance;
}

// `m<sup>2</sup>` is read as `m2`; any other tag separates words.
const JOINING_TAG = /^<\/?(?:sup|sub)\b/i;
const TAG = /<[^>]*>/g;

function htmlToText(html: string): string {
  return parser().utils.unescapeAll(html.replace(TAG, (tag) => (JOINING_TAG.test(tag) ? '' : ' ')));
}

// Autolinks (`<https://…>`) and linkified addresses; a link written as `[text](url)` keeps its text.
const isAutolink = (token: Token) => token.info === 'auto';

function inlineText(children: readonly Token[]): string {
  let text = '';
  let inAutolink = false;
  for (const token of children) {
    // An address is not prose: `…/trial-50mg` holds no dose and no words to count.
    if (token.type === 'link_open' && isAutolink(token)) inAutolink = true;
    else if (token.type === 'link_close' && inAutolink) inAutolink = false;
    else if (inAutolink) continue;
    else if (token.type === 'text' || token.type === 'code_inline') text += token.content;
    else if (token.type === 'softbreak' || token.type === 'hardbreak') text += ' ';
    else if (token.type === 'html_inline') text += htmlToText(token.content);
    // `weeks [1].` reads `weeks.`: the marker goes with the space before it.
    else if (token.type === 'citation') text = text.trimEnd();
    // Images (their alt text describes a picture) and markup add no text.
  }
  return text;
}

/** Runs of white space as one space; the spaces that group digits (`10 000`) stay for the quantity reader. */
export const squashSpace = (text: string) => text.replace(/[^\S\u00a0\u2009\u202f]+/g, ' ').trim();

/**
 * The text of a Markdown document as readers read it, one entry per block (paragraph, heading,
 * list item, table cell, code block), without markup, citation markers or link addresses. Blocks are
 * kept apart so that a heading without a full stop never runs into the next paragraph's sentence.
 */
export function markdownBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  for (const token of parser().parse(markdown, {})) {
    let text = '';
    if (token.type === 'inline') text = inlineText(token.children ?? []);
    else if (token.type === 'fence' || token.type === 'code_block') text = token.content;
    else if (token.type === 'html_block') text = htmlToText(token.content);
    text = squashSpace(text);
    if (text !== '') blocks.push(text);
  }
  return blocks;
}

/** The blocks of `markdownBlocks` as one text, a blank line between blocks (paragraphs, to a sentence splitter). */
export function markdownToPlainText(markdown: string): string {
  return markdownBlocks(markdown).join('\n\n');
}

const SENTENCES = new Intl.Segmenter('en', { granularity: 'sentence' });

/** A block's sentences (ICU's rules: `0.5 mg` and `e.g.` do not end one), trimmed. */
export function sentencesOf(block: string): string[] {
  return [...SENTENCES.segment(block)].map((s) => s.segment.trim()).filter((s) => s !== '');
}
