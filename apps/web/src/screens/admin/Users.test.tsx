import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { User } from '../../api/types';
import { EDITOR, errorBody, mockApi, renderApp, REVIEWER, signInAs } from '../../test/render';

const ADMIN: User = {
  ...EDITOR,
  id: '99999999-9999-4999-8999-999999999999',
  email: 'admin@example.org',
  name: 'Ada Admin',
  roles: ['admin'],
};

describe('user admin', () => {
  it('checks a new account before sending it, then creates it and lists it', async () => {
    signInAs(ADMIN);
    const users: User[] = [ADMIN];
    const { calls } = mockApi((call) => {
      if (call.method === 'GET' && call.path === '/users') return { body: { items: users, nextCursor: null } };
      if (call.method === 'POST' && call.path === '/users') {
        const body = call.body as { email: string; name: string; credentials?: string };
        users.push({ ...REVIEWER, email: body.email, name: body.name, credentials: body.credentials ?? null });
        return { status: 201, body: users[users.length - 1] };
      }
      return undefined;
    });
    renderApp('/admin/users');
    await userEvent.click(await screen.findByRole('button', { name: 'New user' }));
    const dialog = await screen.findByRole('dialog', { name: 'New user' });
    await userEvent.click(within(dialog).getByRole('checkbox', { name: /Editor/ })); // no role left
    await userEvent.type(within(dialog).getByLabelText(/Initial password/), 'short');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create user' }));

    expect(await within(dialog).findByText('Enter an email address')).toBeTruthy();
    expect(within(dialog).getByText('Enter a name')).toBeTruthy();
    expect(within(dialog).getByText('At least 12 characters')).toBeTruthy();
    expect(within(dialog).getByText('Choose at least one role')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    await userEvent.type(within(dialog).getByRole('textbox', { name: /Email/ }), ' grace@example.org ');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'Dr Grace Hopper');
    await userEvent.type(within(dialog).getByLabelText(/Initial password/), ' and much longer');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: /Reviewer/ }));
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Credentials/ }), 'MD');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create user' }));

    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'New user' })).toBeNull());
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      email: 'grace@example.org',
      name: 'Dr Grace Hopper',
      password: 'short and much longer',
      roles: ['reviewer'],
      credentials: 'MD',
      specialties: [],
    });
    expect(await screen.findByRole('cell', { name: 'Dr Grace Hopper' })).toBeTruthy();
  });

  it('changes an account with PATCH, and shows why the API refused', async () => {
    signInAs(ADMIN);
    const { calls } = mockApi((call) => {
      if (call.method === 'GET' && call.path === '/users')
        return { body: { items: [ADMIN, REVIEWER], nextCursor: null } };
      if (call.method === 'PATCH') return errorBody(409, 'last_admin', 'The last active admin cannot be demoted');
      return undefined;
    });
    renderApp('/admin/users');
    await userEvent.click(await screen.findByRole('button', { name: `Edit ${REVIEWER.name}` }));
    const dialog = await screen.findByRole('dialog', { name: `Edit ${REVIEWER.name}` });
    expect(within(dialog).queryByRole('textbox', { name: /Email/ })).toBeNull();
    await userEvent.click(within(dialog).getByRole('switch', { name: /Active/ }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('The last active admin cannot be demoted');
    expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({
      path: `/users/${REVIEWER.id}`,
      body: { name: REVIEWER.name, roles: ['reviewer'], credentials: 'MD', specialties: [], active: false },
    });
  });
});
