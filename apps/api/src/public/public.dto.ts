import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  Audience,
  AUDIENCES,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  REFERENCE_TYPES,
  ReferenceType,
  SignatureMeaning,
  VARIANT_AUDIENCES,
  VariantAudience,
} from '@imprimatur/domain';
import type { PublicArticleDocument, PublicSignature, PublicVariant } from '@imprimatur/publishing';

export class PublicListQuery {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Only articles whose live version changed at or after this time',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedSince?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class PublicReferenceDto {
  @ApiProperty({ type: 'integer', description: 'Cited in the body as [n]; the HTML anchor is #ref-n' }) n: number;
  @ApiPropertyOptional({ description: 'Stable across versions (contract §19); absent on references saved before keys' })
  key?: string;
  @ApiProperty({ enum: REFERENCE_TYPES }) type: ReferenceType;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) source: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) year: number | null;
  @ApiProperty({ type: String, nullable: true }) url: string | null;
  @ApiProperty({ type: String, nullable: true }) doi: string | null;
  @ApiProperty({ type: String, nullable: true }) pmid: string | null;
  @ApiPropertyOptional({ type: [String], description: 'Authors in Vancouver form, when the reference names them' })
  authors?: string[];
  @ApiProperty({ type: String, nullable: true, description: 'The DOI through the resolver' }) doiUrl: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The PMID on PubMed' }) pubmedUrl: string | null;
}

export class ReviewerCreditDto {
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true, example: 'MD, PhD' }) credentials: string | null;
}

export class PublicSignatureDto implements PublicSignature {
  @ApiProperty({ description: "The signer's name as it was when they signed" }) name: string;
  @ApiProperty({ type: String, nullable: true, example: 'MD, PhD', description: 'Their credentials when they signed' })
  credentials: string | null;
  @ApiProperty({ enum: ['approval'], description: 'What the signature means: only approvals are attested' })
  meaning: SignatureMeaning;
  @ApiProperty({ format: 'date-time' }) signedAt: string;
  @ApiProperty({
    pattern: '^[0-9a-f]{64}$',
    description: "The content hash the signer signed: the published revision's (contract §12)",
  })
  contentHash: string;
}

export class PublicVariantDto implements PublicVariant {
  @ApiProperty({ enum: VARIANT_AUDIENCES }) audience: VariantAudience;
  @ApiProperty({ description: "The variant's title, or the article's when it has none" }) title: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The variant's summary, or the article's when it has none",
  })
  summary: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The HTML stored with the revision, as it was reviewed' })
  summaryHtml: string | null;
  @ApiProperty({ description: 'Markdown; cites the shared references by the same numbers' }) body: string;
  @ApiProperty({
    description: 'The HTML stored with the revision, as it was reviewed (sanitised; citations link to #ref-n)',
  })
  bodyHtml: string;
}

/** Absent only on versions attested before audiences existed, which are served exactly as they were signed. */
const SINCE_AUDIENCES =
  ' Absent only without ?audience= on a version attested before audiences existed: it is served exactly as it was signed.';

export class PublicArticleDto implements PublicArticleDocument {
  @ApiProperty() slug: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: 'integer' }) version: number;
  @ApiProperty({ type: 'integer' }) revision: number;
  @ApiProperty({ type: String, nullable: true }) summary: string | null;
  @ApiProperty({ type: String, nullable: true }) summaryHtml: string | null;
  @ApiProperty({ description: 'Markdown' }) body: string;
  @ApiProperty({ description: 'Sanitised HTML; citation markers link to #ref-n, headings carry stable ids' })
  bodyHtml: string;
  @ApiProperty({
    enum: AUDIENCES,
    required: false,
    description:
      'Whose text title, summary(Html) and body(Html) are: professional without ?audience= (the signed document); under ?audience= the audience asked for, or professional when the article has no text for it.' +
      SINCE_AUDIENCES,
  })
  audience: Audience;
  @ApiProperty({
    enum: AUDIENCES,
    isArray: true,
    required: false,
    example: ['professional', 'patient'],
    description: 'The audiences the article is written for: professional, then those of variants.' + SINCE_AUDIENCES,
  })
  audiences: Audience[];
  @ApiProperty({
    type: [PublicVariantDto],
    required: false,
    description:
      'The article for other audiences (patient, then caregiver), reviewed and signed with it as one.' +
      SINCE_AUDIENCES,
  })
  variants: PublicVariantDto[];
  @ApiProperty({ type: [PublicReferenceDto] }) references: PublicReferenceDto[];
  @ApiProperty({ type: [String] }) specialties: string[];
  @ApiProperty({ enum: ['approved'] }) reviewStatus: 'approved';
  @ApiProperty({ type: [ReviewerCreditDto] }) reviewedBy: ReviewerCreditDto[];
  @ApiProperty({ format: 'date-time' }) approvedAt: string;
  @ApiProperty({ format: 'date-time' }) publishedAt: string;
  @ApiProperty({ format: 'date' }) lastUpdated: string;
  @ApiProperty({ format: 'date' }) lastReviewed: string;
  @ApiProperty({ format: 'date' }) nextReviewDue: string;
  @ApiProperty({
    pattern: '^[0-9a-f]{64}$',
    description: "The published revision's content hash (contract §12): SHA-256 of the JCS of its content and HTML",
  })
  contentHash: string;
  @ApiProperty({
    enum: ['clinical', 'editorial'],
    required: false,
    description:
      'Contract §14/§15: editorial when this version is an editorial fix of the previous live one (fewer approvals; lastReviewed and nextReviewDue kept), else clinical. Absent on versions published before change classes (they were whole reviews), which are served as they were signed.',
  })
  significance: 'clinical' | 'editorial';
  @ApiProperty({
    type: String,
    nullable: true,
    required: false,
    description:
      'The change notes of the revisions this version includes since the previous one. Absent on versions published before change classes.',
  })
  changeSummary: string | null;
  @ApiProperty({
    type: [PublicSignatureDto],
    description:
      'The counted approvals of the published revision, oldest first, as recorded when given. Empty on versions published before signatures were attested (their attestation is null; reviewedBy names the reviewers).',
  })
  signatures: PublicSignatureDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'A compact JWS (alg EdDSA, kid of a key in GET /.well-known/jwks.json, typ imprimatur-attestation+jwt) whose payload is {iss, sub: slug, version, revision, contentHash, documentHash, signatures, iat}; documentHash is the hex SHA-256 of the RFC 8785 canonical JSON of this document without its attestation and updateInReview fields. Null on versions published before attestations existed.',
  })
  attestation: string | null;
  @ApiProperty({
    description:
      'A newer revision of the article is with the Medical Advisory Board (submitted, under review, or approved and not yet published): "An update to this article is under review". The same on every version of the article. Not covered by the attestation: it changes without a new version (and so does the ETag).',
  })
  updateInReview: boolean;
}

