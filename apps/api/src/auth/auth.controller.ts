import { Body, Controller, HttpCode, Inject, Ip, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { Public } from '../http/access';
import { ApiErrors } from '../http/api-errors';
import { UserDto } from '../users/user.dto';
import { LoginDto, LoginResponseDto } from './auth.dto';
import { AuthService, SessionResult } from './auth.service';
import {
  clearRefreshCookie,
  presentedRefreshToken,
  REFRESH_COOKIE,
  REFRESH_COOKIE_PATH,
  setRefreshCookie,
} from './refresh-cookie';

const COOKIE_HEADER = {
  'Set-Cookie': {
    description: `\`${REFRESH_COOKIE}\`: the refresh token (HttpOnly; SameSite=Strict; Path=${REFRESH_COOKIE_PATH}; Secure behind https; Max-Age until the sign-in's REFRESH_TTL_HOURS run out)`,
    schema: { type: 'string' },
  },
};

@ApiTags('people')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password',
    description:
      'Failed logins are limited per account and per client address; over the limit the answer is 429 with Retry-After. ' +
      `A successful login also sets the refresh cookie \`${REFRESH_COOKIE}\` (contract §19; see POST /auth/refresh).`,
  })
  @ApiOkResponse({ type: LoginResponseDto, headers: COOKIE_HEADER })
  @ApiErrors(400, 401, 413, 429)
  async login(
    @Body() body: LoginDto,
    @Ip() address: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponseDto> {
    return this.answer(await this.auth.login(body.email, body.password, address), request, reply);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'A new access token for the session of the refresh cookie',
    description:
      `Needs no access token: the browser sends the \`${REFRESH_COOKIE}\` cookie that login set, and gets a new ` +
      'access token in the same shape as login. Each refresh rotates the cookie (the old value stops working); a ' +
      'rotated value presented again more than a few seconds later is taken for a stolen copy and ends the whole ' +
      'session (401, audited as auth.refresh_reused). Tabs refreshing at the same moment get an access token and ' +
      'keep the cookie the first of them received. A session lasts REFRESH_TTL_HOURS from the sign-in, and ends ' +
      'with logout or deactivation of the user. No cookie, or one that no longer works: 401. CSRF: the cookie is ' +
      'SameSite=Strict, so no other site can make a browser send it, and the answer is readable only by this origin.',
  })
  @ApiOkResponse({ type: LoginResponseDto, headers: COOKIE_HEADER })
  @ApiErrors(400, 401)
  async refresh(
    @Ip() address: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponseDto> {
    return this.answer(await this.auth.refresh(presentedRefreshToken(request), address), request, reply);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign out: revoke the session of the refresh cookie',
    description:
      `Revokes the session the \`${REFRESH_COOKIE}\` cookie belongs to and clears the cookie. Needs no access ` +
      'token (the cookie is what is revoked; SameSite=Strict keeps other sites from sending it). Idempotent: ' +
      'without a cookie, or with one already revoked, it is 204 all the same. Access tokens already issued work ' +
      'until they expire (JWT_TTL_SECONDS).',
  })
  @ApiNoContentResponse({
    description: 'Signed out',
    headers: { 'Set-Cookie': { description: `clears \`${REFRESH_COOKIE}\``, schema: { type: 'string' } } },
  })
  @ApiErrors(400)
  async logout(
    @Ip() address: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(presentedRefreshToken(request), address);
    clearRefreshCookie(reply, request, this.config.publicBaseUrl);
  }

  private answer(result: SessionResult, request: FastifyRequest, reply: FastifyReply): LoginResponseDto {
    if (result.refresh) setRefreshCookie(reply, request, this.config.publicBaseUrl, result.refresh);
    const { refresh: _cookie, ...answer } = result;
    return { ...answer, user: UserDto.of(answer.user) };
  }
}
