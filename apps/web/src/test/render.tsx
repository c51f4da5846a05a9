import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { vi } from 'vitest';
import { sessionStore } from '../api/client';
import type { Signoff, User } from '../api/types';
import { AppProviders, createQueryClient } from '../providers';
import { routes } from '../routes';

export const EDITOR: User = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'ed@example.org',
  name: 'Edith Editor',
  roles: ['editor'],
  credentials: null,
  specialties: [],
  active: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

export const REVIEWER: User = {
  ...EDITOR,
  id: '00000000-0000-4000-8000-000000000002',
  email: 'rev@example.org',
  name: 'Dr Rhea Viewer',
  roles: ['reviewer'],
  credentials: 'MD',
};

/** A well-formed content hash (64 hex digits) that tells revision `n` apart: 'a0003a0003…' for 3. */
export const contentHashOf = (n: number) => `a${n.toString(16).padStart(3, '0')}`.repeat(16);

/** A counted approval of revision 3 by REVIEWER, as the API shows it (contract §12). */
export const aSignoff = (over: Partial<Signoff> = {}): Signoff => ({
  id: 's1',
  reviewer: { id: REVIEWER.id, name: REVIEWER.name, credentials: REVIEWER.credentials },
  decision: 'approve',
  meaning: 'approval',
  revision: 3,
  contentHash: contentHashOf(3),
  signedAt: '2026-01-02T09:30:00.000Z',
  note: null,
  status: 'counted',
  ...over,
});

export function signInAs(user: User, token = 'test-token'): void {
  sessionStore.write({ token, user });
}

export interface Call {
  method: string;
  path: string;
  search: string;
  body: unknown;
  headers: Record<string, string>;
}

type Handler = (call: Call) => { status?: number; body?: unknown } | undefined;

/** A fake API: `handler` answers each call (undefined → 404 not_found); every call is recorded. */
export function mockApi(handler: Handler) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input, 'http://localhost');
    const call: Call = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      search: url.search,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      headers: (init?.headers ?? {}) as Record<string, string>,
    };
    calls.push(call);
    const answer = handler(call) ?? {
      status: 404,
      body: {
        statusCode: 404,
        error: 'Not Found',
        code: 'not_found',
        message: `No fake for ${call.method} ${call.path}`,
      },
    };
    const status = answer.status ?? 200;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}

export const errorBody = (statusCode: number, code: string, message: string, details?: unknown) => ({
  status: statusCode,
  body: { statusCode, error: 'Error', code, message, ...(details === undefined ? {} : { details }) },
});

/** The whole app (routes, providers) at `path`, as the browser would open it. */
export function renderApp(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } });
  const view = render(
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...view, router, queryClient };
}
