import { normaliseDoi } from './identifiers';
import { distinct, isObject, plainText, text, type JsonObject } from './json';
import { NOTICE_TYPES, RegistryFormatError, type EvidenceNotice, type NoticeType, type RegistryRecord } from './types';

/** Crossref's dates, best first: the version of record's date, then print, online, and the catch-all `issued`. */
const YEAR_FIELDS = ['published', 'published-print', 'published-online', 'issued'] as const;

/**
 * A Crossref REST answer to `GET /works/{doi}` as a registry record. Throws RegistryFormatError when the
 * body is not a work (`{status: "ok", "message-type": "work", message}`).
 */
export function parseCrossrefWork(body: unknown): RegistryRecord {
  if (!isObject(body) || body.status !== 'ok' || body['message-type'] !== 'work' || !isObject(body.message)) {
    throw new RegistryFormatError('crossref', 'not a work');
  }
  const work = body.message;
  const containers = titles(work['container-title']);
  const source = containers[0] ?? null;
  const aliases = distinct([...containers.slice(1), ...titles(work['short-container-title'])]);
  return {
    registry: 'crossref',
    title: titles(work.title)[0] ?? null,
    source,
    sourceAliases: aliases.filter((alias) => alias.toLowerCase() !== source?.toLowerCase()),
    year: year(work),
    doi: typeof work.DOI === 'string' ? (normaliseDoi(work.DOI) ?? work.DOI.toLowerCase()) : null,
    pmid: null,
    url: text(work.URL),
    authors: Array.isArray(work.author) ? work.author.map(vancouver).filter((name) => name !== null) : [],
    notices: notices(work['updated-by']),
  };
}

const titles = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(plainText).filter((title) => title !== null) : [];

/** The first row of a Crossref date's `date-parts`, up to its first missing part (`[[null]]` is "no date"). */
function dateParts(date: unknown): number[] {
  if (!isObject(date) || !Array.isArray(date['date-parts']) || !Array.isArray(date['date-parts'][0])) return [];
  const row: unknown[] = date['date-parts'][0];
  const end = row.findIndex((part) => !Number.isInteger(part));
  return (end === -1 ? row : row.slice(0, end)) as number[];
}

function year(work: JsonObject): number | null {
  for (const field of YEAR_FIELDS) {
    const [first] = dateParts(work[field]);
    if (first !== undefined) return first;
  }
  return null;
}

/** `YYYY-MM-DD`, or as much of it as the date has; `date-time` when the parts are missing. */
function isoDate(date: unknown): string | null {
  const parts = dateParts(date).slice(0, 3);
  if (parts.length > 0) return parts.map((part, i) => String(part).padStart(i === 0 ? 4 : 2, '0')).join('-');
  const dateTime = isObject(date) ? text(date['date-time']) : null;
  return dateTime && /^\d{4}-\d{2}-\d{2}/.test(dateTime) ? dateTime.slice(0, 10) : null;
}

/**
 * "Family Initials": given names "Alessandro M." → "AM", "Jean-Yves" → "JY". An organisation (`name`)
 * and a family name without given names stand alone.
 */
function vancouver(author: unknown): string | null {
  if (!isObject(author)) return null;
  const family = plainText(author.family);
  if (family === null) return plainText(author.name) ?? plainText(author.given);
  const given = plainText(author.given) ?? '';
  const initials = given
    .split(/[\s.\-‐‑]+/)
    .map((part) => /\p{L}/u.exec(part)?.[0] ?? '')
    .join('')
    .toUpperCase();
  return initials === '' ? family : `${family} ${initials}`;
}

/** Crossref spells types with underscores; some deposits use hyphens or spaces ("expression-of-concern"). */
function noticeType(value: unknown): NoticeType | null {
  if (typeof value !== 'string') return null;
  const type = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return (NOTICE_TYPES as readonly string[]).includes(type) ? (type as NoticeType) : null;
}

/**
 * The notices in `updated-by` (the publisher's, and since 2025 Retraction Watch's). The same notice given
 * by two sources is kept once, as first listed, so the answer does not depend on which source we prefer.
 */
function notices(updatedBy: unknown): EvidenceNotice[] {
  if (!Array.isArray(updatedBy)) return [];
  const seen = new Set<string>();
  const kept: EvidenceNotice[] = [];
  for (const update of updatedBy) {
    if (!isObject(update)) continue;
    const type = noticeType(update.type);
    if (type === null) continue;
    const doi = typeof update.DOI === 'string' ? normaliseDoi(update.DOI) : null;
    const key = `${type} ${doi ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push({ type, doi, source: text(update.source), date: isoDate(update.updated) });
  }
  return kept;
}
