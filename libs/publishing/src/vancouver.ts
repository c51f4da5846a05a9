import { Logger } from '@nestjs/common';
import type { Reference } from '@imprimatur/domain';

/** The CSL-JSON we hand citation-js: only the fields a reference stores. */
interface CslName {
  family?: string;
  given?: string;
  literal?: string;
}
interface CslItem {
  type: 'article-journal' | 'report' | 'webpage' | 'document';
  title: string;
  'container-title'?: string;
  issued?: { 'date-parts': [[number]] };
  author?: CslName[];
  DOI?: string;
  PMID?: string;
  URL?: string;
}
interface CiteConstructor {
  new (data: CslItem): {
    format(style: 'bibliography', options: { format: 'text'; template: string; lang: string }): string;
  };
}

// citation-js ships no type declarations, hence require() with the little of its API we use. Loaded once
// per process: the plugin registers the CSL output formats (and the vancouver template) on the core.
/* eslint-disable @typescript-eslint/no-require-imports */
const { Cite } = require('@citation-js/core') as { Cite: CiteConstructor };
require('@citation-js/plugin-csl');
/* eslint-enable @typescript-eslint/no-require-imports */

const logger = new Logger('Vancouver');

/** Formatting costs a few milliseconds an entry; the same references come back on every hot reader page. */
const MEMO_SIZE = 2_000;
const memo = new Map<string, string>();

/** "Casali PG" → family Casali, initials P G; anything else ("ESMO Guidelines Committee") is a name as written. */
const FAMILY_INITIALS = /^(.+?)\s+(\p{Lu}+)$/u;

function cslName(name: string): CslName {
  const parts = FAMILY_INITIALS.exec(name);
  // One initial a word, so that the style's initialize-with="" prints them back together ("PG"), not just "P".
  return parts ? { family: parts[1], given: [...parts[2]].join(' ') } : { literal: name };
}

/** A guideline reads best as a report ("Title. Annals of Oncology. 2021."), a paper in a journal as an article. */
function cslType(ref: Reference): CslItem['type'] {
  if (ref.type === 'guideline') return 'report';
  if (ref.type === 'research' && ref.source) return 'article-journal';
  return ref.url ? 'webpage' : 'document';
}

function cslItem(ref: Reference): CslItem {
  const authors = (ref.authors ?? []).map((a) => a.trim()).filter((a) => a !== '');
  return {
    type: cslType(ref),
    title: ref.title,
    ...(ref.source ? { 'container-title': ref.source } : {}),
    ...(ref.year ? { issued: { 'date-parts': [[ref.year]] } } : {}),
    ...(authors.length > 0 ? { author: authors.map(cslName) } : {}),
    ...(ref.doi ? { DOI: ref.doi } : {}),
    ...(ref.pmid ? { PMID: ref.pmid } : {}),
    ...(ref.url ? { URL: ref.url } : {}),
  };
}

/** What a reader sees when citation-js cannot format a reference. */
function plain(ref: Reference): string {
  return [ref.title, ref.source, ref.year]
    .filter((part) => part !== null && part !== '')
    .map((part) => (/[.?!]$/.test(String(part)) ? String(part) : `${part}.`))
    .join(' ');
}

function format(ref: Reference): string {
  try {
    const text = new Cite(cslItem(ref))
      .format('bibliography', { format: 'text', template: 'vancouver', lang: 'en-US' })
      // The reader's <ol> numbers the entries.
      .replace(/^\s*\d+\.\s*/, '')
      .trim()
      // A journal's date ends in ";" before the volume, which references do not store: "2002;" → "2002.".
      .replace(/(\d) ?;(?=$| Available from: )/, '$1.');
    if (text !== '') return text;
    logger.warn(`citation-js formatted "${ref.title}" as nothing; shown plain`);
  } catch (error) {
    logger.warn(`citation-js could not format "${ref.title}"; shown plain: ${String(error)}`);
  }
  return plain(ref);
}

/**
 * The references as Vancouver entries (contract §16), one plain-text string per reference in order, without
 * the list number. Never throws: an entry citation-js cannot format falls back to "Title. Source. Year.".
 */
export function vancouver(references: readonly Reference[]): string[] {
  return references.map((ref) => {
    const key = JSON.stringify([ref.type, ref.title, ref.source, ref.year, ref.url, ref.doi, ref.pmid, ref.authors]);
    let text = memo.get(key);
    if (text === undefined) {
      text = format(ref);
      if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string);
    } else {
      memo.delete(key); // refreshed below: the least recently read entry is the one dropped
    }
    memo.set(key, text);
    return text;
  });
}
