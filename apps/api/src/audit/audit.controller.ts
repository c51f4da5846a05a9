import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditReadService } from '@imprimatur/workflow';
import { Roles } from '../http/access';
import { ApiSignedIn } from '../http/api-errors';
import { AuditIntegrityService } from './audit-integrity.service';
import {
  AuditExportQuery,
  AuditHeadDto,
  AuditPageDto,
  AuditQuery,
  AuditVerdictDto,
  AuditVerifyQuery,
  DigestKeysDto,
} from './audit.dto';

@ApiTags('audit')
@Controller('audit')
@Roles('admin')
export class AuditController {
  constructor(
    private readonly audit: AuditReadService,
    private readonly integrity: AuditIntegrityService,
  ) {}

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
    summary: 'Verify the whole hash chain and its signed digests (admin)',
    description:
      'Reads the log in seq order in batches, recomputing each hash: {valid: true, entries, head} or {valid: false, brokenAt, entries} with the first seq that was altered, removed or reordered. ' +
      'Every audit.digest entry is checked too (signature with a key of GET /audit/digests/keys, the entry it vouches for, the link to the previous digest): a bad one answers {valid: false, brokenAt: its seq, reason}. ' +
      'A shorter chain is still a valid chain, so to detect the newest entries removed, pass a digest kept outside the database (the fields of an "audit digest" log line): its signature is checked (400 if it does not verify), then the chain must still hold its headSeq with its headHash (else reason truncated or anchor_mismatch).',
  })
  @ApiOkResponse({ type: AuditVerdictDto })
  @ApiSignedIn(400)
  verify(@Query() query: AuditVerifyQuery): Promise<AuditVerdictDto> {
    return this.integrity.verify(query.digest());
  }

  @Get('head')
  @ApiOperation({
    summary: 'The newest entry of the chain (admin)',
    description:
      'seq, hash and time of the newest entry, and how many entries the log holds, to note down and compare later: the chain must still hold that seq with that hash.',
  })
  @ApiOkResponse({ type: AuditHeadDto })
  @ApiSignedIn()
  head(): Promise<AuditHeadDto> {
    return this.integrity.head();
  }

  @Get('digests/keys')
  @ApiOperation({
    summary: 'The public keys that sign audit digests (admin)',
    description:
      "Every Ed25519 key that has signed audit.digest entries, as SPKI PEM and JWK. A digest's signature is Ed25519 over the RFC 8785 canonical JSON of {algorithm, headHash, headSeq, keyId, previousDigestSeq}, base64url-encoded; keyId is the RFC 7638 thumbprint of the key.",
  })
  @ApiOkResponse({ type: DigestKeysDto })
  @ApiSignedIn()
  async digestKeys(): Promise<DigestKeysDto> {
    return { keys: await this.integrity.keys() };
  }

  @Get('export')
  @ApiOperation({
    summary: 'Download the whole audit log as JSON Lines or CSV (admin, streamed)',
    description:
      'jsonl: one entry per line, shaped as the items of GET /audit (enough to re-verify the chain offline). csv: a header row (seq, at, actorId, actorEmail, action, entityType, entityId, articleId, data, prevHash, hash), then one row per entry; data is JSON text. ' +
      'In the CSV, a cell that starts with =, +, -, @, a tab or a carriage return gets a leading single quote (the OWASP rule against formula injection), so spreadsheets show it as text: re-verify the chain from the JSON Lines export.',
  })
  @ApiOkResponse({
    description: 'The log in seq order, as an attachment named audit-<date>.<format>',
    headers: {
      'Content-Disposition': {
        description: 'attachment; filename="audit-YYYY-MM-DD.jsonl|csv"',
        schema: { type: 'string' },
      },
    },
    content: {
      'application/x-ndjson': { schema: { type: 'string', description: 'One AuditEntryDto object per line' } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  @ApiSignedIn(400)
  export(@Query() query: AuditExportQuery): StreamableFile {
    const file = this.integrity.export(query.format);
    return new StreamableFile(file.stream, {
      type: file.contentType,
      disposition: `attachment; filename="${file.filename}"`,
    });
  }
}
