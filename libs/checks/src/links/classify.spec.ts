import { linksCheckStatus, retryAfterMs, retryDelayMs } from './classify';
import { linkTargets } from './targets';

describe('link classification helpers', () => {
  it('sums link statuses into the check status', () => {
    expect(linksCheckStatus([])).toBe('passed');
    expect(linksCheckStatus([{ status: 'ok' }, { status: 'ok' }])).toBe('passed');
    expect(linksCheckStatus([{ status: 'ok' }, { status: 'redirected' }])).toBe('warning');
    expect(linksCheckStatus([{ status: 'unverifiable' }])).toBe('warning');
    for (const failed of ['broken', 'timeout', 'error', 'blocked'] as const) {
      expect(linksCheckStatus([{ status: 'redirected' }, { status: failed }])).toBe('failed');
    }
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2026-11-28T00:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7_000);
    expect(retryAfterMs('Sat, 28 Nov 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Sat, 28 Nov 2020 00:00:30 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(undefined, now)).toBeNull();
  });

  it('backs off exponentially with jitter', () => {
    expect(retryDelayMs(1, { baseMs: 1000, maxRetryAfterMs: 60_000, retryAfter: null, random: () => 0 })).toBe(500);
    expect(retryDelayMs(1, { baseMs: 1000, maxRetryAfterMs: 60_000, retryAfter: null, random: () => 1 })).toBe(1000);
    expect(retryDelayMs(3, { baseMs: 1000, maxRetryAfterMs: 60_000, retryAfter: null, random: () => 1 })).toBe(4000);
    expect(retryDelayMs(3, { baseMs: 1000, maxRetryAfterMs: 60_000, retryAfter: 2_500 })).toBe(2_500);
    expect(retryDelayMs(1, { baseMs: 1000, maxRetryAfterMs: 10_000, retryAfter: 99_000 })).toBe(10_000);
  });

  it('makes a link of every url, doi and pmid, through the resolvers', () => {
    const targets = linkTargets(
      [
        {
          type: 'guideline',
          title: 'a',
          source: null,
          year: null,
          url: 'https://x.test/a',
          doi: '10.1000/a#b',
          pmid: null,
        },
        { type: 'research', title: 'b', source: null, year: null, url: null, doi: null, pmid: '123' },
      ],
      { doi: 'https://doi.org/', pubmed: 'https://pubmed.ncbi.nlm.nih.gov' },
    );
    expect(targets).toEqual([
      { n: 1, kind: 'url', url: 'https://x.test/a' },
      { n: 1, kind: 'doi', url: 'https://doi.org/10.1000/a%23b' },
      { n: 2, kind: 'pmid', url: 'https://pubmed.ncbi.nlm.nih.gov/123/' },
    ]);
  });
});
