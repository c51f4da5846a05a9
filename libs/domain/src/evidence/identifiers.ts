// doi-regex has no types of its own: the reference brings ours into every program that imports this file (the web
// app's tsconfig includes only apps/web/src), which an import cannot do for an ambient module declaration.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./doi-regex.d.ts" />
import doiRegex from 'doi-regex';

/** Built once: with `exact` it is anchored and not global, so `test` keeps no state between calls. */
const EXACT_DOI = doiRegex({ exact: true });
const DOI_PREFIX = /^(?:doi:\s*|(?:https?:\/\/)?(?:dx\.|www\.)?doi\.org\/)/i;
const PMID_PREFIX = /^pmid\s*:?\s*/i;
const PMID = /^[1-9]\d{0,8}$/;

/**
 * A DOI as the registries key it: without `doi:` or a resolver prefix, %-escapes decoded, lower-case
 * (DOIs are case-insensitive, and Crossref answers for any case). null when the input is not a DOI.
 */
export function normaliseDoi(input: string): string | null {
  const bare = input.trim().replace(DOI_PREFIX, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(bare);
  } catch {
    return null; // a stray '%' that escapes nothing: not something a registry would know
  }
  const doi = decoded.trim().toLowerCase();
  return EXACT_DOI.test(doi) ? doi : null;
}

/** A PubMed id: digits only, without a `PMID:` prefix. null when the input is not one. */
export function normalisePmid(input: string): string | null {
  const pmid = input.trim().replace(PMID_PREFIX, '');
  return PMID.test(pmid) ? pmid : null;
}
