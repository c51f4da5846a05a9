import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Article } from '../api/types';
import { aSignoff, contentHashOf, EDITOR, mockApi, renderApp, signInAs } from '../test/render';
import { allChecks } from '../test/fixtures';

const base: Omit<Article, 'id' | 'title' | 'state'> = {
  slug: 's',
  authorId: EDITOR.id,
  currentRevision: 1,
  currentContentHash: contentHashOf(1),
  changeClass: null,
  changes: [],
  publishedVersion: null,
  reviewers: [],
  signoffs: [],
  checks: allChecks(),
  reviewDue: false,
  reviewDueReason: null,
  lastUpdated: null,
  lastReviewed: null,
  nextReviewDue: null,
  publishAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe("editor's desk", () => {
  it("groups my articles and quotes the reviewers' reasons for changes", async () => {
    signInAs(EDITOR);
    const { calls } = mockApi((call) =>
      call.path === '/articles'
        ? {
            body: {
              items: [
                { ...base, id: 'a1', title: 'Draft one', state: 'draft' },
                {
                  ...base,
                  id: 'a2',
                  title: 'Needs work',
                  state: 'changes_requested',
                  reviewers: [
                    {
                      id: 'r1',
                      name: 'Dr Rhea Adams-Baker',
                      credentials: 'MD, PhD',
                      assignedAt: '2026-01-01T00:00:00Z',
                    },
                  ],
                  signoffs: [
                    aSignoff({
                      // Signed under the name they had then: the quote keeps it, whatever the reviewer list says now.
                      reviewer: { id: 'r1', name: 'Dr Rhea Adams', credentials: 'MD' },
                      revision: 1,
                      contentHash: contentHashOf(1),
                      decision: 'request_changes',
                      meaning: 'changes_requested',
                      note: 'Cite the 2023 review.',
                    }),
                  ],
                },
                {
                  ...base,
                  id: 'a3',
                  title: 'Live and due',
                  state: 'approved',
                  publishedVersion: 2,
                  reviewDue: true,
                  nextReviewDue: '2026-01-01',
                },
              ],
              nextCursor: null,
            },
          }
        : undefined,
    );
    renderApp('/desk');
    expect(await screen.findByRole('tab', { name: 'Drafts (1)' })).toBeTruthy();
    expect(calls.find((c) => c.path === '/articles')?.search).toContain(`authorId=${EDITOR.id}`);
    expect(screen.getByRole('link', { name: 'Draft one' })).toBeTruthy();

    await userEvent.click(screen.getByRole('tab', { name: 'Changes requested (1)' }));
    const quote = await screen.findByText('Cite the 2023 review.');
    expect(quote.closest('blockquote')?.textContent).toContain('Dr Rhea Adams, MD, on revision 1 (2 Jan 2026)');

    await userEvent.click(screen.getByRole('tab', { name: /Published \(1\), 1 due for review/ }));
    const card = (await screen.findByRole('link', { name: 'Live and due' })).closest('li') as HTMLElement;
    expect(within(card).getByText('Review due')).toBeTruthy();
  });

  it('says when a live article is due for review because a paper it cites was retracted', async () => {
    signInAs(EDITOR);
    mockApi((call) =>
      call.path === '/articles'
        ? {
            body: {
              items: [
                {
                  ...base,
                  id: 'a4',
                  title: 'Cites a retracted paper',
                  state: 'approved',
                  publishedVersion: 1,
                  reviewDue: true,
                  reviewDueReason: 'retraction',
                },
              ],
              nextCursor: null,
            },
          }
        : undefined,
    );
    renderApp('/desk');
    await userEvent.click(await screen.findByRole('tab', { name: /Published \(1\), 1 due for review/ }));
    const card = (await screen.findByRole('link', { name: 'Cites a retracted paper' })).closest('li') as HTMLElement;
    expect(within(card).getByText('Review due: a cited paper was retracted')).toBeTruthy();
  });

  it('shows how many blocking comments are open on each article, leading to the editor where they are', async () => {
    signInAs(EDITOR);
    mockApi((call) =>
      call.path === '/articles'
        ? {
            body: {
              items: [
                { ...base, id: 'a5', title: 'Two to answer', state: 'changes_requested', openBlockingComments: 2 },
                { ...base, id: 'a6', title: 'One to answer', state: 'changes_requested', openBlockingComments: 1 },
                { ...base, id: 'a7', title: 'Nothing open', state: 'changes_requested', openBlockingComments: 0 },
              ],
              nextCursor: null,
            },
          }
        : undefined,
    );
    renderApp('/desk');
    await userEvent.click(await screen.findByRole('tab', { name: 'Changes requested (3)' }));
    const card = (title: string) => screen.getByRole('link', { name: title }).closest('li') as HTMLElement;
    await screen.findByRole('link', { name: 'Two to answer' });
    const two = within(card('Two to answer')).getByRole('link', { name: '2 open blocking comments' });
    expect(two.getAttribute('href')).toBe('/articles/a5/edit');
    expect(card('Two to answer').textContent).toContain('approval waits for them');
    expect(within(card('One to answer')).getByRole('link', { name: '1 open blocking comment' })).toBeTruthy();
    expect(within(card('Nothing open')).queryByText(/open blocking/)).toBeNull();
  });
});
