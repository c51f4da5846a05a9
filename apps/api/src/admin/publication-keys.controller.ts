import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { PublicationKeyView, RotationOutcome, SigningKeys } from '@imprimatur/publishing';
import { AuthUser, CurrentUser, Roles } from '../http/access';
import { ApiSignedIn } from '../http/api-errors';

export class PublicationKeyDto implements PublicationKeyView {
  @ApiProperty({ description: 'RFC 7638 JWK thumbprint: the kid in attestations and in GET /.well-known/jwks.json' })
  kid: string;
  @ApiProperty({
    enum: ['configured', 'generated'],
    description:
      'configured: PUBLICATION_SIGNING_KEY (only its public half is kept); generated: made because PUBLICATION_SIGNING_KEY was not set, kept in the database',
  })
  source: 'configured' | 'generated';
  @ApiProperty({ format: 'date-time', description: 'When the key was first recorded' }) createdAt: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When a rotation retired this generated key; null for the active key and for configured keys',
  })
  retiredAt: string | null;
}

export class PublicationKeysDto {
  @ApiProperty({ description: 'The kid that signs new publications' }) current: string;
  @ApiProperty({ type: [PublicationKeyDto], description: 'Every key ever recorded, oldest first' })
  keys: PublicationKeyDto[];
}

export class PublicationKeyRotationDto implements RotationOutcome {
  @ApiProperty({
    type: PublicationKeyDto,
    nullable: true,
    description: 'The key that signed until now (still in the JWKS); null when none had been generated yet',
  })
  retired: PublicationKeyDto | null;
  @ApiProperty({ type: PublicationKeyDto, description: 'The key that signs from now on, in every process' })
  current: PublicationKeyDto;
}

@ApiTags('operations')
@Controller('admin/publication-keys')
export class PublicationKeysController {
  constructor(private readonly signingKeys: SigningKeys) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'The keys that sign publications, and which one signs now (admin)' })
  @ApiOkResponse({ type: PublicationKeysDto })
  @ApiSignedIn()
  list(): Promise<PublicationKeysDto> {
    return this.signingKeys.list();
  }

  @Post('rotate')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Retire the generated publication key and generate a new one (admin)',
    description:
      'Versions published from now on are signed with the new key; the retired key stays in GET /.well-known/jwks.json, so earlier versions still verify. Audited as publication_key.rotated. 409 invalid_transition (details.from configured_key) when PUBLICATION_SIGNING_KEY is set: then rotate by setting it to a new key.',
  })
  @ApiOkResponse({ type: PublicationKeyRotationDto })
  @ApiSignedIn(409)
  rotate(@CurrentUser() user: AuthUser): Promise<PublicationKeyRotationDto> {
    return this.signingKeys.rotate(user);
  }
}
