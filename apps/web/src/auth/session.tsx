import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { onUnauthorized, sessionStore } from '../api/client';
import type { LoginResponse, Role, User } from '../api/types';

export interface SessionState {
  user: User | null;
  /** Why the last session ended, when it was not the user's own doing. */
  endedReason: string | null;
  signIn: (response: LoginResponse) => void;
  signOut: () => void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [user, setUser] = useState<User | null>(() => sessionStore.read<User>()?.user ?? null);
  const [endedReason, setEndedReason] = useState<string | null>(null);

  const signIn = useCallback(
    (response: LoginResponse) => {
      queryClient.clear();
      sessionStore.write({ token: response.accessToken, user: response.user });
      setEndedReason(null);
      setUser(response.user);
    },
    [queryClient],
  );

  const signOut = useCallback(() => {
    sessionStore.clear();
    queryClient.clear();
    setEndedReason(null);
    setUser(null);
  }, [queryClient]);

  useEffect(
    () =>
      onUnauthorized(() => {
        queryClient.clear();
        setEndedReason('Your session has ended. Please sign in again.');
        setUser(null);
      }),
    [queryClient],
  );

  const value = useMemo(() => ({ user, endedReason, signIn, signOut }), [user, endedReason, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user (inside RequireAuth only). */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error('useUser without a signed-in user');
  return user;
}

export const hasRole = (user: User | null, ...roles: Role[]): boolean =>
  !!user && roles.some((r) => user.roles.includes(r));

/** Where a user lands after signing in. */
export function homeFor(user: User): string {
  if (user.roles.includes('editor')) return '/desk';
  if (user.roles.includes('reviewer')) return '/reviews';
  return '/admin/articles';
}
