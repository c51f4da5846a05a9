import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Article, User } from '../api/types';
import { allChecks } from '../test/fixtures';
import { contentHashOf, EDITOR, mockApi, renderApp, REVIEWER, signInAs } from '../test/render';

const ID = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
const ADMIN: User = { ...EDITOR, id: '99999999-9999-4999-8999-999999999999', name: 'Ada Admin', roles: ['admin'] };
const OTHER = { id: '77777777-7777-4777-8777-777777777777', name: 'Dr Grace Hopper', credentials: null };

const article: Article = {
  id: ID,
  slug: 'statins',
  state: 'under_review',
  title: 'Statins after sixty',
  authorId: EDITOR.id,
  currentRevision: 2,
  currentContentHash: contentHashOf(2),
  changeClass: null,
  changes: [],
  publishedVersion: null,
  reviewers: [
    {
      id: REVIEWER.id,
      name: REVIEWER.name,
      credentials: 'MD',
      assignedAt: '2020-01-01T00:00:00Z',
      dueAt: '2020-01-08T00:00:00Z',
    },
    { ...OTHER, assignedAt: '2020-01-01T00:00:00Z', dueAt: '2099-12-09T23:59:59.999Z' },
  ],
  signoffs: [],
  checks: allChecks(),
  reviewDue: false,
  reviewDueReason: null,
  lastUpdated: null,
  lastReviewed: null,
  nextReviewDue: null,
  publishAt: null,
  createdAt: '2020-01-01T00:00:00.000Z',
  updatedAt: '2020-01-01T00:00:00.000Z',
};

function api() {
  return mockApi((call) => {
    if (call.method === 'GET' && call.path === `/articles/${ID}`) return { body: article };
    if (call.method === 'GET' && call.path === '/users')
      return { body: { items: [{ ...REVIEWER, active: true }], nextCursor: null } };
    if (call.method === 'PUT' && call.path === `/articles/${ID}/reviewers`) return { body: article };
    return undefined;
  });
}

const reviewerList = async () => {
  const section = await screen.findByRole('region', { name: 'Review' });
  return within(section).getAllByRole('listitem');
};

describe('assigning reviewers with a due date', () => {
  it("shows each open review's due date on the overview, and says overdue in words", async () => {
    signInAs(ADMIN);
    api();
    renderApp(`/articles/${ID}`);
    const [late, onTime] = await reviewerList();
    expect(late.textContent).toContain('due 8 Jan 2020');
    expect(within(late).getByText('Overdue')).toBeTruthy();
    expect(onTime.textContent).toContain('due 9 Dec 2099');
    expect(within(onTime).queryByText('Overdue')).toBeNull();
  });

  it('sends dueAt as the end of the chosen day, UTC, and leaves it out when no day is chosen', async () => {
    signInAs(ADMIN);
    const { calls } = api();
    renderApp(`/articles/${ID}`);
    const save = await screen.findByRole<HTMLButtonElement>('button', { name: 'Save reviewers' });
    expect(save.disabled).toBe(true);
    const dueBy = screen.getByLabelText<HTMLInputElement>(/^Due by/);
    expect(dueBy.type).toBe('date');
    fireEvent.change(dueBy, { target: { value: '2026-12-09' } });
    await userEvent.click(save);
    const saved = await screen.findByText('Reviewers saved.');
    expect(dueBy.value).toBe('');
    // The button is disabled once saved: the outcome has the focus, not the page.
    await waitFor(() => expect(document.activeElement).toBe(saved));

    // Choosing other reviewers without a day keeps every review's due date.
    const picker = screen.getAllByLabelText(/^Reviewers/).find((el) => el.tagName === 'INPUT') as HTMLInputElement;
    await userEvent.click(picker);
    await userEvent.keyboard('{Backspace}');
    await waitFor(() => expect(save.disabled).toBe(false));
    await userEvent.click(save);
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(2));
    expect(calls.filter((c) => c.method === 'PUT').map((c) => c.body)).toEqual([
      { reviewerIds: [REVIEWER.id, OTHER.id], dueAt: '2026-12-09T23:59:59.999Z' },
      { reviewerIds: [REVIEWER.id] },
    ]);
  });
});

describe('choosing reviewers with the keyboard', () => {
  const THIRD: User = { ...REVIEWER, id: '88888888-8888-4888-8888-888888888888', name: 'Dr Barbara Liskov' };

  /** Three active reviewers, two of them (REVIEWER, OTHER) already assigned. */
  function threeReviewers() {
    signInAs(ADMIN);
    const fake = mockApi((call) => {
      if (call.method === 'GET' && call.path === `/articles/${ID}`) return { body: article };
      if (call.method === 'GET' && call.path === '/users')
        return {
          body: {
            items: [REVIEWER, { ...REVIEWER, ...OTHER }, THIRD].map((u) => ({ ...u, active: true })),
            nextCursor: null,
          },
        };
      if (call.method === 'PUT' && call.path === `/articles/${ID}/reviewers`) return { body: article };
      return undefined;
    });
    renderApp(`/articles/${ID}`);
    return fake;
  }
  const savedIds = async (calls: { method: string; body: unknown }[]) => {
    await userEvent.click(screen.getByRole('button', { name: 'Save reviewers' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(1));
    return calls.find((c) => c.method === 'PUT')?.body;
  };
  const picker = async () => {
    await screen.findByRole('button', { name: 'Save reviewers' });
    return screen.getAllByLabelText(/^Reviewers/).find((el) => el.tagName === 'INPUT') as HTMLInputElement;
  };

  it('adds the highlighted reviewer on Enter and leaves the reviewers already chosen as they were', async () => {
    const { calls } = threeReviewers();
    await userEvent.click(await picker());
    // Only the reviewer not yet chosen is offered: Enter cannot take a chosen one off.
    const options = screen.getAllByRole('option', { hidden: true });
    expect(options.map((o) => o.textContent)).toEqual([THIRD.name + ', MD']);
    await userEvent.keyboard('{ArrowDown}{Enter}{Escape}');
    expect(await savedIds(calls)).toEqual({ reviewerIds: [REVIEWER.id, OTHER.id, THIRD.id] });
  });

  it('adds the first match of what was typed on Enter', async () => {
    const { calls } = threeReviewers();
    await userEvent.click(await picker());
    await userEvent.keyboard('Lisk{Enter}');
    expect(await savedIds(calls)).toEqual({ reviewerIds: [REVIEWER.id, OTHER.id, THIRD.id] });
  });
});
