import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { ErrorBody } from './error-body';

export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'validation_failed: the request is malformed or has unknown fields',
  401: 'unauthenticated: no valid access token',
  403: 'forbidden: the user lacks the role',
  404: 'not_found',
  409: 'conflict (see code)',
  413: 'payload_too_large: body over 1 MiB',
  414: 'uri_too_long: the URL is over 8 KiB',
  415: 'unsupported_media_type: the body is not JSON (Content-Type: application/json)',
  422: 'unprocessable (see code)',
  429: 'rate_limited: too many requests; see Retry-After',
  502: 'upstream_unavailable: a registry we asked on your behalf did not answer; try again later',
  503: 'a dependency is not ready',
};

/** Documents the error responses a route really returns, all in the contract's error body. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], type: ErrorBody })),
  );

/** A signed-in route: bearer auth plus the errors every such route can return. */
export const ApiSignedIn = (...statuses: number[]) =>
  applyDecorators(ApiBearerAuth(), ApiErrors(401, 403, ...statuses));
