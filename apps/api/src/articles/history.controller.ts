import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import {
  AuditEntry,
  INT4_MAX,
  Reference,
  REFERENCE_TYPES,
  ReferenceType,
  VARIANT_AUDIENCES,
  VariantAudience,
} from '@imprimatur/domain';
import { HistoryService, RevisionDiff, VariantDiff } from '@imprimatur/workflow';
import { AnyStaff } from '../http/access';
import { ApiSignedIn } from '../http/api-errors';
import { PageQuery } from '../http/pagination';
import { uuidPipe } from '../http/validation';
import { ReferenceViewDto } from './article.dto';

/** How much of a comment the timeline quotes: a tweet's length, enough to tell comments apart. */
const COMMENT_TEXT_LIMIT = 280;

export class DiffQuery {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: INT4_MAX })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  from: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: INT4_MAX })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  to: number;
}

class ActorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
}

export class TimelineEntryDto {
  @ApiProperty({ type: 'integer', description: 'Position in the audit chain' }) seq: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: ActorDto, nullable: true, description: 'null for the system (worker)' }) actor: ActorDto | null;
  @ApiProperty({
    example: 'signoff.recorded',
    description:
      'article.created, revision.created, article.submitted, reviewers.assigned, review.started, comment.created, comment.resolved, signoff.recorded, signoff.dismissed, article.changes_requested, checks.completed, article.approved, article.published, article.unpublished, article.archived, …',
  })
  action: string;
  @ApiProperty() entityType: string;
  @ApiProperty({ type: String, nullable: true }) entityId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What changed (compact)' }) data: Record<
    string,
    unknown
  >;
  @ApiProperty() hash: string;
  @ApiProperty({
    type: String,
    nullable: true,
    maxLength: COMMENT_TEXT_LIMIT + 1,
    description: `For comment events (comment.created, comment.resolved): the comment's text, its first ${COMMENT_TEXT_LIMIT} characters (then "…"); null for other events. Beside \`data\`, not in it: \`data\` is what the audit chain hashed.`,
  })
  commentText: string | null;
}

export class TimelinePageDto {
  @ApiProperty({ type: [TimelineEntryDto] }) items: TimelineEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

class TitleChangeDto {
  @ApiProperty() before: string;
  @ApiProperty() after: string;
}

class NumberedReferenceDto extends ReferenceViewDto {
  @ApiProperty({ type: 'integer' }) n: number;
}

class ReferenceFieldsDto implements Partial<Reference> {
  @ApiPropertyOptional({ enum: REFERENCE_TYPES }) type?: ReferenceType;
  @ApiPropertyOptional() title?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) source?: string | null;
  @ApiPropertyOptional({ type: 'integer', nullable: true }) year?: number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) url?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) doi?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) pmid?: string | null;
}

class ChangedReferenceDto {
  @ApiProperty({ type: 'integer' }) n: number;
  @ApiProperty({ type: ReferenceFieldsDto, description: 'Only the fields that differ' }) before: ReferenceFieldsDto;
  @ApiProperty({ type: ReferenceFieldsDto }) after: ReferenceFieldsDto;
}

class ReferenceChangesDto {
  @ApiProperty({ type: [NumberedReferenceDto] }) added: NumberedReferenceDto[];
  @ApiProperty({ type: [NumberedReferenceDto] }) removed: NumberedReferenceDto[];
  @ApiProperty({ type: [ChangedReferenceDto] }) changed: ChangedReferenceDto[];
}

class VariantTitleChangeDto {
  @ApiProperty({ type: String, nullable: true, description: "null: the article's title" }) before: string | null;
  @ApiProperty({ type: String, nullable: true, description: "null: the article's title" }) after: string | null;
}

class VariantDiffDto implements VariantDiff {
  @ApiProperty({ enum: VARIANT_AUDIENCES }) audience: VariantAudience;
  @ApiProperty({ enum: ['added', 'removed', 'changed', 'unchanged'] }) status: VariantDiff['status'];
  @ApiProperty({ type: VariantTitleChangeDto, nullable: true, description: 'null when the title did not change' })
  title: VariantTitleChangeDto | null;
  @ApiProperty({ description: "Unified diff of the variant's summaries ('' when equal)" }) summary: string;
  @ApiProperty({ description: "Unified diff of the variant's bodies ('' when equal)" }) body: string;
}

export class DiffDto implements RevisionDiff {
  @ApiProperty({ type: 'integer' }) from: number;
  @ApiProperty({ type: 'integer' }) to: number;
  @ApiProperty({ type: TitleChangeDto, nullable: true, description: 'null when the title did not change' })
  title: TitleChangeDto | null;
  @ApiProperty({ description: "Unified diff of the summaries ('' when equal)" }) summary: string;
  @ApiProperty({ description: "Unified diff of the bodies ('' when equal)" }) body: string;
  @ApiProperty({ type: ReferenceChangesDto }) references: ReferenceChangesDto;
  @ApiProperty({
    type: [VariantDiffDto],
    description: 'One entry per audience with a variant in either revision (patient, then caregiver)',
  })
  variants: VariantDiffDto[];
}

const timelineEntry = (e: AuditEntry, texts: Map<string, string>): TimelineEntryDto => ({
  seq: e.seq,
  at: e.at,
  actor: e.actor,
  action: e.action,
  entityType: e.entityType,
  entityId: e.entityId,
  data: e.data,
  hash: e.hash,
  commentText: isCommentEvent(e) && texts.has(e.entityId) ? excerpt(texts.get(e.entityId) ?? '') : null,
});

const isCommentEvent = (e: AuditEntry): e is AuditEntry & { entityId: string } =>
  e.entityType === 'comment' && e.entityId !== null;

/** The first COMMENT_TEXT_LIMIT characters (code points: an emoji is never cut in half), then "…". */
function excerpt(text: string): string {
  const chars = Array.from(text);
  return chars.length > COMMENT_TEXT_LIMIT ? `${chars.slice(0, COMMENT_TEXT_LIMIT).join('').trimEnd()}…` : text;
}

@ApiTags('history')
@Controller('articles/:id')
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @Get('history')
  @AnyStaff()
  @ApiOperation({
    summary:
      "The article's timeline, oldest first: revisions, transitions, assignments, comments, sign-offs and dismissals, checks, publications",
  })
  @ApiOkResponse({ type: TimelinePageDto })
  @ApiSignedIn(400, 404)
  async timeline(@Param('id', uuidPipe()) id: string, @Query() query: PageQuery): Promise<TimelinePageDto> {
    const page = await this.history.timeline(id, query.limit, query.cursor);
    const commentIds = [...new Set(page.items.filter(isCommentEvent).map((e) => e.entityId))];
    const texts = await this.history.commentTexts(id, commentIds);
    return { items: page.items.map((e) => timelineEntry(e, texts)), nextCursor: page.nextCursor };
  }

  @Get('diff')
  @AnyStaff()
  @ApiOperation({ summary: 'Two revisions compared: title, unified diffs of summary and body, references by number' })
  @ApiOkResponse({ type: DiffDto })
  @ApiSignedIn(400, 404)
  diff(@Param('id', uuidPipe()) id: string, @Query() query: DiffQuery): Promise<RevisionDiff> {
    return this.history.diff(id, query.from, query.to);
  }
}
