import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, Equals, IsArray, IsIn, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import {
  EMAIL_PREFERENCES,
  EmailPreference,
  NOTIFICATION_KINDS,
  NotificationKind,
  NotificationRecord,
  notificationPath,
  notificationSentence,
  Task,
  TASK_KINDS,
  TaskKind,
  validationFailed,
} from '@imprimatur/domain';
import { BoardService } from '@imprimatur/workflow';
import { AnyStaff, AuthUser, CurrentUser } from '../http/access';
import { ApiSignedIn } from '../http/api-errors';
import { PageQuery } from '../http/pagination';

export class TaskDto {
  @ApiProperty({
    enum: TASK_KINDS,
    description:
      'review: give your decision on the current revision; revise: the board asked for changes; re_review: a live article due for review (reviewers: the re-review is open; admins: open it); assign: a submitted article needs reviewers',
  })
  kind: TaskKind;
  @ApiProperty({ format: 'uuid' }) articleId: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: 'integer' }) revision: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt: string | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ format: 'date-time', description: 'Since when it has been waiting' }) since: string;
}

export class TasksDto {
  @ApiProperty({ type: [TaskDto], description: 'Most urgent first: overdue, then by due date, then longest waiting' })
  items: TaskDto[];
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: NotificationKind;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) articleId: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) revision: number | null;
  @ApiProperty({ description: "The article's title when it was written" }) title: string;
  @ApiProperty({ description: 'What happened, in a sentence' }) message: string;
  @ApiProperty({ example: '/app/articles/4f1c…/review', description: 'The screen of the web app it leads to' })
  path: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt: string | null;

  static of(n: NotificationRecord): NotificationDto {
    return {
      id: n.id,
      kind: n.kind,
      articleId: n.articleId,
      revision: n.revision,
      title: n.title,
      message: notificationSentence(n),
      path: notificationPath(n),
      data: n.data,
      createdAt: n.createdAt.toISOString(),
      readAt: n.readAt?.toISOString() ?? null,
    };
  }
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] }) items: NotificationDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
  @ApiProperty({ type: 'integer', description: 'How many of all your notifications are unread' }) unread: number;
}

export class NotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only unread ones' })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';
}

export class MarkReadDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 100, description: 'These (yours); or all: true' })
  @ValidateIf((o: MarkReadDto) => o.all === undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  ids?: string[];

  @ApiPropertyOptional({ enum: [true], description: 'Every unread notification of yours' })
  @IsOptional()
  @Equals(true)
  all?: true;
}

export class MarkedReadDto {
  @ApiProperty({ type: 'integer', description: 'Newly marked read' }) marked: number;
  @ApiProperty({ type: 'integer', description: 'Still unread' }) unread: number;
}

export class PreferencesDto {
  @ApiProperty({
    enum: EMAIL_PREFERENCES,
    description: 'immediate: an email per notification; daily: one digest at DIGEST_CRON; off: none',
  })
  @IsIn(EMAIL_PREFERENCES)
  email: EmailPreference;
}

const taskDto = (t: Task): TaskDto => ({
  kind: t.kind,
  articleId: t.articleId,
  title: t.title,
  revision: t.revision,
  dueAt: t.dueAt?.toISOString() ?? null,
  overdue: t.overdue,
  since: t.since.toISOString(),
});

@ApiTags('people')
@Controller('me')
export class BoardController {
  constructor(private readonly board: BoardService) {}

  @Get('tasks')
  @AnyStaff()
  @ApiOperation({ summary: 'What waits on me, most urgent first (contract §17)' })
  @ApiOkResponse({ type: TasksDto })
  @ApiSignedIn()
  async tasks(@CurrentUser() user: AuthUser): Promise<TasksDto> {
    return { items: (await this.board.tasksOf(user)).map(taskDto) };
  }

  @Get('notifications')
  @AnyStaff()
  @ApiOperation({ summary: 'My notifications, newest first; ?unread=true for the unread ones only' })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiSignedIn(400)
  async notifications(@CurrentUser() user: AuthUser, @Query() query: NotificationsQuery): Promise<NotificationPageDto> {
    const page = await this.board.notificationsOf(user, {
      unread: query.unread === 'true',
      limit: query.limit,
      cursor: query.cursor,
    });
    return { items: page.items.map((n) => NotificationDto.of(n)), nextCursor: page.nextCursor, unread: page.unread };
  }

  @Post('notifications/read')
  @HttpCode(200)
  @AnyStaff()
  @ApiOperation({ summary: 'Mark my notifications read: {ids} or {all: true}' })
  @ApiOkResponse({ type: MarkedReadDto })
  @ApiSignedIn(400)
  markRead(@CurrentUser() user: AuthUser, @Body() body: MarkReadDto): Promise<MarkedReadDto> {
    if ((body.ids === undefined) === (body.all === undefined)) throw validationFailed('Give either ids or all: true');
    return this.board.markRead(user, body.all ? 'all' : (body.ids ?? []));
  }

  @Get('preferences')
  @AnyStaff()
  @ApiOperation({ summary: 'How my notifications are emailed' })
  @ApiOkResponse({ type: PreferencesDto })
  @ApiSignedIn()
  preferences(@CurrentUser() user: AuthUser): Promise<PreferencesDto> {
    return this.board.preferencesOf(user);
  }

  @Patch('preferences')
  @AnyStaff()
  @ApiOperation({ summary: 'Choose how my notifications are emailed: immediate, daily (one digest) or off' })
  @ApiOkResponse({ type: PreferencesDto })
  @ApiSignedIn(400)
  setPreferences(@CurrentUser() user: AuthUser, @Body() body: PreferencesDto): Promise<PreferencesDto> {
    return this.board.setEmailPreference(user, body.email);
  }
}