export class PublicVersionDto {
  @ApiProperty({ type: 'integer' }) version: number;
  @ApiProperty({ type: 'integer' }) revision: number;
  @ApiProperty({ format: 'date-time' }) publishedAt: string;
  @ApiProperty({ format: 'date' }) lastUpdated: string;
  @ApiProperty({ format: 'date' }) lastReviewed: string;
  @ApiProperty() contentHash: string;
  @ApiProperty({
    enum: ['clinical', 'editorial'],
    description:
      'editorial: an editorial fix of the live revision, reviewed with fewer approvals (lastReviewed kept); clinical: a whole review (also every version from before change classes)',
  })
  significance: 'clinical' | 'editorial';
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The change notes of the revisions this version includes since the previous one',
  })
  changeSummary: string | null;
}

export class PublicVersionPageDto {
  @ApiProperty({ type: [PublicVersionDto] }) items: PublicVersionDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class PublicArticleSummaryDto {
  @ApiProperty() slug: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) summary: string | null;
  @ApiProperty({ type: 'integer' }) version: number;
  @ApiProperty({ format: 'date' }) lastUpdated: string;
  @ApiProperty({ format: 'date' }) lastReviewed: string;
  @ApiProperty({ format: 'date' }) nextReviewDue: string;
  @ApiProperty({ format: 'date-time' }) publishedAt: string;
  @ApiProperty({ format: 'date-time', description: 'When the live version last changed' }) updatedAt: string;
  @ApiProperty({ format: 'uri' }) url: string;
  @ApiProperty({ enum: AUDIENCES, isArray: true, description: 'The audiences the live version is written for' })
  audiences: Audience[];
  @ApiProperty({
    description:
      'A newer revision is in review (see the document). It changes without moving updatedAt, which follows the live version only.',
  })
  updateInReview: boolean;
}

export class PublicArticlePageDto {
  @ApiProperty({ type: [PublicArticleSummaryDto] }) items: PublicArticleSummaryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class FeedExtensionDto {
  @ApiProperty({ enum: ['clinical', 'editorial'] }) significance: 'clinical' | 'editorial';
  @ApiProperty({ type: String, nullable: true }) changeSummary: string | null;
}

export class JsonFeedItemDto {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'uri' }) url: string;
  @ApiProperty() title: string;
  @ApiProperty() content_html: string;
  @ApiPropertyOptional() summary?: string;
  @ApiProperty({ format: 'date-time' }) date_published: string;
  @ApiProperty({ format: 'date-time' }) date_modified: string;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({
    type: FeedExtensionDto,
    description: "This publisher's JSON Feed extension: the live version's significance and change summary",
  })
  _imprimatur: FeedExtensionDto;
}

export class JsonFeedDto {
  @ApiProperty({ example: 'https://jsonfeed.org/version/1.1' }) version: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'uri' }) home_page_url: string;
  @ApiProperty({ format: 'uri' }) feed_url: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [JsonFeedItemDto] }) items: JsonFeedItemDto[];
}

export class EditorialPolicyDto {
  @ApiProperty({ description: 'Markdown, as the admin wrote it' }) body: string;
  @ApiProperty({ description: 'Sanitised HTML, rendered once when written, with the renderer articles use' })
  bodyHtml: string;
  @ApiProperty({
    format: 'date-time',
    description: 'When it was last changed (until an admin sets one: when the default policy was installed)',
  })
  updatedAt: string;
}
