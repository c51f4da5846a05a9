import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Article, User } from '../api/types';
import { aSignoff, contentHashOf, EDITOR, mockApi, renderApp, REVIEWER, signInAs } from '../test/render';
import { allChecks } from '../test/fixtures';

const ID = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const ADMIN: User = {
  ...EDITOR,
  id: '99999999-9999-4999-8999-999999999999',
  email: 'admin@example.org',
  name: 'Ada Admin',
  roles: ['admin'],
};
const article: Article = {
  id: ID,
  slug: 'can-leiomyosarcoma-be-treated',
  state: 'approved',
  title: 'Can leiomyosarcoma be treated?',
  authorId: EDITOR.id,
  currentRevision: 2,
  currentContentHash: contentHashOf(2),
  changeClass: 'clinical',
  changes: [],
  publishedVersion: 1,
  reviewers: [],
  signoffs: [],
  checks: allChecks(),
  reviewDue: false,
  reviewDueReason: null,
  lastUpdated: '2026-01-02',
  lastReviewed: '2026-01-02',
  nextReviewDue: '2027-01-02',
  publishAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
};

describe('article overview', () => {
  it('shows each signature as its manifestation: name, credentials, meaning, date and time, and the signed hash', async () => {
    signInAs(EDITOR);
    const signed: Article = {
      ...article,
      reviewers: [
        {
          id: REVIEWER.id,
          name: 'Dr Rhea Viewer-Smith',
          credentials: 'MD',
          assignedAt: '2026-01-01T00:00:00Z',
          dueAt: null,
        },
      ],
      signoffs: [
        aSignoff({ revision: 2, contentHash: contentHashOf(2), signedAt: '2026-01-02T09:30:00.000Z' }),
        aSignoff({
          id: 's2',
          reviewer: { id: '77777777-7777-4777-8777-777777777777', name: 'Dr Grace Hopper', credentials: null },
          decision: 'request_changes',
          meaning: 'changes_requested',
          revision: 2,
          contentHash: contentHashOf(2),
          note: 'Cite the 2023 guideline.',
        }),
      ],
    };
    mockApi((call) => (call.method === 'GET' && call.path === `/articles/${ID}` ? { body: signed } : undefined));
    renderApp(`/articles/${ID}`);
    const list = await screen.findByRole('list', { name: 'Signatures' });
    const [approval, request] = within(list).getAllByRole('listitem');
    // The name as it was at signing (the reviewer list has since changed it).
    expect(approval.textContent).toMatch(
      /^Approved by Dr Rhea Viewer, MD, on 2 Jan 2026, \d\d:\d\d · revision 2, content a002a002a002$/,
    );
    expect(within(approval).getByText('a002a002a002').getAttribute('title')).toBe(contentHashOf(2));
    expect(approval.querySelector('time')?.getAttribute('datetime')).toBe('2026-01-02T09:30:00.000Z');
    expect(request.textContent).toContain('Changes requested by Dr Grace Hopper, on');
    expect(request.textContent).toContain('“Cite the 2023 guideline.”');
    expect(screen.getByRole('heading', { name: 'Signatures on revision 2' })).toBeTruthy();
  });

  it('archives only with a reason, and shows the answered state at once', async () => {
    signInAs(ADMIN);
    const { calls } = mockApi((call) => {
      if (call.method === 'GET' && call.path === `/articles/${ID}`) return { body: article };
      if (call.method === 'GET' && call.path === '/users') return { body: { items: [], nextCursor: null } };
      if (call.method === 'POST' && call.path === `/articles/${ID}/archive`)
        return { body: { ...article, state: 'archived' } };
      return undefined;
    });
    renderApp(`/articles/${ID}`);
    await userEvent.click(await screen.findByRole('button', { name: 'Archive' }));
    const dialog = await screen.findByRole('dialog', { name: `Archive: ${article.title}` });
    const confirm = within(dialog).getByRole<HTMLButtonElement>('button', { name: 'Archive' });
    expect(confirm.disabled).toBe(true);

    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      '  Superseded by the 2026 guideline ',
    );
    await userEvent.click(confirm);

    await waitFor(() => expect(screen.queryByRole('dialog', { name: `Archive: ${article.title}` })).toBeNull());
    expect(calls.filter((c) => c.method === 'POST')).toEqual([
      expect.objectContaining({
        path: `/articles/${ID}/archive`,
        body: { reason: 'Superseded by the 2026 guideline' },
      }),
    ]);
    // The answer is on the screen without another GET: archived articles cannot be archived again, nor edited.
    expect(await screen.findByText('Archived', { selector: '.mantine-Badge-label' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Archive' })).toBeNull();
    expect(calls.filter((c) => c.method === 'GET' && c.path === `/articles/${ID}`)).toHaveLength(1);
  });

  it('lets an admin open the re-review of a live article, and says why when the API refuses', async () => {
    signInAs(ADMIN);
    let refuse = true;
    const { calls } = mockApi((call) => {
      if (call.method === 'GET' && call.path === `/articles/${ID}`) return { body: article };
      if (call.method === 'GET' && call.path === '/users') return { body: { items: [], nextCursor: null } };
      if (call.method === 'POST' && call.path === `/articles/${ID}/re-review`) {
        if (refuse) {
          refuse = false;
          return {
            status: 409,
            body: {
              statusCode: 409,
              error: 'Conflict',
              code: 'invalid_transition',
              message: 'Only a live article whose current revision is the published one can be re-reviewed',
              details: { from: 'approved', action: 're_review', allowed: [] },
            },
          };
        }
        return { body: { ...article, state: 'under_review' } };
      }
      return undefined;
    });
    renderApp(`/articles/${ID}`);
    const open = await screen.findByRole('button', { name: 'Open a re-review' });
    await userEvent.click(open);
    expect((await screen.findByRole('alert')).textContent).toContain('current revision is the published one');
    await userEvent.click(screen.getByRole('button', { name: 'Open a re-review' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Open a re-review' })).toBeNull());
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
      `/articles/${ID}/re-review`,
      `/articles/${ID}/re-review`,
    ]);
  });
});
