import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Task, User } from '../api/types';
import { EDITOR, mockApi, renderApp, REVIEWER, signInAs } from '../test/render';

const ADMIN: User = { ...EDITOR, id: '99999999-9999-4999-8999-999999999999', name: 'Ada Admin', roles: ['admin'] };

const task = (over: Partial<Task> & Pick<Task, 'kind' | 'articleId' | 'title'>): Task => ({
  revision: 2,
  dueAt: '2026-12-09T23:59:59.999Z',
  overdue: false,
  since: '2026-12-01T09:00:00.000Z',
  ...over,
});

function api(tasks: Task[]) {
  return mockApi((call) => {
    if (call.path === '/me/tasks') return { body: { items: tasks } };
    if (call.path === '/articles') return { body: { items: [], nextCursor: null } };
    return undefined;
  });
}

const waiting = () => screen.getByRole('region', { name: 'Waiting on you' });
const rows = async () => {
  await waitFor(() => expect(within(waiting()).queryAllByRole('listitem').length).toBeGreaterThan(0));
  return within(waiting()).getAllByRole('listitem');
};

describe('waiting on you', () => {
  it("heads the reviewer queue in the API's order, each in words, linked to its screen, overdue said in text", async () => {
    signInAs(REVIEWER);
    api([
      task({ kind: 'review', articleId: 'a1', title: 'Late one', overdue: true, dueAt: '2026-01-05T23:59:59.999Z' }),
      task({ kind: 're_review', articleId: 'a2', title: 'Due for re-review' }),
      task({ kind: 'review', articleId: 'a3', title: 'No date yet', dueAt: null }),
    ]);
    renderApp('/reviews');
    const [late, again, undated] = await rows();
    expect(within(late).getByText('Review')).toBeTruthy();
    expect(within(late).getByRole('link', { name: 'Late one' }).getAttribute('href')).toBe('/articles/a1/review');
    expect(late.textContent).toContain('due 5 Jan 2026');
    expect(within(late).getByText('Overdue')).toBeTruthy();

    expect(within(again).getByText('Re-review')).toBeTruthy();
    expect(within(again).getByRole('link', { name: 'Due for re-review' }).getAttribute('href')).toBe(
      '/articles/a2/review',
    );
    expect(again.textContent).toContain('Revision 2 · due 9 Dec 2026 · waiting since 1 Dec 2026');
    expect(within(again).queryByText('Overdue')).toBeNull();
    expect(undated.textContent).toContain('no due date');
  });

  it('heads the desk with what the editor must revise', async () => {
    signInAs(EDITOR);
    api([task({ kind: 'revise', articleId: 'a4', title: 'Back from the board' })]);
    renderApp('/desk');
    const [row] = await rows();
    expect(within(row).getByText('Revise')).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'Back from the board' }).getAttribute('href')).toBe(
      '/articles/a4/edit',
    );
  });

  it("sends an admin to the article's overview to assign reviewers or open a re-review", async () => {
    signInAs(ADMIN);
    api([
      task({ kind: 'assign', articleId: 'a5', title: 'Needs reviewers' }),
      task({ kind: 're_review', articleId: 'a6', title: 'Due again' }),
    ]);
    renderApp('/admin/articles');
    const [assign, again] = await rows();
    expect(within(assign).getByText('Assign reviewers')).toBeTruthy();
    expect(within(assign).getByRole('link', { name: 'Needs reviewers' }).getAttribute('href')).toBe('/articles/a5');
    expect(within(again).getByRole('link', { name: 'Due again' }).getAttribute('href')).toBe('/articles/a6');
  });

  it('says so when nothing is waiting', async () => {
    signInAs(REVIEWER);
    api([]);
    renderApp('/reviews');
    expect(
      await within(await screen.findByRole('region', { name: 'Waiting on you' })).findByText(
        'Nothing is waiting on you.',
      ),
    ).toBeTruthy();
  });
});
