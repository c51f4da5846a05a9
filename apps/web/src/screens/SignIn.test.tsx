import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { sessionStore } from '../api/client';
import { EDITOR, errorBody, mockApi, renderApp, signInAs } from '../test/render';

const emptyPage = { body: { items: [], nextCursor: null } };

describe('sign in', () => {
  it('sends a signed-out visitor of any screen to the sign-in form', async () => {
    mockApi(() => undefined);
    const { router } = renderApp('/articles/123/edit');
    expect(await screen.findByRole('heading', { name: 'Sign in to Imprimatur' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/sign-in');
  });

  it('puts the focus in the email field when the form opens', async () => {
    mockApi(() => undefined);
    renderApp('/sign-in');
    const email = await screen.findByLabelText(/Email/);
    await waitFor(() => expect(document.activeElement).toBe(email));
  });

  it('moves the focus to the first field to fill in, and to the password after a refusal, never to the page', async () => {
    mockApi((call) =>
      call.path === '/auth/login' ? errorBody(401, 'unauthenticated', 'Wrong email or password') : undefined,
    );
    renderApp('/sign-in');
    const email = await screen.findByLabelText(/Email/);
    const password = screen.getByLabelText<HTMLInputElement>(/Password/);
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(document.activeElement).toBe(email);
    await userEvent.type(email, 'ed@example.org');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(document.activeElement).toBe(password);
    await userEvent.type(password, 'wrong-password');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('alert');
    await waitFor(() => expect(document.activeElement).toBe(password));
    // Selected, so that typing again replaces the wrong password.
    expect([password.selectionStart, password.selectionEnd]).toEqual([0, 'wrong-password'.length]);
  });

  it('says which fields are missing without calling the API', async () => {
    const { fetchMock } = mockApi(() => undefined);
    renderApp('/sign-in');
    await userEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
    expect(screen.getByText('Enter your email address')).toBeTruthy();
    expect(screen.getByText('Enter your password')).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("shows the API's message in words when the password is wrong", async () => {
    mockApi((call) =>
      call.path === '/auth/login' ? errorBody(401, 'unauthenticated', 'Wrong email or password') : undefined,
    );
    renderApp('/sign-in');
    await userEvent.type(await screen.findByLabelText(/Email/), 'ed@example.org');
    await userEvent.type(screen.getByLabelText(/Password/), 'wrong-password');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not sign in');
    expect(alert.textContent).toContain('Wrong email or password');
    expect(alert.textContent).not.toContain('{');
    expect(sessionStore.read()).toBeNull();
  });

  it('signs in, keeps the token in sessionStorage, shows name and roles, returns to the screen asked for, and signs out', async () => {
    const { calls } = mockApi((call) => {
      if (call.path === '/auth/login')
        return {
          body: {
            accessToken: 'tok-9',
            tokenType: 'Bearer',
            expiresIn: 3600,
            user: { ...EDITOR, roles: ['editor', 'admin'] },
          },
        };
      if (call.path === '/articles') return emptyPage;
      return undefined;
    });
    const { router } = renderApp('/desk?tab=changes');
    await userEvent.type(await screen.findByLabelText(/Email/), ' ed@example.org ');
    await userEvent.type(screen.getByLabelText(/Password/), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: "Editor's desk" })).toBeTruthy();
    expect(router.state.location.pathname + router.state.location.search).toBe('/desk?tab=changes');
    expect(calls[0].body).toEqual({ email: 'ed@example.org', password: 'correct horse battery' });
    expect(sessionStore.read()?.token).toBe('tok-9');
    await waitFor(() =>
      expect(calls.some((c) => c.path === '/articles' && c.headers.authorization === 'Bearer tok-9')).toBe(true),
    );

    const banner = screen.getByRole('banner');
    expect(within(banner).getByText('Edith Editor')).toBeTruthy();
    expect(within(banner).getByText('Editor')).toBeTruthy();
    expect(within(banner).getByText('Admin')).toBeTruthy();

    await userEvent.click(within(banner).getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to Imprimatur' })).toBeTruthy();
    expect(sessionStore.read()).toBeNull();
  });

  it('goes back to sign-in, saying why, when the API answers 401 (token expired)', async () => {
    signInAs(EDITOR);
    mockApi((call) =>
      call.path === '/articles' ? errorBody(401, 'unauthenticated', 'The access token has expired') : undefined,
    );
    const { router } = renderApp('/desk');
    expect(await screen.findByRole('heading', { name: 'Sign in to Imprimatur' })).toBeTruthy();
    expect(screen.getByText('Your session has ended. Please sign in again.')).toBeTruthy();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(sessionStore.read()).toBeNull();
  });
});
