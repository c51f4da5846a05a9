import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { forbidden, Role, unauthenticated } from '@imprimatur/domain';
import { TransactionRunner, UsersRepository } from '@imprimatur/database';
import { AuthUser, PUBLIC_ROUTE, ROUTE_ROLES } from './access';

interface TokenClaims {
  sub: string;
  ver: number;
  exp?: number;
}

/**
 * Deny by default: a route is open only if marked @Public(), and otherwise needs a valid token of an
 * active user holding one of the roles the route names. A route that names no roles is refused, so
 * forgetting to declare access fails closed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly users: UsersRepository,
    private readonly db: TransactionRunner,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; user?: AuthUser }>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw unauthenticated('Send Authorization: Bearer <accessToken>');

    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw unauthenticated('Access token is invalid or expired');
    }
    // jsonwebtoken checks exp only when a token has one: a token without it would never expire.
    if (typeof claims.exp !== 'number') throw unauthenticated('Access token is invalid or expired');
    // One primary-key lookup per request: deactivation must take effect on the very next request.
    const user = typeof claims.sub === 'string' ? await this.users.findById(claims.sub, this.db.autocommit) : null;
    if (!user || !user.active || claims.ver !== user.tokenVersion) {
      throw unauthenticated('Access token is no longer valid');
    }
    request.user = { id: user.id, email: user.email, roles: user.roles };

    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROUTE_ROLES, targets);
    if (!allowed) {
      this.logger.error({ route: context.getHandler().name }, 'route declares no access policy; refusing');
      throw forbidden();
    }
    if (!user.roles.some((role) => allowed.includes(role))) {
      throw forbidden(`This needs one of the roles: ${allowed.join(', ')}`);
    }
    return true;
  }
}
