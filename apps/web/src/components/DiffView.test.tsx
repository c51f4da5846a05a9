import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import { createPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import type { RevisionDiff } from '../api/types';
import { DiffResult } from '../screens/Compare';
import { DiffView } from './DiffView';

// Exactly what the API's GET /articles/:id/diff sends: jsdiff's createPatch of two revisions' bodies.
const BEFORE = '# Treatment\nSurgery is the main treatment [1].\n\nOld paragraph to remove.';
const AFTER =
  '# Treatment\nSurgery is the main treatment [1], often with radiotherapy [2].\n\nA brand new paragraph.\nAnd another one.';
const PATCH = createPatch('body', BEFORE, AFTER, 'revision 1', 'revision 2');

describe('diff rendering', () => {
  it('marks insertions with <ins> and deletions with <del>, with words for screen readers', () => {
    render(<DiffView patch={PATCH} label="Changes to the body" />);
    const list = screen.getByRole('list', { name: 'Changes to the body' });
    const ins = [...list.querySelectorAll('ins')].map((e) => e.textContent);
    const del = [...list.querySelectorAll('del')].map((e) => e.textContent);
    // The changed sentence is compared word by word: only the words added to it are marked.
    const changed = list.querySelector('.row-changed');
    expect(changed?.textContent).toMatch(
      /^Surgery is the main treatment \[1\]\[inserted: , often with radiotherapy \[2\]\]\.$/,
    );
    expect(changed?.querySelector('del')).toBeNull();
    expect(ins).toContain('[inserted: , often with radiotherapy [2]]');
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
        added: [
          {
            n: 3,
            type: 'research',
            title: 'A 2024 trial',
            source: 'Lancet',
            year: 2024,
            url: 'https://example.org/t',
            doi: null,
            pmid: null,
          },
        ],
        removed: [
          {
            n: 4,
            type: 'other',
            title: 'A blog post',
            source: null,
            year: null,
            url: 'https://example.org/b',
            doi: null,
            pmid: null,
          },
        ],
        changed: [{ n: 1, before: { year: 2019 }, after: { year: 2021 } }],
      },
      variants: [],
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

  it("shows each audience's version compared, with the same diff view as the article's text", () => {
    const diff: RevisionDiff = {
      from: 1,
      to: 2,
      title: null,
      summary: '',
      body: '',
      references: { added: [], removed: [], changed: [] },
      variants: [
        {
          audience: 'patient',
          status: 'changed',
          title: { before: null, after: 'Can my cancer be treated?' },
          summary: '',
          body: createPatch(
            'patient body',
            'Surgery is the main treatment [1].',
            'Surgery is the main treatment [1]. Your doctor may also offer chemotherapy.',
            'revision 1',
            'revision 2',
          ),
        },
        {
          audience: 'caregiver',
          status: 'removed',
          title: null,
          summary: '',
          body: createPatch('caregiver body', 'How to help.', '', 'revision 1', 'revision 2'),
        },
      ],
    };
    render(
      <MantineProvider>
        <DiffResult diff={diff} />
      </MantineProvider>,
    );
    const patient = screen.getByRole('region', { name: 'Patient version' });
    expect(within(patient).getByText('changed')).toBeTruthy();
    // A variant without a title of its own had the article's.
    expect(patient.querySelector('del')?.textContent).toBe('[deleted: (the article’s title)]');
    expect(patient.querySelector('ins')?.textContent).toBe('[inserted: Can my cancer be treated?]');
    const body = within(patient).getByRole('list', { name: 'Changes to the patient body' });
    expect(body.querySelector('ins')?.textContent).toBe('[inserted:  Your doctor may also offer chemotherapy.]');
    const caregiver = screen.getByRole('region', { name: 'Caregiver version' });
    expect(caregiver.textContent).toContain('Removed in revision 2: these readers get the professional text.');
    expect(
      within(caregiver).getByRole('list', { name: 'Changes to the caregiver body' }).querySelector('del')?.textContent,
    ).toBe('[deleted line: How to help.]');
    // The article's own sections are there as before.
    expect(screen.getByRole('region', { name: 'Body' }).textContent).toContain('Unchanged.');
  });

  it('says so when nothing changed', () => {
    render(<DiffView patch="" label="Changes to the body" />);
    expect(screen.getByText('No changes.')).toBeTruthy();
  });
});
