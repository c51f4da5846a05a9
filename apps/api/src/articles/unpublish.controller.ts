import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PublishingService } from '@imprimatur/publishing';
import { AuthUser, CurrentUser, Roles } from '../http/access';
import { ApiSignedIn } from '../http/api-errors';
import { uuidPipe } from '../http/validation';
import { ArticleDto, ReasonDto } from './article.dto';

@ApiTags('workflow')
@Controller('articles/:id')
export class UnpublishController {
  constructor(private readonly publishing: PublishingService) {}

  @Post('unpublish')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Withdraw the live version (admin): readers get 410 retracted with the reason; the workflow state is unchanged',
    description: '409 invalid_transition when the article has no live published version.',
  })
  @ApiOkResponse({ type: ArticleDto })
  @ApiSignedIn(400, 404, 409)
  unpublish(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidPipe()) id: string,
    @Body() body: ReasonDto,
  ): Promise<ArticleDto> {
    return this.publishing.unpublish(user, id, body.reason);
  }
}
