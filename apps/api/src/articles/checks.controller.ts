import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { CHECK_STATUSES, CheckStatus, INT4_MAX } from '@imprimatur/domain';
import { MaintenanceRequests, RevisionCheckResults, RevisionChecks } from '@imprimatur/workflow';
import { AnyStaff, AuthUser, CurrentUser, Roles } from '../http/access';
import { ApiSignedIn } from '../http/api-errors';
import { uuidPipe } from '../http/validation';

export class ChecksQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: INT4_MAX, description: 'Default: the current revision' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  revision?: number;
}

export class CheckResultDto {
  @ApiProperty({ enum: CHECK_STATUSES }) status: CheckStatus;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      "citations: {problems, cited}; staleness: {maxAgeYears, stale: [{n, title, year}]}; links: {links: [{n, kind, url, status (ok|redirected|broken|unverifiable|timeout|blocked|error), httpStatus, finalUrl, attempts, checkedAt, code?, error?}]}; a failure names one of the outbound client's fixed codes (address_not_allowed, dns_failure, connection_refused, reset, tls_error, timeout, …) with its fixed sentence in error, never an address or a raw error; consistency: {problems: [{kind, severity, audience, field (title|summary|body), quantity (canonical, e.g. 75 mg/m2), written, sentence, message}]}; readability: {maxGrade, grades: [{audience, grade (Flesch–Kincaid, one decimal, null without words), words, sentences}], problems: [{kind, severity, audience, grade, maxGrade, message}]}; evidence: {references: [{n, status (verified|mismatch|retracted|concern|corrected|unverified|error), doi, pmid, fields? (title|source|year), notice? {type, doi, source, date}, code?, checkedAt}]}",
  })
  details: Record<string, unknown>;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'null while pending with no result yet',
  })
  updatedAt: string | null;
}

export class ChecksByNameDto {
  @ApiProperty({ type: CheckResultDto }) citations: CheckResultDto;
  @ApiProperty({ type: CheckResultDto }) links: CheckResultDto;
  @ApiProperty({ type: CheckResultDto }) staleness: CheckResultDto;
  @ApiProperty({ type: CheckResultDto }) readability: CheckResultDto;
  @ApiProperty({ type: CheckResultDto }) consistency: CheckResultDto;
  @ApiProperty({ type: CheckResultDto }) evidence: CheckResultDto;
}

export class RevisionChecksDto {
  @ApiProperty({ format: 'uuid' }) articleId: string;
  @ApiProperty({ type: 'integer' }) revision: number;
  @ApiProperty({ type: ChecksByNameDto }) checks: ChecksByNameDto;
}

export class StalenessScanDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Flag articles whose nextReviewDue is on or before this day (default: now)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export class StalenessScanAcceptedDto {
  @ApiProperty({ format: 'date-time' }) asOf: string;
}

const toDto = (results: RevisionCheckResults): RevisionChecksDto => {
  const byName = Object.fromEntries(
    results.checks.map((c) => [
      c.check,
      {
        status: c.status,
        details: c.details,
        updatedAt: c.updatedAt.getTime() === 0 ? null : c.updatedAt.toISOString(),
      },
    ]),
  ) as unknown as ChecksByNameDto;
  return { articleId: results.articleId, revision: results.revision, checks: byName };
};

@ApiTags('checks')
@Controller()
export class ChecksController {
  constructor(
    private readonly checks: RevisionChecks,
    private readonly maintenance: MaintenanceRequests,
  ) {}

  @Get('articles/:id/checks')
  @AnyStaff()
  @ApiOperation({
    summary: "A revision's checks (citations, links, staleness, readability, consistency, evidence) with their details",
  })
  @ApiOkResponse({ type: RevisionChecksDto })
  @ApiSignedIn(400, 404)
  async get(@Param('id', uuidPipe()) id: string, @Query() query: ChecksQuery): Promise<RevisionChecksDto> {
    return toDto(await this.checks.results(id, query.revision));
  }

  @Post('articles/:id/checks/run')
  @Roles('editor', 'admin')
  @HttpCode(202)
  @ApiOperation({
    summary: "Run the current revision's checks again (editor, admin); links are re-fetched by the worker",
  })
  @ApiAcceptedResponse({ type: RevisionChecksDto })
  @ApiSignedIn(400, 404)
  async run(@CurrentUser() user: AuthUser, @Param('id', uuidPipe()) id: string): Promise<RevisionChecksDto> {
    return toDto(await this.checks.rerun(user, id));
  }

  @Post('admin/staleness-scan')
  @Roles('admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Flag published articles due for review now (admin); the worker runs the scan' })
  @ApiAcceptedResponse({ type: StalenessScanAcceptedDto })
  @ApiSignedIn(400)
  scan(@CurrentUser() user: AuthUser, @Body() body: StalenessScanDto): Promise<StalenessScanAcceptedDto> {
    return this.maintenance.reviewDueScan(user, body.asOf ? new Date(body.asOf) : null);
  }
}
