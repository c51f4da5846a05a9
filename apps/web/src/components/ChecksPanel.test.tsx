import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Reference } from '../api/types';
import { mockApi } from '../test/render';
import { ChecksPanel, linkRows, staleReferenceText } from './ChecksPanel';
import { evidenceRows } from './EvidenceCheck';

const ID = '33333333-3333-4333-8333-333333333333';
const REFS: Reference[] = [
  {
    type: 'guideline',
    title: 'ESMO',
    source: null,
    year: 2021,
    url: 'https://example.org/esmo',
    doi: '10.1/abc',
    pmid: null,
  },
  { type: 'research', title: 'Trial', source: null, year: 2023, url: null, doi: null, pmid: '123' },
];

type Check = { status: string; details: Record<string, unknown> };
const checks = (links: Check, more: Record<string, Check> = {}) => ({
  body: {
    articleId: ID,
    revision: 2,
    checks: {
      citations: { status: 'passed', details: { problems: [], cited: [1, 2] }, updatedAt: '2026-01-01T00:00:00Z' },
      staleness: { status: 'passed', details: { maxAgeYears: 10, stale: [] }, updatedAt: '2026-01-01T00:00:00Z' },
      links: { ...links, updatedAt: null },
      readability: { status: 'passed', details: { maxGrade: 8, grades: [], problems: [] }, updatedAt: null },
      consistency: { status: 'passed', details: { problems: [] }, updatedAt: null },
      evidence: { status: 'passed', details: { references: [] }, updatedAt: null },
      ...Object.fromEntries(
        Object.entries(more).map(([name, check]) => [name, { ...check, updatedAt: '2026-01-01T00:00:00Z' }]),
      ),
    },
  },
});

function show(references: Reference[] = REFS) {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <ChecksPanel articleId={ID} references={references} canRerun={false} />
      </QueryClientProvider>
    </MantineProvider>,
  );
}

