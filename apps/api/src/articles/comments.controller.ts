import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WORKFLOW } from '@imprimatur/domain';
import { CommentsService } from '@imprimatur/workflow';
import { AnyStaff, AuthUser, CurrentUser, Roles } from '../http/access';
import { ApiSignedIn } from '../http/api-errors';
import { uuidPipe } from '../http/validation';
import { CommentPageDto, CommentsQuery, CommentViewDto, CreateCommentDto } from './article.dto';
import { commentDto } from './mapping';

@ApiTags('workflow')
@Controller('articles/:id/comments')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Post()
  @Roles(...WORKFLOW.comment.roles)
  @HttpCode(201)
  @ApiOperation({
    summary: 'Comment on an article (its editors, assigned reviewers, admins)',
    description:
      "An anchor's quote (with optional prefix/suffix) must occur in the current revision's body, else 422 anchor_not_found.",
  })
  @ApiCreatedResponse({ type: CommentViewDto })
  @ApiSignedIn(400, 404, 409, 413, 422)
  async create(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidPipe()) id: string,
    @Body() body: CreateCommentDto,
  ): Promise<CommentViewDto> {
    const comment = await this.comments.create(user, id, {
      body: body.body,
      anchor: body.anchor ? { quote: body.anchor.quote, prefix: body.anchor.prefix, suffix: body.anchor.suffix } : null,
      blocking: body.blocking ?? false,
      parentId: body.parentId ?? null,
    });
    return commentDto(comment);
  }

  @Get()
  @AnyStaff()
  @ApiOperation({
    summary: 'The comments of an article, oldest first (replies carry parentId)',
    description:
      "Each anchored comment is placed on ?revision= (default: the current revision): anchored, with the quote's offsets in that revision's body, or outdated when the quote no longer occurs there (contract §19).",
  })
  @ApiOkResponse({ type: CommentPageDto })
  @ApiSignedIn(400, 404)
  async list(@Param('id', uuidPipe()) id: string, @Query() query: CommentsQuery): Promise<CommentPageDto> {
    const page = await this.comments.list(id, query.limit, query.cursor, query.revision);
    return {
      items: page.items.map((c) => ({ ...commentDto(c), placement: c.placement })),
      nextCursor: page.nextCursor,
      revision: page.revision,
    };
  }

  @Post(':commentId/resolve')
  @Roles(...WORKFLOW.resolve_comment.roles)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Resolve a comment: a blocking one only by its author or an admin, any other by any participant',
  })
  @ApiOkResponse({ type: CommentViewDto })
  @ApiSignedIn(400, 404, 409)
  async resolve(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidPipe()) id: string,
    @Param('commentId', uuidPipe('commentId')) commentId: string,
  ): Promise<CommentViewDto> {
    return commentDto(await this.comments.resolve(user, id, commentId));
  }
}
