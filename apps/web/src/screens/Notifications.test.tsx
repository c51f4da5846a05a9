import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { UserNotification } from '../api/types';
import { mockApi, renderApp, REVIEWER, signInAs, type Call } from '../test/render';

const A1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';

const note = (n: number, over: Partial<UserNotification> = {}): UserNotification => ({
  id: `0000000${n}-0000-4000-8000-000000000000`,
  kind: 'review.assigned',
  articleId: A1,
  revision: 2,
  title: 'Can leiomyosarcoma be treated?',
  message: `Message ${n}`,
  path: `/app/articles/${A1}/review`,
  data: {},
  createdAt: `2026-03-0${n}T09:00:00.000Z`,
  readAt: null,
  ...over,
});

/** A fake notifications API over `items` (newest first), two per page, that marks read as asked. */
function notificationsApi(items: UserNotification[]) {
  const unreadCount = () => items.filter((n) => n.readAt === null).length;
  return mockApi((call: Call) => {
    if (call.method === 'GET' && call.path === '/me/notifications') {
      const q = new URLSearchParams(call.search);
      const list = q.get('unread') === 'true' ? items.filter((n) => n.readAt === null) : items;
      const start = Number(q.get('cursor') ?? 0);
      const size = Math.min(Number(q.get('limit')), 2);
      const next = start + size < list.length ? String(start + size) : null;
      return { body: { items: list.slice(start, start + size), nextCursor: next, unread: unreadCount() } };
    }
    if (call.method === 'POST' && call.path === '/me/notifications/read') {
      const body = call.body as { ids?: string[]; all?: true };
      let marked = 0;
      items.forEach((n, i) => {
        if (n.readAt === null && (body.all || body.ids?.includes(n.id))) {
          items[i] = { ...n, readAt: '2026-03-09T10:00:00.000Z' };
          marked += 1;
        }
      });
      return { body: { marked, unread: unreadCount() } };
    }
    return undefined;
  });
}

const list = () => screen.getByRole('list', { name: 'Notifications' });

describe('notifications', () => {
  it('lists them newest first, says which are unread in words, and pages on with the cursor', async () => {
    signInAs(REVIEWER);
    const { calls } = notificationsApi([note(3), note(2, { readAt: '2026-03-02T10:00:00.000Z' }), note(1)]);
    renderApp('/notifications');
    expect(await screen.findByRole('heading', { name: 'Notifications', level: 1 })).toBeTruthy();
    await waitFor(() => expect(within(list()).getAllByRole('listitem')).toHaveLength(2));
    const [first, second] = within(list()).getAllByRole('listitem');
    expect(within(first).getByText('Unread')).toBeTruthy();
    expect(first.textContent).toContain('Can leiomyosarcoma be treated? · revision 2');
    expect(first.querySelector('time')?.getAttribute('datetime')).toBe('2026-03-03T09:00:00.000Z');
    expect(within(second).queryByText('Unread')).toBeNull();
    expect(screen.getByText('2 unread.')).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(within(list()).getAllByRole('listitem')).toHaveLength(3));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    const pages = calls.filter((c) => c.path === '/me/notifications' && new URLSearchParams(c.search).has('cursor'));
    expect(new URLSearchParams(pages[0]?.search).get('cursor')).toBe('2');
  });

  it('leads each to its screen inside the app, marking it read on the way', async () => {
    signInAs(REVIEWER);
    const { calls } = notificationsApi([note(1)]);
    const { router } = renderApp('/notifications');
    const link = await screen.findByRole('link', { name: 'Message 1' });
    // The router is mounted at /app: the API's path loses that prefix.
    expect(link.getAttribute('href')).toBe(`/articles/${A1}/review`);
    await userEvent.click(link);
    await waitFor(() => expect(router.state.location.pathname).toBe(`/articles/${A1}/review`));
    await waitFor(() =>
      expect(calls.filter((c) => c.method === 'POST')).toEqual([
        expect.objectContaining({ path: '/me/notifications/read', body: { ids: [note(1).id] } }),
      ]),
    );
    // The bell hears of it.
    expect(await screen.findByRole('link', { name: 'Notifications, 0 unread' })).toBeTruthy();
  });

  it('marks all read, and shows only the unread ones when asked, keeping that in the URL', async () => {
    signInAs(REVIEWER);
    const { calls } = notificationsApi([note(2), note(1, { readAt: '2026-03-01T10:00:00.000Z' })]);
    const { router } = renderApp('/notifications');
    await waitFor(() => expect(within(list()).getAllByRole('listitem')).toHaveLength(2));

    await userEvent.click(screen.getByRole('switch', { name: 'Unread only' }));
    await waitFor(() => expect(within(list()).getAllByRole('listitem')).toHaveLength(1));
    expect(router.state.location.search).toBe('?unread=true');
    expect(within(list()).getByRole('link', { name: 'Message 2' })).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Mark all read' }));
    expect(await screen.findByText('No unread notifications.')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([{ all: true }]);
    expect(screen.getByText('All read.')).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Mark all read' }).disabled).toBe(true);
    expect(await screen.findByRole('link', { name: 'Notifications, 0 unread' })).toBeTruthy();
  });
});
