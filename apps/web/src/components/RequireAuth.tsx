import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Role } from '../api/types';
import { hasRole, useSession } from '../auth/session';
import { Forbidden } from '../screens/NotFound';

/** Signed out → the sign-in screen, which comes back here afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const location = useLocation();
  if (!user)
    return (
      <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}${location.hash}` }} />
    );
  return <>{children}</>;
}

/** A screen for some roles only: others get a page that says so rather than a broken screen. */
export function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { user } = useSession();
  if (!hasRole(user, ...roles)) return <Forbidden roles={roles} />;
  return <>{children}</>;
}
