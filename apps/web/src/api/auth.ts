/** Signing in and out (contract §3, §19): the session itself is kept by auth/session.tsx. */
import { useMutation } from '@tanstack/react-query';
import { api } from './client';
import type { components } from './schema.gen';
import type { LoginResponse } from './types';

export type LoginRequest = components['schemas']['LoginDto'];

/** `POST /auth/login`; a wrong password answers 401 with words to show. It also sets the refresh cookie. */
export function useLogin() {
  return useMutation({
    mutationFn: (credentials: LoginRequest) => api<LoginResponse>('/auth/login', { method: 'POST', body: credentials }),
  });
}

const LOGOUT_TIMEOUT_MS = 5_000;

/**
 * `POST /auth/logout`: revokes the session of the refresh cookie, so that no tab opened later signs in
 * with it. Never rejects, and gives up after a few seconds: signing out goes on even when the API
 * cannot be reached (the cookie then lasts until REFRESH_TTL_HOURS run out).
 */
export async function logout(): Promise<void> {
  try {
    await api<void>('/auth/logout', { method: 'POST', signal: AbortSignal.timeout(LOGOUT_TIMEOUT_MS) });
  } catch {
    // See above.
  }
}
