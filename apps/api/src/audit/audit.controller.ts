import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditReadService } from '@imprimatur/workflow';
import { Roles } from '../http/access';
import { ApiSignedIn } from '../http/api-errors';
import { AuditExportQuery, AuditPageDto, AuditQuery, AuditVerdictDto } from './audit.dto';

@ApiTags('audit')
@Controller('audit')
@Roles('admin')
export class AuditController {
  constructor(private readonly audit: AuditReadService) {}

  @Get()
  @ApiOperation({
    summary: 'Audit entries, oldest first, with filters (admin)',
    description:
      'Filters combine with AND. since is inclusive, until exclusive. Pages are keyed on seq: pass nextCursor back unchanged, with the same filters and order.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiSignedIn(400)
  async list(@Query() query: AuditQuery): Promise<AuditPageDto> {
    const { limit, cursor, order, articleId, actorId, action, since, until } = query;
    return this.audit.list(
      {
        articleId,
        actorId,
        action,
        since: since === undefined ? undefined : new Date(since),
        until: until === undefined ? undefined : new Date(until),
      },
      limit,
      cursor,
      order,
    );
  }

  @Get('verify')
  @ApiOperation({
    summary: 'Verify the whole hash chain (admin)',
    description:
      'Reads the log in seq order in batches, recomputing each hash: {valid: true, entries, head} or {valid: false, brokenAt, entries} with the first seq that was altered, removed or reordered.',
  })
  @ApiOkResponse({ type: AuditVerdictDto })
  @ApiSignedIn()
  verify(): Promise<AuditVerdictDto> {
    return this.audit.verify();
  }

  @Get('export')
  @ApiOperation({
    summary: 'Download the whole audit log as JSON Lines or CSV (admin, streamed)',
    description:
      'jsonl: one entry per line, shaped as the items of GET /audit (enough to re-verify the chain offline). csv: a header row (seq, at, actorId, actorEmail, action, entityType, entityId, articleId, data, prevHash, hash), then one row per entry; data is JSON text.',
  })
  @ApiOkResponse({
    description: 'The log in seq order, as an attachment named audit-<date>.<format>',
    headers: { 'Content-Disposition': { description: 'attachment; filename="audit-YYYY-MM-DD.jsonl|csv"', schema: { type: 'string' } } },
    content: {
      'application/x-ndjson': { schema: { type: 'string', description: 'One AuditEntryDto object per line' } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  @ApiSignedIn(400)
  export(@Query() query: AuditExportQuery): StreamableFile {
    const file = this.audit.export(query.format);
    return new StreamableFile(file.stream, { type: file.contentType, disposition: `attachment; filename="${file.filename}"` });
  }
}
