import { normaliseDoi } from './identifiers';
import { isObject, plainText, text, type JsonObject } from './json';
import { RegistryFormatError, type EvidenceNotice, type RegistryRecord } from './types';

/** The publication type NLM gives a paper that has been retracted (its notice is "Retraction of Publication"). */
const RETRACTED = 'Retracted Publication';

/**
 * An E-utilities answer to `esummary.fcgi?db=pubmed&retmode=json&id={pmid}` as a registry record; null when
 * PubMed has no such PMID (it answers 200 with an `error` in place of the summary). Throws
 * RegistryFormatError for anything else that is not a summary.
 */
export function parsePubmedSummary(body: unknown, pmid: string, pubmedBaseUrl: string): RegistryRecord | null {
  if (!isObject(body)) throw new RegistryFormatError('pubmed', 'not a JSON object');
  // An id E-utilities cannot read at all: `{esummaryresult: ["Invalid uid …"]}` or `{error: …}`.
  if (Array.isArray(body.esummaryresult)) return null;
  if (body.error !== undefined && body.result === undefined) {
    // NCBI's rate limit answer has the same shape; it must not read as "no such paper".
    if (typeof body.error === 'string' && /rate limit/i.test(body.error)) {
      throw new RegistryFormatError('pubmed', 'rate limited');
    }
    return null;
  }
  const result = body.result;
  if (!isObject(result) || !Array.isArray(result.uids)) throw new RegistryFormatError('pubmed', 'no result');
  if (!result.uids.includes(pmid)) return null;
  const summary = result[pmid];
  if (!isObject(summary)) throw new RegistryFormatError('pubmed', `no summary for ${pmid}`);
  if (summary.error !== undefined) return null;

  const fullName = text(summary.fulljournalname);
  const abbreviation = text(summary.source);
  const source = fullName ?? abbreviation;
  return {
    registry: 'pubmed',
    // NLM ends every title with a full stop that is not part of it.
    title: plainText(summary.title)?.replace(/\.$/, '') || null,
    source,
    sourceAliases: abbreviation !== null && abbreviation !== source ? [abbreviation] : [],
    year: year(summary),
    doi: doi(summary.articleids),
    pmid,
    url: `${pubmedBaseUrl.replace(/\/+$/, '')}/${pmid}/`,
    authors: Array.isArray(summary.authors) ? summary.authors.map(author).filter((name) => name !== null) : [],
    notices: publicationTypes(summary.pubtype).includes(RETRACTED) ? [RETRACTION] : [],
  };
}

const RETRACTION: EvidenceNotice = { type: 'retraction', doi: null, source: 'pubmed', date: null };

/** "2013 Dec 5", "2013 Winter", "2013/12/05 00:00": the year leads. */
function year(summary: JsonObject): number | null {
  for (const field of ['pubdate', 'sortpubdate']) {
    const match = /^(\d{4})\b/.exec(text(summary[field]) ?? '');
    if (match) return Number(match[1]);
  }
  return null;
}

function doi(articleIds: unknown): string | null {
  if (!Array.isArray(articleIds)) return null;
  for (const id of articleIds) {
    if (isObject(id) && id.idtype === 'doi' && typeof id.value === 'string') return normaliseDoi(id.value);
  }
  return null;
}

/** Already "Family Initials"; collective names (`CollectiveName`) are not people. */
function author(entry: unknown): string | null {
  return isObject(entry) && entry.authtype === 'Author' ? text(entry.name) : null;
}

const publicationTypes = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((type): type is string => typeof type === 'string') : [];
