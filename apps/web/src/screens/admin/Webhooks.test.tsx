import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { User, Webhook } from '../../api/types';
import { EDITOR, mockApi, renderApp, signInAs } from '../../test/render';

const ADMIN: User = {
  ...EDITOR,
  id: '99999999-9999-4999-8999-999999999999',
  email: 'admin@example.org',
  name: 'Ada Admin',
  roles: ['admin'],
};
const HOOK: Webhook = {
  id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  url: 'https://hooks.example.org/imprimatur',
  events: ['article.published'],
  active: true,
  disabledAt: null,
  disabledReason: null,
  createdAt: '2026-01-01T00:00:00Z',
};

describe('webhooks', () => {
  it('checks a subscription before sending it, then shows its secret once and lists it', async () => {
    signInAs(ADMIN);
    const hooks: Webhook[] = [];
    const { calls } = mockApi((call) => {
      if (call.method === 'GET' && call.path === '/webhooks') return { body: { items: hooks, nextCursor: null } };
      if (call.method === 'POST' && call.path === '/webhooks') {
        hooks.push({ ...HOOK, ...(call.body as Partial<Webhook>) });
        return { status: 201, body: { ...hooks[0], secret: 'whsec_c2VjcmV0' } };
      }
      return undefined;
    });
    renderApp('/admin/webhooks');
    const form = await screen.findByRole('form', { name: 'New subscription' });
    await userEvent.type(within(form).getByRole('textbox', { name: /URL/ }), 'hooks.example.org');
    await userEvent.click(within(form).getByRole('checkbox', { name: 'article.published' }));
    await userEvent.click(within(form).getByRole('checkbox', { name: 'article.unpublished' }));
    await userEvent.click(within(form).getByRole('button', { name: 'Subscribe' }));
    expect(await within(form).findByText('Enter the receiver’s full address, starting with https://')).toBeTruthy();
    expect(within(form).getByText('Choose at least one event')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    const url = within(form).getByRole('textbox', { name: /URL/ });
    await userEvent.clear(url);
    await userEvent.type(url, ' https://hooks.example.org/imprimatur ');
    await userEvent.click(within(form).getByRole('checkbox', { name: 'article.review_due' }));
    await userEvent.click(within(form).getByRole('button', { name: 'Subscribe' }));

    expect((await screen.findByLabelText('Signing secret')).textContent).toBe('whsec_c2VjcmV0');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      url: 'https://hooks.example.org/imprimatur',
      events: ['article.review_due'],
    });
    expect(await screen.findByRole('cell', { name: 'article.review_due' })).toBeTruthy();
    expect(within(form).getByRole<HTMLInputElement>('textbox', { name: /URL/ }).value).toBe('');
  });

  it('deletes a subscription after asking', async () => {
    signInAs(ADMIN);
    let hooks = [HOOK];
    const { calls } = mockApi((call) => {
      if (call.method === 'GET' && call.path === '/webhooks') return { body: { items: hooks, nextCursor: null } };
      if (call.method === 'DELETE' && call.path === `/webhooks/${HOOK.id}`) {
        hooks = [];
        return { status: 204 };
      }
      return undefined;
    });
    renderApp('/admin/webhooks');
    await userEvent.click(await screen.findByRole('button', { name: `Delete the subscription of ${HOOK.url}` }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this subscription?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete subscription' }));
    expect(await screen.findByText('No subscriptions.')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Delete this subscription?' })).toBeNull());
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
  });
});
