import { createHash, randomBytes } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The refresh cookie of contract §19. HttpOnly: no script (nor an injected one) can read it, so only
 * the browser's own requests to /auth carry it. SameSite=Strict: no other site's page can make the
 * browser send it, which is what lets /auth/refresh and /auth/logout go without a CSRF token.
 */
export const REFRESH_COOKIE = 'imprimatur_refresh';
export const REFRESH_COOKIE_PATH = '/auth';

/** 32 random bytes in base64url. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const newRefreshToken = (): string => randomBytes(32).toString('base64url');

/** What is stored of a token: its SHA-256 in hex. null for a value that no token of ours can be. */
export const refreshTokenHash = (token: string | undefined): string | null =>
  token !== undefined && TOKEN_PATTERN.test(token) ? createHash('sha256').update(token).digest('hex') : null;

export const presentedRefreshToken = (request: FastifyRequest): string | undefined => request.cookies[REFRESH_COOKIE];

/**
 * Secure when the request came over https (behind a proxy: its X-Forwarded-Proto, believed only with
 * TRUST_PROXY), or whenever PUBLIC_BASE_URL is https, for a TLS proxy that is not trusted. Over plain
 * http a Secure cookie would never come back, and sessions would not survive a reload.
 */
const secure = (request: FastifyRequest, publicBaseUrl: string) =>
  request.protocol === 'https' || publicBaseUrl.startsWith('https:');

export function setRefreshCookie(
  reply: FastifyReply,
  request: FastifyRequest,
  publicBaseUrl: string,
  cookie: { token: string; expiresAt: Date },
): void {
  void reply.setCookie(REFRESH_COOKIE, cookie.token, {
    httpOnly: true,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
    secure: secure(request, publicBaseUrl),
    // Relative, so a browser whose clock is off keeps it as long as the server honours it.
    maxAge: Math.max(0, Math.floor((cookie.expiresAt.getTime() - Date.now()) / 1000)),
  });
}

export function clearRefreshCookie(reply: FastifyReply, request: FastifyRequest, publicBaseUrl: string): void {
  void reply.clearCookie(REFRESH_COOKIE, {
    httpOnly: true,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
    secure: secure(request, publicBaseUrl),
  });
}
