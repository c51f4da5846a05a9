import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { EvidenceNotice } from '../api/types';
import { comparedRegistry, decidingNotice, lookupErrorMessage, noticeSentence, noticeUrl } from './evidence';

const notice = (type: EvidenceNotice['type'], over: Partial<EvidenceNotice> = {}): EvidenceNotice => ({
  type,
  doi: null,
  source: 'publisher',
  date: null,
  ...over,
});

describe('a notice found while filling a reference', () => {
  it('is decided by the check’s own rule: the most severe notice, and only a retraction, withdrawal or removal blocks', () => {
    const correction = notice('correction');
    const withdrawal = notice('withdrawal', { source: 'retraction-watch', date: '2020-06-04' });
    expect(decidingNotice([correction, withdrawal])).toMatchObject({ notice: withdrawal, blocks: true });
    expect(decidingNotice([notice('removal')])?.blocks).toBe(true);
    expect(decidingNotice([correction])).toEqual({ notice: correction, status: 'corrected', blocks: false });
    expect(decidingNotice([notice('expression_of_concern')])?.blocks).toBe(false);
    expect(decidingNotice([])).toBeNull();
  });

  it('is said as a sentence', () => {
    expect(noticeSentence(notice('withdrawal', { source: 'retraction-watch', date: '2020-06-04' }), true)).toBe(
      'This paper was withdrawn (Retraction Watch, 2020-06-04) — citing it will block approval',
    );
    expect(noticeSentence(notice('retraction', { source: 'pubmed' }), true)).toBe(
      'This paper was retracted (PubMed) — citing it will block approval',
    );
    expect(noticeSentence(notice('erratum'), false)).toBe(
      'Erratum published (publisher) — read the notice before citing this paper; the evidence check will warn about it',
    );
  });

  it('links to its own DOI at the resolver, escaped, when it has one', () => {
    expect(noticeUrl(notice('retraction', { doi: '10.1002/(sici)1097-0258#x' }))).toBe(
      'https://doi.org/10.1002/(sici)1097-0258%23x',
    );
    expect(noticeUrl(notice('retraction'))).toBeNull();
  });
});

describe('a failed lookup', () => {
  it('names the registry for 404 and 502, and gives any other error in its own words', () => {
    expect(lookupErrorMessage(new ApiError(404, 'not_found', 'Not found'), 'pmid')).toBe(
      'PubMed does not know this PMID',
    );
    expect(lookupErrorMessage(new ApiError(502, 'upstream_unavailable', 'x'), 'doi')).toBe(
      'Crossref did not answer; try again later',
    );
    expect(lookupErrorMessage(new ApiError(0, 'network', 'The server cannot be reached.'), 'doi')).toBe(
      'The server cannot be reached.',
    );
  });

  it('a mismatch is against Crossref when the reference has a DOI, else PubMed', () => {
    expect(comparedRegistry({ doi: '10.1/x' })).toBe('Crossref');
    expect(comparedRegistry({ doi: null })).toBe('PubMed');
  });
});
