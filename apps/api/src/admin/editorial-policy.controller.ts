import { Body, Controller, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { EditorialPolicyService, MAX_EDITORIAL_POLICY_LENGTH } from '@imprimatur/publishing';
import { AuthUser, CurrentUser, Roles } from '../http/access';
import { ApiSignedIn } from '../http/api-errors';
import { EditorialPolicyDto } from '../public/public.dto';

export class UpdateEditorialPolicyDto {
  @ApiProperty({
    description:
      'Markdown (the article syntax: headings, lists, links, a little inline HTML through the same allow-list). Not trimmed: leading indentation means something in Markdown.',
    minLength: 1,
    maxLength: MAX_EDITORIAL_POLICY_LENGTH,
    pattern: '\\S',
    example: '## How we review\n\nEvery article is approved by two members of the Medical Advisory Board.',
  })
  @IsString()
  @MaxLength(MAX_EDITORIAL_POLICY_LENGTH)
  @Matches(/\S/, { message: 'body must not be blank' })
  body: string;
}

@ApiTags('readers')
@Controller('admin/editorial-policy')
export class EditorialPolicyController {
  constructor(private readonly policy: EditorialPolicyService) {}

  @Put()
  @Roles('admin')
  @ApiOperation({
    summary: "Replace the publisher's editorial policy (admin)",
    description:
      'Readers see it at /read/editorial-policy (linked from every reader page) and GET /public/editorial-policy. Rendered once, here, with the renderer articles use. Audited as editorial_policy.updated, with the whole text, so the audit log is the history of what readers were told.',
  })
  @ApiOkResponse({ type: EditorialPolicyDto })
  @ApiSignedIn(400, 413)
  replace(@CurrentUser() user: AuthUser, @Body() body: UpdateEditorialPolicyDto): Promise<EditorialPolicyDto> {
    return this.policy.replace(user, body.body);
  }
}