describe('checks panel', () => {
  it('lists every link of every reference; without a result a link is pending, never passed', async () => {
    mockApi(() => checks({ status: 'pending', details: {} }));
    show();
    const table = await screen.findByRole('table', { name: 'Every link of every reference' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3); // url + doi of reference 1, pmid of reference 2
    rows.forEach((row) => expect(row.textContent).toContain('pending — not checked yet'));
    expect(table.textContent).not.toMatch(/\bok\b/);
    expect(screen.getByText(/Links: pending/)).toBeTruthy();
  });

  it('shows each link result in words once checked', async () => {
    mockApi(() =>
      checks({
        status: 'failed',
        details: {
          links: [
            {
              n: 1,
              kind: 'url',
              url: 'https://example.org/esmo',
              status: 'ok',
              httpStatus: 200,
              finalUrl: null,
              attempts: 1,
              checkedAt: '2026-01-01T00:00:00Z',
            },
            {
              n: 1,
              kind: 'doi',
              url: 'https://doi.org/10.1/abc',
              status: 'broken',
              httpStatus: 404,
              finalUrl: null,
              attempts: 1,
              checkedAt: '2026-01-01T00:00:00Z',
            },
          ],
        },
      }),
    );
    show();
    const table = await screen.findByRole('table', { name: 'Every link of every reference' });
    const [url, doi, pmid] = within(table).getAllByRole('row').slice(1);
    expect(url.textContent).toContain('ok');
    expect(doi.textContent).toContain('broken');
    expect(doi.textContent).toContain('HTTP 404');
    expect(pmid.textContent).toContain('pending — not checked yet');
  });

  it('shows the reading grade of each version, and a quantity a version does not share with the professional text, which blocks approval', async () => {
    mockApi(() =>
      checks(
        { status: 'passed', details: { links: [] } },
        {
          // As the API sends them (libs/domain/src/articles/audience-checks.ts).
          readability: {
            status: 'warning',
            details: {
              maxGrade: 8,
              grades: [
                { audience: 'patient', grade: 9.4, words: 120, sentences: 6 },
                { audience: 'caregiver', grade: 6, words: 80, sentences: 7 },
              ],
              problems: [
                {
                  kind: 'reading_grade_above_limit',
                  severity: 'warning',
                  audience: 'patient',
                  grade: 9.4,
                  maxGrade: 8,
                  message: 'The patient version reads at grade 9.4, above the limit of 8',
                },
              ],
            },
          },
          consistency: {
            status: 'failed',
            details: {
              problems: [
                {
                  kind: 'quantity_not_in_professional_text',
                  severity: 'error',
                  audience: 'patient',
                  field: 'body',
                  quantity: '60 mg/m2',
                  written: '60 mg/m²',
                  sentence: 'You will get 60 mg/m² of doxorubicin every 3 weeks.',
                  message: 'In the patient version, 60 mg/m2 does not occur in the professional text: “…”',
                },
              ],
            },
          },
        },
      ),
    );
    show();
    expect(await screen.findByText(/Reading level: warning/)).toBeTruthy();
    const grades = screen.getByRole('list', { name: 'Reading grade of each version' });
    expect(grades.textContent).toContain('Warning: Patient version: reading grade 9.4, above the limit of 8');
    expect(grades.textContent).not.toContain('Warning: Caregiver');
    expect(grades.textContent).toContain('Caregiver version: reading grade 6 (limit 8)');
    expect(screen.getByText(/A reading-level warning does not block approval/)).toBeTruthy();

    expect(screen.getByText(/Quantities match: failed/)).toBeTruthy();
    expect(screen.getByText(/This blocks approval, as failed citations and links do/)).toBeTruthy();
    const quantities = screen.getByRole('list', { name: 'Quantities not in the professional text' });
    expect(quantities.textContent).toBe(
      'Patient version, body: “60 mg/m²” (60 mg/m2) is not in the professional text, in: “You will get 60 mg/m² of doxorubicin every 3 weeks.”',
    );
  });

  it('says there is nothing to grade without versions', async () => {
    mockApi(() =>
      checks(
        { status: 'passed', details: { links: [] } },
        {
          readability: { status: 'passed', details: { maxGrade: 8, grades: [], problems: [] } },
          consistency: { status: 'passed', details: { problems: [] } },
        },
      ),
    );
    show();
    expect(await screen.findByText('No patient or caregiver version: nothing to grade.')).toBeTruthy();
    expect(screen.queryByText(/blocks approval/)).toBeNull();
  });

  describe('the evidence check', () => {
    const paper = (n: number, over: Partial<Reference> = {}): Reference => ({
      type: 'research',
      title: `Paper ${n}`,
      source: 'Lancet Oncology',
      year: 2020,
      url: null,
      doi: `10.1016/s1470-2045(20)3000${n}-x`,
      pmid: null,
      ...over,
    });
    // One reference per status, as the worker writes them (libs/domain/src/evidence/verdict.ts).
    const PAPERS = [1, 2, 3, 4, 5, 6].map((n) => paper(n)).concat(paper(7, { doi: null, pmid: '31415926' }));
    const at = '2026-01-01T00:00:00Z';
    const RESULTS = [
      { n: 1, status: 'verified', doi: PAPERS[0].doi, pmid: null, checkedAt: at },
      { n: 2, status: 'mismatch', doi: PAPERS[1].doi, pmid: null, fields: ['title', 'year'], checkedAt: at },
      {
        n: 3,
        status: 'retracted',
        doi: PAPERS[2].doi,
        pmid: null,
        notice: {
          type: 'retraction',
          doi: '10.1016/s1470-2045(19)30500-1',
          source: 'retraction-watch',
          date: '2019-08-13',
        },
        checkedAt: at,
      },
      {
        n: 4,
        status: 'concern',
        doi: PAPERS[3].doi,
        pmid: null,
        notice: { type: 'expression_of_concern', doi: null, source: 'publisher', date: null },
        checkedAt: at,
      },
      {
        n: 5,
        status: 'corrected',
        doi: PAPERS[4].doi,
        pmid: null,
        notice: { type: 'correction', doi: null, source: 'pubmed', date: '2021-02' },
        checkedAt: at,
      },
      { n: 6, status: 'error', doi: PAPERS[5].doi, pmid: null, code: 'http_503', checkedAt: at },
      { n: 7, status: 'unverified', doi: null, pmid: '31415926', checkedAt: at },
    ];
    const evidenceTable = () => screen.findByRole('table', { name: /^Every reference with a DOI or PMID/ });
    const noLinks = { status: 'passed', details: { links: [] } };

    it('shows every status with what it found, and says a retraction blocks approval', async () => {
      mockApi(() => checks(noLinks, { evidence: { status: 'failed', details: { references: RESULTS } } }));
      show(PAPERS);
      const rows = within(await evidenceTable())
        .getAllByRole('row')
        .slice(1);
      const cells = rows.map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((cell) => cell.textContent),
      );
      expect(cells.map(([n]) => n)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
      expect(cells[0][1]).toBe('DOI 10.1016/s1470-2045(20)30001-x');
      expect(cells[6][1]).toBe('PMID 31415926');
      const statuses = cells.map(([, , status]) => status);
      expect(statuses[0]).toMatch(/^verifiedTitle, journal and year match Crossref\./);
      expect(statuses[1]).toMatch(/^mismatchtitle, year differ from Crossref/);
      expect(statuses[2]).toMatch(/^retractedRetracted \(Retraction Watch, 2019-08-13\) Read the notice/);
      expect(statuses[3]).toMatch(/^concernExpression of concern \(publisher\)/);
      expect(statuses[4]).toMatch(/^correctedCorrected \(PubMed, 2021-02\)/);
      expect(statuses[5]).toMatch(/^errorThe registry could not be asked \(http_503\)/);
      expect(statuses[6]).toMatch(/^unverifiedPubMed does not know this PMID/);
      expect(within(rows[2]).getByRole('link', { name: 'Read the notice' }).getAttribute('href')).toBe(
        'https://doi.org/10.1016/s1470-2045(19)30500-1',
      );
      expect(screen.getByText(/Evidence: failed/)).toBeTruthy();
      expect(screen.getByText(/This blocks approval, as failed citations and links do: a retracted/)).toBeTruthy();
    });

    it('names a single differing field, and says warnings do not block approval', async () => {
      mockApi(() =>
        checks(noLinks, {
          evidence: {
            status: 'warning',
            details: { references: [{ ...RESULTS[1], n: 1, doi: PAPERS[0].doi, fields: ['source'] }] },
          },
        }),
      );
      show([PAPERS[0]]);
      const [row] = within(await evidenceTable())
        .getAllByRole('row')
        .slice(1);
      expect(row.textContent).toContain('journal differs from Crossref');
      expect(screen.getByText(/Evidence: warning/)).toBeTruthy();
      expect(screen.getByText(/An evidence warning does not block approval/)).toBeTruthy();
      expect(screen.queryByText(/This blocks approval/)).toBeNull();
    });

    it('shows every reference pending while the worker looks, whatever an earlier run found', async () => {
      mockApi(() => checks(noLinks, { evidence: { status: 'pending', details: { references: RESULTS } } }));
      show(PAPERS);
      const rows = within(await evidenceTable())
        .getAllByRole('row')
        .slice(1);
      expect(rows).toHaveLength(7);
      rows.forEach((row) => expect(row.textContent).toContain('pending — not checked yet'));
      expect(screen.getByText(/Evidence: pending/)).toBeTruthy();
      expect(screen.queryByText(/blocks approval/)).toBeNull();
    });

    it('says so when no reference has a DOI or PMID', async () => {
      mockApi(() => checks(noLinks, { evidence: { status: 'passed', details: { references: [] } } }));
      show([paper(1, { doi: null, url: 'https://example.org/a' })]);
      expect(await screen.findByText('No reference has a DOI or PMID to check.')).toBeTruthy();
    });

    it('looks up the references the check looks up: a DOI or PMID that is one', () => {
      const refs = [paper(1), paper(2, { doi: 'not a doi' }), paper(3, { doi: null, pmid: 'PMID: 123' })];
      expect(evidenceRows(refs, []).map((r) => [r.target.n, r.target.doi, r.target.pmid])).toEqual([
        [1, '10.1016/s1470-2045(20)30001-x', null],
        [3, null, '123'],
      ]);
    });
  });

  it('pairs references with results by number and kind', () => {
    expect(linkRows(REFS, []).map((r) => `${r.n}:${r.kind}`)).toEqual(['1:url', '1:doi', '2:pmid']);
  });

  describe('reference age', () => {
    const AS_OF = new Date('2026-06-01T00:00:00Z');

    it('names each old reference by number, first author and year, and says how old it is', async () => {
      const old: Reference[] = [
        { ...REFS[0], title: 'Statins in the elderly', year: 2009, authors: ['Smith J'] },
        { ...REFS[1], title: 'Lipid trial', year: 2005, authors: ['Le Cesne A', 'Casali PG'] },
      ];
      const stale = [
        { n: 1, title: 'Statins in the elderly', year: 2009 },
        { n: 2, title: 'Lipid trial', year: 2005 },
      ];
      mockApi(() =>
        checks(
          { status: 'passed', details: { links: [] } },
          { staleness: { status: 'warning', details: { maxAgeYears: 10, stale } } },
        ),
      );
      show(old);
      const list = await screen.findByRole('list', { name: 'References older than the limit' });
      const year = new Date().getUTCFullYear();
      expect(
        within(list)
          .getAllByRole('listitem')
          .map((li) => li.textContent),
      ).toEqual([
        `Reference 1 (Smith 2009) is ${year - 2009} years old, over the limit of 10 years: Statins in the elderly`,
        `Reference 2 (Le Cesne et al. 2005) is ${year - 2005} years old, over the limit of 10 years: Lipid trial`,
      ]);
    });

    it("takes authors only from the same reference, and words a year's age and an unknown limit", () => {
      const stale = { n: 3, title: 'Statins in the elderly', year: 2025 };
      const other: Reference = { ...REFS[0], title: 'Another paper', authors: ['Jones K'] };
      expect(staleReferenceText(stale, null, other, AS_OF)).toBe(
        'Reference 3 (2025) is 1 year old: Statins in the elderly',
      );
      expect(staleReferenceText(stale, 0, { ...other, title: stale.title }, AS_OF)).toBe(
        'Reference 3 (Jones 2025) is 1 year old, over the limit of 0 years: Statins in the elderly',
      );
    });

    it('lists nothing while the check is pending or found nothing', async () => {
      mockApi(() =>
        checks(
          { status: 'passed', details: { links: [] } },
          {
            staleness: {
              status: 'pending',
              details: { maxAgeYears: 10, stale: [{ n: 1, title: 'ESMO', year: 2001 }] },
            },
          },
        ),
      );
      show();
      await screen.findByText('Reference age: pending');
      expect(screen.queryByRole('list', { name: 'References older than the limit' })).toBeNull();
    });
  });
});
