import MarkdownIt from 'markdown-it';

/** Small readers for registry answers: JSON we did not write, so every field is checked before use. */

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A non-empty string, trimmed, with inner runs of whitespace collapsed; null for anything else. */
export function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const collapsed = value.replace(/\s+/g, ' ').trim();
  return collapsed === '' ? null : collapsed;
}

/** The non-empty strings of an array (anything else: none). */
export const texts = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(text).filter((item): item is string => item !== null) : [];

/** Distinct values, first spelling kept, compared case-insensitively. */
export function distinct(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = value.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// Registry titles come from XML deposits: inline markup (<i>, <sub>, MathML, JATS) and now and then an entity.
// Only tag-shaped runs are markup: "p < 0.05 > q" keeps its signs.
const TAG = /<\/?[A-Za-z][\w.:-]*(?:\s[^<>]*)?\/?>/g;
// markdown-it (already the domain's Markdown library, browser-safe) decodes HTML entities for us.
const { utils } = new MarkdownIt();

/** A title or name as plain text: markup dropped, entities decoded, whitespace collapsed. */
export function plainText(value: unknown): string | null {
  return typeof value === 'string' ? text(utils.unescapeAll(value.replace(TAG, ''))) : null;
}
