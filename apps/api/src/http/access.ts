import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Principal, ROLES, Role } from '@imprimatur/domain';

export const PUBLIC_ROUTE = 'imprimatur:public';
export const ROUTE_ROLES = 'imprimatur:roles';

/** The route needs no token. Everything else is denied unless it names the roles it admits. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Admits signed-in users holding at least one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROUTE_ROLES, roles);

/** Any signed-in member of staff, whatever their roles. */
export const AnyStaff = () => Roles(...ROLES);

export type AuthUser = Principal;

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const request = ctx.switchToHttp().getRequest<{ user?: AuthUser }>();
  if (!request.user) throw new Error('CurrentUser used on a route without authentication');
  return request.user;
});
