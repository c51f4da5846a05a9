import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RevisionDiff } from '../api/types';
import { DiffResult } from '../screens/Compare';
import { DiffView } from './DiffView';

// What `diff`'s createPatch (the API's GET /articles/:id/diff) produces.
const PATCH = `Index: body
===================================================================
--- body\trevision 1
+++ body\trevision 2
@@ -1,4 +1,4 @@
 # Treatment
-Surgery is the main treatment [1].
+Surgery is the main treatment [1], often with radiotherapy [2].
 
-Old paragraph to remove.
+A brand new paragraph.
+And another one.
\\ No newline at end of file
`;

describe('diff rendering', () => {
  it('marks insertions with <ins> and deletions with <del>, with words for screen readers', () => {
    render(<DiffView patch={PATCH} label="Changes to the body" />);
    const list = screen.getByRole('list', { name: 'Changes to the body' });
    const ins = [...list.querySelectorAll('ins')].map((e) => e.textContent);
    const del = [...list.querySelectorAll('del')].map((e) => e.textContent);
    // The changed sentence is compared word by word.
    expect(del).toContain('[deleted: [1].]');
    expect(ins).toContain('[inserted: [1], often with radiotherapy [2].]');
    expect(list.querySelector('.row-changed')?.textContent).toMatch(/^Surgery is the main treatment /);
    expect(del).toContain('[deleted: Old paragraph to remove.]');
    expect(ins).toContain('[inserted: A brand new paragraph.]');
    expect(ins).toContain('[inserted line: And another one.]');
    // Unchanged lines are shown plain; the patch header and "\\ No newline" are not shown.
    expect(within(list).getByText('# Treatment')).toBeTruthy();
    expect(list.textContent).not.toContain('Index: body');
    expect(list.textContent).not.toContain('No newline');
    // The screen-reader words are visually hidden, the change itself is visible.
    const hidden = list.querySelector('ins .visually-hidden');
    expect(hidden?.textContent).toMatch(/^\[inserted/);
  });

  it('shows the whole comparison: title, body and references added, removed and changed', () => {
    const diff: RevisionDiff = {
      from: 1,
      to: 2,
      title: { before: 'Old title', after: 'New title' },
      summary: '',
      body: PATCH,
      references: {
        added: [{ n: 3, type: 'research', title: 'A 2024 trial', source: 'Lancet', year: 2024, url: 'https://example.org/t', doi: null, pmid: null }],
        removed: [{ n: 4, type: 'other', title: 'A blog post', source: null, year: null, url: 'https://example.org/b', doi: null, pmid: null }],
        changed: [{ n: 1, before: { year: 2019 }, after: { year: 2021 } }],
      },
    };
    render(
      <MantineProvider>
        <DiffResult diff={diff} />
      </MantineProvider>,
    );
    const title = screen.getByRole('region', { name: 'Title' });
    expect(title.querySelector('del')?.textContent).toBe('[deleted: Old title]');
    expect(title.querySelector('ins')?.textContent).toBe('[inserted: New title]');
    const refs = screen.getByRole('region', { name: 'References' });
    expect(within(refs).getByText('A 2024 trial')).toBeTruthy();
    expect(refs.querySelector('del')?.textContent).toContain('Reference 4: A blog post');
    const row = within(refs).getByRole('row', { name: /Year/ });
    expect(row.querySelector('del')?.textContent).toContain('2019');
    expect(row.querySelector('ins')?.textContent).toContain('2021');
  });

  it('says so when nothing changed', () => {
    render(<DiffView patch="" label="Changes to the body" />);
    expect(screen.getByText('No changes.')).toBeTruthy();
  });
});
