import { Body, Controller, HttpCode, Ip, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WORKFLOW } from '@imprimatur/domain';
import { ReviewService } from '@imprimatur/workflow';
import { Reauthentication } from '../auth/reauthentication.service';
import { AuthUser, CurrentUser, Roles } from '../http/access';
import { ApiSignedIn } from '../http/api-errors';
import { uuidPipe } from '../http/validation';
import {
  ArticleDto,
  AssignReviewersDto,
  CreateSignoffDto,
  ReasonDto,
  SignoffResultDto,
  SubmitDto,
} from './article.dto';

const TRANSITION =
  '409 invalid_transition (details.from, details.allowed) when the article is not in a state that allows this.';

@ApiTags('workflow')
@Controller('articles/:id')
export class ReviewController {
  constructor(
    private readonly review: ReviewService,
    private readonly reauthentication: Reauthentication,
  ) {}

  @Post('submit')
  @Roles(...WORKFLOW.submit.roles)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Submit a draft for review (editor)',
    description: `422 citation_errors (details: the list of problems) when a marker cites a missing reference or is malformed. ${TRANSITION}`,
  })
  @ApiOkResponse({ type: ArticleDto })
  @ApiSignedIn(400, 404, 409, 422)
  submit(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidPipe()) id: string,
    @Body() body: SubmitDto,
  ): Promise<ArticleDto> {
    return this.review.submit(
      user,
      id,
      body.publishAt === undefined ? undefined : body.publishAt === null ? null : new Date(body.publishAt),
    );
  }

  @Put('reviewers')
  @Roles(...WORKFLOW.assign_reviewers.roles)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set the board reviewers of an article (admin)',
    description: `Only active reviewers; 403 conflict_of_interest (details.reviewerIds) for anyone who wrote a revision or declared a conflict. ${TRANSITION}`,
  })
  @ApiOkResponse({ type: ArticleDto })
  @ApiSignedIn(400, 404, 409)
  assign(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidPipe()) id: string,
    @Body() body: AssignReviewersDto,
  ): Promise<ArticleDto> {
    const dueAt = body.dueAt === undefined ? undefined : body.dueAt === null ? null : new Date(body.dueAt);
    return this.review.assignReviewers(user, id, body.reviewerIds, dueAt);
  }

  @Post('re-review')
  @Roles(...WORKFLOW.re_review.roles)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Open the periodic review of a live article (admin)',
    description: `Contract §17: approved → under_review on the same revision; the earlier sign-offs of it are dismissed (reason re_review) and the quorum of new approvals publishes a new version with the same content, a new lastReviewed and nextReviewDue and the same lastUpdated. 409 invalid_transition unless the article is approved and its current revision is the live one. ${TRANSITION}`,
  })
  @ApiOkResponse({ type: ArticleDto })
  @ApiSignedIn(400, 404, 409)
  reReview(@CurrentUser() user: AuthUser, @Param('id', uuidPipe()) id: string): Promise<ArticleDto> {
    return this.review.reReview(user, id);
  }

  @Post('start-review')
  @Roles(...WORKFLOW.start_review.roles)
  @HttpCode(200)
  @ApiOperation({ summary: 'Start the review (an assigned reviewer)', description: TRANSITION })
  @ApiOkResponse({ type: ArticleDto })
  @ApiSignedIn(400, 404, 409)
  startReview(@CurrentUser() user: AuthUser, @Param('id', uuidPipe()) id: string): Promise<ArticleDto> {
    return this.review.startReview(user, id);
  }

  @Post('withdraw')
  @Roles(...WORKFLOW.withdraw.roles)
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a submitted article back to draft (editor)', description: TRANSITION })
  @ApiOkResponse({ type: ArticleDto })
  @ApiSignedIn(400, 404, 409)
  withdraw(@CurrentUser() user: AuthUser, @Param('id', uuidPipe()) id: string): Promise<ArticleDto> {
    return this.review.withdraw(user, id);
  }

  @Post('signoffs')
  @Roles(...WORKFLOW.approve_signoff.roles)
  @HttpCode(201)
  @ApiOperation({
    summary: 'Sign the current revision: an electronic signature (an assigned reviewer)',
    description: `decision approve or request_changes (note required; moves the article to changes_requested). revision and contentHash must be the current revision's (409 stale_revision, details.currentRevision and details.contentHash): the reviewer signs exactly the content and HTML they were shown. password is the reviewer's own, checked first on every sign-off unless SIGNOFF_REAUTH=false: missing → 400, wrong → 401 reauthentication_failed (nothing is recorded; the failure counts towards the login throttle) and 429 rate_limited beyond it. The record is the signature manifestation (name and credentials as they were at signing, meaning, revision, content hash, time); it is never changed, and a later decision by the same reviewer on the same revision is a new record that replaces it. The article is approved as soon as the approval rule holds. ${TRANSITION}`,
  })
  @ApiCreatedResponse({ type: SignoffResultDto })
  @ApiSignedIn(400, 404, 409, 429)
  async signOff(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidPipe()) id: string,
    @Body() body: CreateSignoffDto,
    @Ip() address: string,
  ): Promise<SignoffResultDto> {
    await this.reauthentication.confirm(user, body.password, address, `signoff of article ${id}`);
    return this.review.signOff(user, id, {
      decision: body.decision,
      revision: body.revision,
      contentHash: body.contentHash,
      note: body.note ?? null,
    });
  }

  @Post('conflicts')
  @Roles(...WORKFLOW.declare_conflict.roles)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Declare a conflict of interest (an assigned reviewer): unassigns them; their sign-offs stop counting',
  })
  @ApiOkResponse({ type: ArticleDto })
  @ApiSignedIn(400, 404, 409)
  declareConflict(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidPipe()) id: string,
    @Body() body: ReasonDto,
  ): Promise<ArticleDto> {
    return this.review.declareConflict(user, id, body.reason);
  }

  @Post('archive')
  @Roles(...WORKFLOW.archive.roles)
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive an article (admin); archived is final', description: TRANSITION })
  @ApiOkResponse({ type: ArticleDto })
  @ApiSignedIn(400, 404, 409)
  archive(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidPipe()) id: string,
    @Body() body: ReasonDto,
  ): Promise<ArticleDto> {
    return this.review.archive(user, id, body.reason);
  }
}
