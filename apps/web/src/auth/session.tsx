import { Center, Loader, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { logout } from '../api/auth';
import { onSessionRenewed, onUnauthorized, refreshSession, sessionStore } from '../api/client';
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
  // A new tab (or a reload after the tab was closed) has no access token, but the browser may still
  // hold the refresh cookie (contract §19): ask once before sending anyone to sign in.
  const [restoring, setRestoring] = useState(() => sessionStore.read() === null && sessionStore.mayRestore());

  useEffect(() => {
    if (!restoring) return;
    let current = true;
    void refreshSession().then((session) => {
      if (!current) return;
      if (session) setUser(session.user as User);
      // A refused refresh means the cookie is gone or revoked: ask no more until the next sign-in.
      else sessionStore.clear();
      setRestoring(false);
    });
    return () => {
      current = false;
    };
  }, [restoring]);

  useEffect(
    () =>
      onSessionRenewed((session, previous) => {
        const renewed = session.user as User;
        // Another tab signed in as someone else, and the cookie is theirs now: nothing cached is this user's.
        if (previous && (previous.user as User | null)?.id !== renewed.id) queryClient.clear();
        setUser(renewed);
      }),
    [queryClient],
  );

  const signIn = useCallback(
    (response: LoginResponse) => {
      queryClient.clear();
      sessionStore.write({ token: response.accessToken, user: response.user });
      sessionStore.markRestorable();
      setEndedReason(null);
      setUser(response.user);
    },
    [queryClient],
  );

  // The session is revoked on the API first: a tab opened while it is still live would sign in again.
  const signOut = useCallback(() => {
    void logout().then(() => {
      sessionStore.clear();
      queryClient.clear();
      setEndedReason(null);
      setUser(null);
    });
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
  return (
    <SessionContext.Provider value={value}>
      {restoring ? (
        <Center mih="100vh" component="main">
          <Stack align="center" gap="xs" role="status">
            <Loader size="sm" aria-hidden />
            <Text c="dimmed" size="sm">
              Restoring your session…
            </Text>
          </Stack>
        </Center>
      ) : (
        children
      )}
    </SessionContext.Provider>
  );
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
