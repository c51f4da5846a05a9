import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Reference } from '../api/types';
import { mockApi } from '../test/render';
import { ChecksPanel, linkRows } from './ChecksPanel';

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
      ...Object.fromEntries(
        Object.entries(more).map(([name, check]) => [name, { ...check, updatedAt: '2026-01-01T00:00:00Z' }]),
      ),
    },
  },
});

function show() {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <ChecksPanel articleId={ID} references={REFS} canRerun={false} />
      </QueryClientProvider>
    </MantineProvider>,
  );
}

describe('checks panel', () => {
  it('lists every link of every reference; without a result a link is pending, never passed', async () => {
    mockApi(() => checks({ status: 'pending', details: {} }));
    show();
    const table = await screen.findByRole('table');
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
    const table = await screen.findByRole('table');
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

  it('pairs references with results by number and kind', () => {
    expect(linkRows(REFS, []).map((r) => `${r.n}:${r.kind}`)).toEqual(['1:url', '1:doi', '2:pmid']);
  });
});
