import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WORKFLOW } from '@imprimatur/domain';
import { ArticlesService } from '@imprimatur/workflow';
import { AnyStaff, AuthUser, CurrentUser, Roles } from '../http/access';
import { ApiSignedIn } from '../http/api-errors';
import { PageQuery } from '../http/pagination';
import { positiveIntPipe, uuidPipe } from '../http/validation';
import {
  ArticleDto,
  ArticlePageDto,
  CreateArticleDto,
  CreateRevisionDto,
  ListArticlesQuery,
  RevisionDto,
  RevisionPageDto,
} from './article.dto';
import { revisionDto, toRevisionInput } from './mapping';

@ApiTags('articles')
@Controller('articles')
export class ArticlesController {
  constructor(private readonly articles: ArticlesService) {}

  @Post()
  @Roles(...WORKFLOW.revise.roles)
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an article (editor): state draft, revision 1' })
  @ApiCreatedResponse({ type: ArticleDto })
  @ApiSignedIn(400, 409, 413)
  create(@CurrentUser() user: AuthUser, @Body() body: CreateArticleDto): Promise<ArticleDto> {
    return this.articles.create(user, toRevisionInput(body), body.slug);
  }

  @Get()
  @AnyStaff()
  @ApiOperation({ summary: 'List articles, newest first, with filters and a title search' })
  @ApiOkResponse({ type: ArticlePageDto })
  @ApiSignedIn(400)
  list(@Query() query: ListArticlesQuery): Promise<ArticlePageDto> {
    const { limit, cursor, reviewDue, ...filters } = query;
    return this.articles.list({ ...filters, ...(reviewDue ? { reviewDue: reviewDue === 'true' } : {}) }, limit, cursor);
  }

  @Get(':id')
  @AnyStaff()
  @ApiOperation({ summary: 'An article with its reviewers, sign-offs on the current revision and check summary' })
  @ApiOkResponse({ type: ArticleDto })
  @ApiSignedIn(400, 404)
  get(@Param('id', uuidPipe()) id: string): Promise<ArticleDto> {
    return this.articles.get(id);
  }

  @Post(':id/revisions')
  @Roles(...WORKFLOW.revise.roles)
  @HttpCode(201)
  @ApiOperation({
    summary: 'Save a new revision on baseRevision (editor)',
    description:
      'baseRevision must be the current revision (else 409 stale_revision with details.currentRevision). changes_requested and approved articles return to draft; sign-offs on older revisions are dismissed. With submit: true the draft is also submitted in the same transaction (422 citation_errors refuses the whole request). References keep their keys across revisions; with renumber: true the markers follow reordered references, and without it a marker that would silently cite another reference is refused (422 citation_errors; contract §19).',
  })
  @ApiCreatedResponse({ type: RevisionDto })
  @ApiSignedIn(400, 404, 409, 413, 422)
  async addRevision(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidPipe()) id: string,
    @Body() body: CreateRevisionDto,
  ): Promise<RevisionDto> {
    return revisionDto(
      await this.articles.addRevision(user, id, body.baseRevision, toRevisionInput(body), {
        submit: body.submit === true,
        renumber: body.renumber === true,
      }),
    );
  }

  @Get(':id/revisions')
  @AnyStaff()
  @ApiOperation({ summary: 'The revisions of an article, oldest first' })
  @ApiOkResponse({ type: RevisionPageDto })
  @ApiSignedIn(400, 404)
  async revisions(@Param('id', uuidPipe()) id: string, @Query() query: PageQuery): Promise<RevisionPageDto> {
    const page = await this.articles.listRevisions(id, query.limit, query.cursor);
    return { items: page.items.map(revisionDto), nextCursor: page.nextCursor };
  }

  @Get(':id/revisions/:n')
  @AnyStaff()
  @ApiOperation({ summary: 'One revision' })
  @ApiOkResponse({ type: RevisionDto })
  @ApiSignedIn(400, 404)
  async revision(
    @Param('id', uuidPipe()) id: string,
    @Param('n', positiveIntPipe('n')) n: number,
  ): Promise<RevisionDto> {
    return revisionDto(await this.articles.revision(id, n));
  }
}
