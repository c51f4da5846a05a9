import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { PublicationJwk, SigningKeys } from '@imprimatur/publishing';
import { Public } from '../http/access';
import { ApiErrors } from '../http/api-errors';

/**
 * Verifiers may keep the key set for five minutes: a key is added by a rotation and never removed, so a
 * copy that is a little old still verifies everything but the versions signed in those minutes.
 */
const CACHE_CONTROL = 'public, max-age=300';

export class PublicationJwkDto implements PublicationJwk {
  @ApiProperty({ enum: ['OKP'] }) kty: 'OKP';
  @ApiProperty({ enum: ['Ed25519'] }) crv: 'Ed25519';
  @ApiProperty({ description: 'The public key (base64url)' }) x: string;
  @ApiProperty({ description: 'RFC 7638 JWK thumbprint (SHA-256, base64url): the kid attestations name' }) kid: string;
  @ApiProperty({ enum: ['EdDSA'] }) alg: 'EdDSA';
  @ApiProperty({ enum: ['sig'] }) use: 'sig';
}

export class JwksDto {
  @ApiProperty({
    type: [PublicationJwkDto],
    description:
      'Every key that has signed publications, current and retired, in the order they were first used (oldest first)',
  })
  keys: PublicationJwkDto[];
}

@ApiTags('readers')
@Controller('.well-known')
@Public()
@SkipThrottle()
export class JwksController {
  constructor(private readonly signingKeys: SigningKeys) {}

  @Get('jwks.json')
  @ApiOperation({
    summary: "The publisher's public keys (JWKS, RFC 7517), to verify the attestation of every published version",
    description:
      "Pick the key by the attestation's kid; keys are never removed, so versions signed before a key change still verify.",
  })
  @ApiOkResponse({ type: JwksDto, headers: { 'Cache-Control': { schema: { type: 'string' } } } })
  // The input limits of every route (a query holding NUL, a URL too long) still apply.
  @ApiErrors(400)
  async jwks(@Res({ passthrough: true }) reply: FastifyReply): Promise<JwksDto> {
    void reply.header('cache-control', CACHE_CONTROL);
    return { keys: await this.signingKeys.jwks() };
  }
}
