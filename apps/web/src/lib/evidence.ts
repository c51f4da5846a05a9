/**
 * Evidence checks (contract §16) in words: what a registry lookup or the `evidence` check found about a
 * cited paper. The verdicts come from the shared domain code the check itself runs, so that what the
 * editor is told while filling a reference is what the check will say.
 */
import { decidingNotice, describeNotice } from '@imprimatur/domain/evidence/verdict';
import { ApiError, errorMessage } from '../api/client';
import type { EvidenceNotice, EvidenceResult } from '../api/types';

export type IdentifierKind = 'doi' | 'pmid';

/** Who is asked about each identifier, and what the identifier is called. */
export const REGISTRY: Record<IdentifierKind, { name: string; identifier: string }> = {
  doi: { name: 'Crossref', identifier: 'DOI' },
  pmid: { name: 'PubMed', identifier: 'PMID' },
};

/** Which registry a result's mismatch is against: the check compares with Crossref's record when the reference has a DOI. */
export const comparedRegistry = (result: Pick<EvidenceResult, 'doi'>): string =>
  REGISTRY[result.doi !== null ? 'doi' : 'pmid'].name;

/** A failed lookup in words: a 404 and a 502 name the registry; anything else (a 400: a malformed DOI) says the API's message. */
export function lookupErrorMessage(error: unknown, kind: IdentifierKind): string {
  const { name, identifier } = REGISTRY[kind];
  if (error instanceof ApiError && error.status === 404) return `${name} does not know this ${identifier}`;
  if (error instanceof ApiError && error.status === 502) return `${name} did not answer; try again later`;
  return errorMessage(error);
}

export { decidingNotice };

/**
 * The sentence for a notice found while filling a reference: "This paper was retracted (Retraction Watch,
 * 2019-08-13) — citing it will block approval". Notices that block are retractions, withdrawals and
 * removals, whose labels are past participles ("Retracted", "Withdrawn", "Removed").
 */
export function noticeSentence(notice: EvidenceNotice, blocks: boolean): string {
  const described = describeNotice(notice);
  return blocks
    ? `This paper was ${described.charAt(0).toLowerCase()}${described.slice(1)} — citing it will block approval`
    : `${described} — read the notice before citing this paper; the evidence check will warn about it`;
}

/** Where a notice can be read: its own DOI at the resolver, when the registry names one. */
export const noticeUrl = (notice: EvidenceNotice): string | null =>
  notice.doi === null ? null : `https://doi.org/${notice.doi.split('/').map(encodeURIComponent).join('/')}`;
