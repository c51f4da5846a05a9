/** Signing in (contract §3): the session itself is kept by auth/session.tsx. */
import { useMutation } from '@tanstack/react-query';
import { api } from './client';
import type { components } from './schema.gen';
import type { LoginResponse } from './types';

export type LoginRequest = components['schemas']['LoginDto'];

/** `POST /auth/login`; a wrong password answers 401 with words to show. */
export function useLogin() {
  return useMutation({
    mutationFn: (credentials: LoginRequest) => api<LoginResponse>('/auth/login', { method: 'POST', body: credentials }),
  });
}
