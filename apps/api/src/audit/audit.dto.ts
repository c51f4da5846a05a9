import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { AuditDigest, DIGEST_ALGORITHM, IntegrityProblem } from '@imprimatur/domain';
import { AUDIT_EXPORT_FORMATS, AuditExportFormat } from '@imprimatur/workflow';
import { PageQuery } from '../http/pagination';

// A calendar date (midnight UTC) or a date-time with its offset: a bare local time would mean
// whatever the server's time zone is.
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const INSTANT_MESSAGE =
  '$property must be an ISO-8601 date or a date-time with a time zone (e.g. 2026-11-28T12:00:00Z)';

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
  @Matches(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, {
    message: '$property must be a dotted action name such as article.submitted',
  })
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
  @ApiProperty({
    enum: AUDIT_EXPORT_FORMATS,
    description: 'jsonl: one entry per line as in GET /audit; csv: a header row, data as JSON text',
  })
  @IsIn(AUDIT_EXPORT_FORMATS)
  format: AuditExportFormat;
}

export class AuditActorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ada@example.org' }) email: string;
}

export class AuditEntryDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Position in the chain: 1, 2, 3, … without gaps' })
  seq: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: AuditActorDto, nullable: true, description: 'null for system actions and failed logins' })
  actor: AuditActorDto | null;
  @ApiProperty({ example: 'article.submitted' }) action: string;
  @ApiProperty({ example: 'article' }) entityType: string;
  @ApiProperty({ type: String, nullable: true }) entityId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) articleId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What changed, compactly' }) data: Record<
    string,
    unknown
  >;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'hash of the previous entry (64 zeros for the first)' })
  prevHash: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'sha256(prevHash + canonical JSON of the entry)' })
  hash: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

const INTEGRITY_PROBLEMS: IntegrityProblem[] = [
  'digest_signature',
  'digest_head',
  'digest_previous',
  'truncated',
  'anchor_mismatch',
];

export class AuditVerdictDto {
  @ApiProperty({ description: 'false if an entry was altered, removed or reordered, or a digest does not check out' })
  valid: boolean;
  @ApiProperty({ type: 'integer', description: 'Entries verified (when broken: the intact entries before brokenAt)' })
  entries: number;
  @ApiPropertyOptional({
    pattern: '^[0-9a-f]{64}$',
    description: 'When valid: the hash of the last entry, to anchor elsewhere',
  })
  head?: string;
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description:
      'When valid and the chain holds audit.digest entries: how many were checked (signature, the entry each vouches for, the link to the previous one)',
  })
  digests?: number;
  @ApiPropertyOptional({
    type: 'integer',
    description:
      'When not valid: the first seq that breaks the chain, or the digest entry that does not check out, or (against a given digest) the first seq the chain no longer vouches for',
  })
  brokenAt?: number;
  @ApiPropertyOptional({
    enum: INTEGRITY_PROBLEMS,
    description:
      "When not valid for another reason than a wrong hash: digest_signature (a digest entry whose signature does not verify with a known key), digest_head (a digest entry that does not vouch for the entry before it), digest_previous (one that does not name the previous digest), truncated (the chain ends before the given digest's headSeq: newest entries were removed), anchor_mismatch (the entry at the given digest's headSeq has another hash: history was rewritten)",
  })
  reason?: IntegrityProblem;
}

const HEX64 = /^[0-9a-f]{64}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// Any of the digest's fields given: all of them are needed to check its signature.
const anchored = (q: AuditVerifyQuery) =>
  q.headSeq !== undefined ||
  q.headHash !== undefined ||
  q.previousDigestSeq !== undefined ||
  q.keyId !== undefined ||
  q.signature !== undefined;

/** A digest kept outside the database (e.g. the "audit digest" log line), to check the chain against. */
export class AuditVerifyQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'headSeq of the digest to check against (with headHash, keyId and signature)',
  })
  @ValidateIf(anchored)
  @IsDefined()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  headSeq?: number;

  @ApiPropertyOptional({ pattern: HEX64.source, description: 'headHash of that digest' })
  @ValidateIf(anchored)
  @IsDefined()
  @IsString()
  @Matches(HEX64, { message: '$property must be 64 lower-case hex digits' })
  headHash?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'previousDigestSeq of that digest; omit when it is null',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  previousDigestSeq?: number;

  @ApiPropertyOptional({ maxLength: 100, description: 'keyId of that digest (see GET /audit/digests/keys)' })
  @ValidateIf(anchored)
  @IsDefined()
  @IsString()
  @MaxLength(100)
  @Matches(BASE64URL, { message: '$property must be base64url' })
  keyId?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'signature of that digest (base64url)' })
  @ValidateIf(anchored)
  @IsDefined()
  @IsString()
  @MaxLength(200)
  @Matches(BASE64URL, { message: '$property must be base64url' })
  signature?: string;

  /** The digest, when one was given (validation has made sure all its fields are there). */
  digest(): AuditDigest | null {
    if (
      !anchored(this) ||
      this.headSeq === undefined ||
      this.headHash === undefined ||
      this.keyId === undefined ||
      this.signature === undefined
    )
      return null;
    return {
      headSeq: this.headSeq,
      headHash: this.headHash,
      previousDigestSeq: this.previousDigestSeq ?? null,
      keyId: this.keyId,
      algorithm: DIGEST_ALGORITHM,
      signature: this.signature,
    };
  }
}

export class AuditHeadDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'seq of the newest entry (0 when the log is empty)' })
  seq: number;
  @ApiProperty({ pattern: HEX64.source, description: 'hash of the newest entry (64 zeros when the log is empty)' })
  hash: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the newest entry was written' })
  at: string | null;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'entries in the log: equal to seq unless rows went missing',
  })
  entries: number;
}

export class DigestJwkDto {
  @ApiProperty({ enum: ['OKP'] }) kty: 'OKP';
  @ApiProperty({ enum: ['Ed25519'] }) crv: 'Ed25519';
  @ApiProperty({ description: 'The public key (base64url)' }) x: string;
  @ApiProperty({ description: 'Equal to keyId' }) kid: string;
  @ApiProperty({ enum: ['EdDSA'] }) alg: 'EdDSA';
  @ApiProperty({ enum: ['sig'] }) use: 'sig';
}

export class DigestKeyDto {
  @ApiProperty({ description: 'RFC 7638 JWK thumbprint (SHA-256, base64url): the keyId digests name' }) keyId: string;
  @ApiProperty({ enum: [DIGEST_ALGORITHM] }) algorithm: typeof DIGEST_ALGORITHM;
  @ApiProperty({
    description: 'SPKI PEM of the public key',
    example: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA…\n-----END PUBLIC KEY-----\n',
  })
  publicKey: string;
  @ApiProperty({ type: DigestJwkDto, description: 'The same key as a JWK' }) jwk: DigestJwkDto;
  @ApiProperty({
    description:
      'true: generated because AUDIT_DIGEST_KEY was not set (its private half is kept in the database); false: AUDIT_DIGEST_KEY',
  })
  generated: boolean;
  @ApiProperty({ format: 'date-time', description: 'when this key first signed' }) createdAt: string;
}

export class DigestKeysDto {
  @ApiProperty({ type: [DigestKeyDto], description: 'Every key that has signed digests, oldest first' })
  keys: DigestKeyDto[];
}
