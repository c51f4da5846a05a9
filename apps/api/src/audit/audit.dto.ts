import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { AUDIT_EXPORT_FORMATS, AuditExportFormat } from '@imprimatur/workflow';
import { PageQuery } from '../http/pagination';

// A calendar date (midnight UTC) or a date-time with its offset: a bare local time would mean
// whatever the server's time zone is.
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const INSTANT_MESSAGE = '$property must be an ISO-8601 date or a date-time with a time zone (e.g. 2026-11-28T12:00:00Z)';

export const AUDIT_ORDERS = ['asc', 'desc'] as const;

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Entries about this article' })
  @IsOptional()
  @IsUUID()
  articleId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Entries written by this user' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ example: 'article.submitted', maxLength: 100, description: 'A dotted action name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, { message: '$property must be a dotted action name such as article.submitted' })
  action?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries at or after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries before this instant (exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  until?: string;

  @ApiPropertyOptional({ enum: AUDIT_ORDERS, default: 'asc', description: 'asc: oldest first; desc: newest first' })
  @IsOptional()
  @IsIn(AUDIT_ORDERS)
  order: (typeof AUDIT_ORDERS)[number] = 'asc';
}

export class AuditExportQuery {
  @ApiProperty({ enum: AUDIT_EXPORT_FORMATS, description: 'jsonl: one entry per line as in GET /audit; csv: a header row, data as JSON text' })
  @IsIn(AUDIT_EXPORT_FORMATS)
  format: AuditExportFormat;
}

export class AuditActorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ada@example.org' }) email: string;
}

export class AuditEntryDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Position in the chain: 1, 2, 3, … without gaps' }) seq: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: AuditActorDto, nullable: true, description: 'null for system actions and failed logins' }) actor: AuditActorDto | null;
  @ApiProperty({ example: 'article.submitted' }) action: string;
  @ApiProperty({ example: 'article' }) entityType: string;
  @ApiProperty({ type: String, nullable: true }) entityId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) articleId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What changed, compactly' }) data: Record<string, unknown>;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'hash of the previous entry (64 zeros for the first)' }) prevHash: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'sha256(prevHash + canonical JSON of the entry)' }) hash: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class AuditVerdictDto {
  @ApiProperty({ description: 'false if an entry was altered, removed or reordered' }) valid: boolean;
  @ApiProperty({ type: 'integer', description: 'Entries verified (when broken: the intact entries before brokenAt)' }) entries: number;
  @ApiPropertyOptional({ pattern: '^[0-9a-f]{64}$', description: 'When valid: the hash of the last entry, to anchor elsewhere' }) head?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'When not valid: the first seq that breaks the chain' }) brokenAt?: number;
}
