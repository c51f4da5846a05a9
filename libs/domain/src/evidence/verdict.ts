import { distance } from 'fastest-levenshtein';
import type { CheckStatus } from '../articles/approval';
import type { Reference } from '../articles/reference';
import { normaliseDoi, normalisePmid } from './identifiers';
import {
  REGISTRIES,
  type EvidenceNotice,
  type EvidenceResult,
  type EvidenceStatus,
  type LookupOutcome,
  type MismatchField,
  type NoticeType,
  type RegistryRecord,
} from './types';

/** A reference the evidence check looks up: its number and the identifiers it gives. */
export interface EvidenceTarget {
  n: number;
  doi: string | null;
  pmid: string | null;
}

/** Titles this alike (1 − edit distance / longer length) are the same title with a typo or two. */
export const TITLE_SIMILARITY = 0.85;
/** Registries and citations disagree by a year often enough (online first, print later). */
export const YEAR_TOLERANCE = 1;

/** The references (numbered from 1) with a DOI or PMID that normalises; the others are not in the check. */
export function evidenceTargets(references: readonly Reference[]): EvidenceTarget[] {
  return references
    .map((reference, i) => ({
      n: i + 1,
      doi: reference.doi === null ? null : normaliseDoi(reference.doi),
      pmid: reference.pmid === null ? null : normalisePmid(reference.pmid),
    }))
    .filter((target) => target.doi !== null || target.pmid !== null);
}

/** For comparing: no diacritics, no case, punctuation as spaces, "&" as "and". */
function comparable(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function similarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - distance(a, b) / longer;
}

/** The title before its subtitle (a colon, or a dash between spaces); null when it has none. */
function mainTitle(title: string): string | null {
  const match = /^(.+?)\s*(?::|\s[–—-]\s)/.exec(title);
  return match ? comparable(match[1]) : null;
}

/** Alike but for a typo, or one of them is the other without its subtitle (editors shorten them). */
export function titlesMatch(cited: string, registered: string): boolean {
  const a = comparable(cited);
  const b = comparable(registered);
  return similarity(a, b) >= TITLE_SIMILARITY || mainTitle(registered) === a || mainTitle(cited) === b;
}

/** "The Lancet. Oncology", "Lancet Oncology" and an alias "Lancet Oncol" all name one journal. */
export function sourceMatches(cited: string, names: readonly string[]): boolean {
  const journal = (name: string) => comparable(name).replace(/^the /, '');
  const wanted = journal(cited);
  return names.some((name) => journal(name) === wanted);
}

/**
 * The fields where the reference and the registry disagree. A field the reference leaves empty, or
 * the registry does not give, is not compared.
 */
export function compareMetadata(reference: Reference, record: RegistryRecord): MismatchField[] {
  const fields: MismatchField[] = [];
  if (reference.title.trim() !== '' && record.title !== null && !titlesMatch(reference.title, record.title)) {
    fields.push('title');
  }
  const names = [record.source, ...record.sourceAliases].filter((name) => name !== null);
  if (reference.source !== null && reference.source.trim() !== '' && names.length > 0) {
    if (!sourceMatches(reference.source, names)) fields.push('source');
  }
  if (reference.year !== null && record.year !== null && Math.abs(reference.year - record.year) > YEAR_TOLERANCE) {
    fields.push('year');
  }
  return fields;
}

/** What a notice makes of the reference, most severe first. */
const NOTICE_VERDICT: Record<NoticeType, Extract<EvidenceStatus, 'retracted' | 'concern' | 'corrected'>> = {
  retraction: 'retracted',
  withdrawal: 'retracted',
  removal: 'retracted',
  partial_retraction: 'concern',
  expression_of_concern: 'concern',
  correction: 'corrected',
  erratum: 'corrected',
  corrigendum: 'corrected',
};
const SEVERITY: readonly EvidenceStatus[] = ['retracted', 'concern', 'corrected'];

/**
 * One reference's verdict from its lookups. Notices decide first (the most severe wins; between equals,
 * Crossref's, which names the notice's DOI and date); then a failed lookup (`error`), then an identifier a
 * registry does not know (`unverified`), then a disagreement with the first record found (`mismatch`).
 */
export function judgeReference(
  target: EvidenceTarget,
  reference: Reference,
  outcomes: readonly LookupOutcome[],
  checkedAt: string,
): EvidenceResult {
  const base = { n: target.n, doi: target.doi, pmid: target.pmid, checkedAt };
  const records = outcomes
    .flatMap((outcome) => (outcome.outcome === 'found' ? [outcome.record] : []))
    .sort((a, b) => REGISTRIES.indexOf(a.registry) - REGISTRIES.indexOf(b.registry));

  const decided = decidingNotice(records.flatMap((record) => record.notices));
  if (decided) return { ...base, status: decided.status, notice: decided.notice };

  const failure = outcomes.find((outcome) => outcome.outcome === 'error');
  if (failure) return { ...base, status: 'error', code: failure.code };

  // Nothing found (nor any lookup made) is no evidence either way.
  if (records.length === 0 || outcomes.some((outcome) => outcome.outcome === 'not_found')) {
    return { ...base, status: 'unverified' };
  }

  const fields = compareMetadata(reference, records[0]);
  return fields.length > 0 ? { ...base, status: 'mismatch', fields } : { ...base, status: 'verified' };
}

/**
 * The notice that decides a paper's verdict, the first of the most severe (sort is stable, so the given
 * order breaks ties), with that verdict and whether it blocks approval; null without notices. The editor's
 * "Fill from DOI" warns with the same rule the check applies.
 */
export function decidingNotice(
  notices: readonly EvidenceNotice[],
): { notice: EvidenceNotice; status: EvidenceStatus; blocks: boolean } | null {
  const rank = (notice: EvidenceNotice) => SEVERITY.indexOf(NOTICE_VERDICT[notice.type]);
  const notice = [...notices].sort((a, b) => rank(a) - rank(b))[0];
  if (!notice) return null;
  const status = NOTICE_VERDICT[notice.type];
  return { notice, status, blocks: status === 'retracted' };
}

/**
 * The `evidence` check's status: a retracted reference fails it (and so blocks approval); anything else
 * short of verified is a warning. That includes `error`: a registry outage must not halt publishing, and
 * the scheduled re-check of live articles catches what the outage hid.
 */
export function evidenceCheckStatus(results: readonly EvidenceResult[]): CheckStatus {
  if (results.some((result) => result.status === 'retracted')) return 'failed';
  if (results.some((result) => result.status !== 'verified')) return 'warning';
  return 'passed';
}

const NOTICE_LABELS: Record<NoticeType, string> = {
  retraction: 'Retracted',
  withdrawal: 'Withdrawn',
  removal: 'Removed',
  partial_retraction: 'Partially retracted',
  expression_of_concern: 'Expression of concern',
  correction: 'Corrected',
  erratum: 'Erratum published',
  corrigendum: 'Corrigendum published',
};
const SOURCE_LABELS = new Map([
  ['retraction-watch', 'Retraction Watch'],
  ['publisher', 'publisher'],
  ['pubmed', 'PubMed'],
]);

/** A notice for people: "Retracted (Retraction Watch, 2019-08-13)", "Expression of concern (publisher)". */
export function describeNotice(notice: EvidenceNotice): string {
  const source = notice.source === null ? null : (SOURCE_LABELS.get(notice.source) ?? notice.source);
  const details = [source, notice.date].filter((detail) => detail !== null);
  const label = NOTICE_LABELS[notice.type];
  return details.length > 0 ? `${label} (${details.join(', ')})` : label;
}
