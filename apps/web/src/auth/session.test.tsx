import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionStore } from '../api/client';
import { EDITOR, errorBody, mockApi, renderApp, signInAs, type Call } from '../test/render';

/** The path a fake fetch was called with (the client passes strings). */
const urlOf = (input: unknown) =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : (input as Request).url;
const emptyPage = { body: { items: [], nextCursor: null } };
const renewed = (token: string, user = EDITOR) => ({
  body: { accessToken: token, tokenType: 'Bearer', expiresIn: 3600, user },
});
const expired = errorBody(401, 'unauthenticated', 'Access token is invalid or expired');
const refreshes = (calls: Call[]) => calls.filter((c) => c.method === 'POST' && c.path === '/auth/refresh');

/** What another tab's sign-in leaves behind in this browser: the hint (and, on the API's side, the cookie). */
const signedInElsewhere = () => sessionStore.markRestorable();

describe('sessions across tabs and reloads (contract §19)', () => {
  afterEach(() => localStorage.clear());

  it('a new tab with no token of its own but a live refresh cookie is signed in, and stays on its screen', async () => {
    signedInElsewhere();
    const { calls, fetchMock } = mockApi((call) => {
      if (call.path === '/auth/refresh') return renewed('tok-from-cookie');
      if (call.path === '/articles') return emptyPage;
      return undefined;
    });
    const { router } = renderApp('/desk?tab=changes');

    expect(await screen.findByRole('heading', { name: "Editor's desk" })).toBeTruthy();
    expect(router.state.location.pathname + router.state.location.search).toBe('/desk?tab=changes');
    expect(refreshes(calls)).toHaveLength(1);
    const [, init] = fetchMock.mock.calls.find(([url]) => urlOf(url) === '/auth/refresh') as [string, RequestInit];
    expect(init.credentials).toBe('same-origin');
    expect(sessionStore.read()).toEqual({ token: 'tok-from-cookie', user: EDITOR });
    await waitFor(() =>
      expect(calls.some((c) => c.path === '/articles' && c.headers.authorization === 'Bearer tok-from-cookie')).toBe(
        true,
      ),
    );
    expect(within(screen.getByRole('banner')).getByText('Edith Editor')).toBeTruthy();
  });

  it('a new tab whose cookie no longer works goes to sign-in without a word about an ended session', async () => {
    signedInElsewhere();
    const { calls } = mockApi((call) => (call.path === '/auth/refresh' ? expired : undefined));
    const { router } = renderApp('/desk');
    expect(await screen.findByRole('heading', { name: 'Sign in to Imprimatur' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(screen.queryByText(/session has ended/)).toBeNull();
    expect(refreshes(calls)).toHaveLength(1);
    // The hint is gone: the next tab does not ask again.
    expect(sessionStore.mayRestore()).toBe(false);
  });

  it('a browser that never signed in (or signed out) is not asked to refresh', async () => {
    const { fetchMock } = mockApi(() => undefined);
    renderApp('/desk');
    expect(await screen.findByRole('heading', { name: 'Sign in to Imprimatur' })).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('an expired access token: one refresh, every refused call sent again with the new token', async () => {
    signInAs(EDITOR, 'tok-old');
    const { calls } = mockApi((call) => {
      if (call.path === '/auth/refresh') return renewed('tok-new');
      if (call.headers.authorization === 'Bearer tok-old') return expired;
      if (call.path === '/articles') return emptyPage;
      return undefined;
    });
    renderApp('/desk');
    expect(await screen.findByRole('heading', { name: "Editor's desk" })).toBeTruthy();
    await waitFor(() =>
      expect(calls.some((c) => c.path === '/articles' && c.headers.authorization === 'Bearer tok-new')).toBe(true),
    );
    const refused = calls.filter((c) => c.headers.authorization === 'Bearer tok-old');
    expect(refused.length).toBeGreaterThan(0);
    for (const call of refused) {
      expect(calls.some((c) => c.path === call.path && c.headers.authorization === 'Bearer tok-new')).toBe(true);
    }
    expect(refreshes(calls)).toHaveLength(1);
    expect(sessionStore.read()?.token).toBe('tok-new');
    expect(screen.queryByText(/session has ended/)).toBeNull();
  });

  it('a refused refresh ends the session as before: sign-in, saying why', async () => {
    signInAs(EDITOR, 'tok-old');
    const { calls } = mockApi((call) =>
      call.path === '/auth/refresh' || call.path === '/articles' ? expired : undefined,
    );
    const { router } = renderApp('/desk');
    expect(await screen.findByRole('heading', { name: 'Sign in to Imprimatur' })).toBeTruthy();
    expect(screen.getByText('Your session has ended. Please sign in again.')).toBeTruthy();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(sessionStore.read()).toBeNull();
    expect(refreshes(calls)).toHaveLength(1);
  });

  it('sign-out revokes the session on the API (POST /auth/logout) before leaving', async () => {
    signInAs(EDITOR, 'tok-1');
    sessionStore.markRestorable();
    let release: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (release = resolve));
    const { calls, fetchMock } = mockApi((call) => (call.path === '/articles' ? emptyPage : undefined));
    const fake = fetchMock.getMockImplementation()!;
    // The logout answers only when the test says so, to see that the tab waits for it.
    fetchMock.mockImplementation(async (input, init) => {
      if (urlOf(input) === '/auth/logout') await answered;
      return fake(input, init);
    });
    renderApp('/desk');
    await userEvent.click(within(await screen.findByRole('banner')).getByRole('button', { name: 'Sign out' }));

    await waitFor(() => expect(fetchMock.mock.calls.some(([url]) => urlOf(url) === '/auth/logout')).toBe(true));
    const [, init] = fetchMock.mock.calls.find(([url]) => urlOf(url) === '/auth/logout') as [string, RequestInit];
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(sessionStore.read()?.token).toBe('tok-1');
    release();
    expect(await screen.findByRole('heading', { name: 'Sign in to Imprimatur' })).toBeTruthy();
    expect(sessionStore.read()).toBeNull();
    expect(sessionStore.mayRestore()).toBe(false);
    expect(screen.queryByText(/session has ended/)).toBeNull();
    expect(calls.filter((c) => c.path === '/auth/logout')).toHaveLength(1);
  });

  it('sign-out goes on when the API cannot be reached', async () => {
    signInAs(EDITOR, 'tok-1');
    const { fetchMock } = mockApi((call) => (call.path === '/articles' ? emptyPage : undefined));
    const fake = fetchMock.getMockImplementation()!;
    fetchMock.mockImplementation(async (input, init) => {
      if (urlOf(input) === '/auth/logout') throw new TypeError('Failed to fetch');
      return fake(input, init);
    });
    renderApp('/desk');
    await userEvent.click(within(await screen.findByRole('banner')).getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to Imprimatur' })).toBeTruthy();
    expect(sessionStore.read()).toBeNull();
  });
});
