import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EDITOR, mockApi, renderApp, signInAs } from '../test/render';

const page = (unread: number) => ({ body: { items: [], nextCursor: null, unread } });

describe('notification bell', () => {
  it('names the unread count, shows it as a badge and leads to the notifications screen', async () => {
    signInAs(EDITOR);
    const { calls } = mockApi((call) => (call.path === '/me/notifications' ? page(3) : undefined));
    renderApp('/preferences');
    const bell = await screen.findByRole('link', { name: 'Notifications, 3 unread' });
    expect(bell.getAttribute('href')).toBe('/notifications');
    // The badge is for the eye: the label already says the number.
    const badge = bell.parentElement?.querySelector('[aria-hidden="true"].mantine-Indicator-indicator');
    expect(badge?.textContent).toBe('3');
    const asked = calls.find((c) => c.path === '/me/notifications');
    expect(new URLSearchParams(asked?.search).get('unread')).toBe('true');
  });

  it('shows no badge when everything is read, and stays a plain link while the count cannot be had', async () => {
    signInAs(EDITOR);
    mockApi((call) => (call.path === '/me/notifications' ? page(0) : undefined));
    const { unmount } = renderApp('/preferences');
    const bell = await screen.findByRole('link', { name: 'Notifications, 0 unread' });
    expect(bell.parentElement?.querySelector('.mantine-Indicator-indicator')).toBeNull();
    unmount();

    mockApi(() => undefined);
    renderApp('/preferences');
    await waitFor(() => expect(screen.getByRole('link', { name: 'Notifications' })).toBeTruthy());
  });
});
