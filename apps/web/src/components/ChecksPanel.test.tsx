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

const checks = (links: { status: string; details: Record<string, unknown> }) => ({
  body: {
    articleId: ID,
    revision: 2,
    checks: {
      citations: { status: 'passed', details: { problems: [], cited: [1, 2] }, updatedAt: '2026-01-01T00:00:00Z' },
      staleness: { status: 'passed', details: { maxAgeYears: 10, stale: [] }, updatedAt: '2026-01-01T00:00:00Z' },
      links: { ...links, updatedAt: null },
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

  it('pairs references with results by number and kind', () => {
    expect(linkRows(REFS, []).map((r) => `${r.n}:${r.kind}`)).toEqual(['1:url', '1:doi', '2:pmid']);
  });
});
