import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import {
  ARTICLE_STATES,
  ArticleState,
  AudienceVariant,
  CHANGE_KINDS,
  ChangeClass,
  ChangeKind,
  CHECK_STATUSES,
  CheckStatus,
  ContentChange,
  INT4_MAX,
  Reference,
  REFERENCE_KEY_PATTERN,
  REFERENCE_TYPES,
  ReferenceType,
  SignatureMeaning,
  SignoffDecision,
  SignoffStatus,
  VARIANT_AUDIENCES,
  VariantAudience,
  REVIEW_DUE_REASONS,
  ReviewDueReason,
} from '@imprimatur/domain';
import type { ArticleView, SignoffView } from '@imprimatur/workflow';
import { PageQuery } from '../http/pagination';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/**
 * A `.` or `..` path segment, also spelt `%2e`, or after a backslash (URL parsers read `\` as `/` in
 * http URLs). A DOI is put in a resolver's path, where such a segment would climb out of it.
 */
const DOT_SEGMENT = /(?:^|[/\\])(?:\.|%2e){1,2}(?=[/\\]|$)/i;

const HasNoDotSegments = () =>
  ValidateBy({
    name: 'hasNoDotSegments',
    validator: {
      validate: (value) => typeof value !== 'string' || !DOT_SEGMENT.test(value),
      defaultMessage: () => 'doi must not contain . or .. path segments',
    },
  });

export class ReferenceDto {
  @ApiPropertyOptional({
    pattern: REFERENCE_KEY_PATTERN.source,
    maxLength: 64,
    example: 'k3Jd9aQx',
    description:
      "Stable across revisions (contract §19): send back the key GET gave you. Absent, the server keeps the key of the base revision's reference with the same DOI, PMID, URL, or title and year, else assigns a new one. Unique within a revision.",
  })
  @IsOptional()
  @IsString()
  @Matches(REFERENCE_KEY_PATTERN, { message: 'key must be 1-64 letters, digits, _ or -' })
  key?: string;

  @ApiProperty({ enum: REFERENCE_TYPES })
  @IsIn(REFERENCE_TYPES)
  type: ReferenceType;

  @ApiProperty({
    minLength: 1,
    maxLength: 500,
    example: 'Soft tissue and visceral sarcomas: ESMO Clinical Practice Guidelines',
  })
  @Transform(trim)
  @IsString()
  @Length(1, 500)
  title: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 300, example: 'Annals of Oncology' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  source?: string | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1500, maximum: 2200, example: 2021 })
  @IsOptional()
  @IsInt()
  @Min(1500)
  @Max(2200)
  year?: number | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    format: 'uri',
    maxLength: 2048,
    description: 'At least one of url, doi and pmid is required',
  })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  url?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '10.1016/j.annonc.2021.07.002',
    description: '10.NNNN/suffix, without . or .. path segments',
  })
  @IsOptional()
  @IsString()
  @Matches(/^10\.\d{4,9}\/\S{1,300}$/, { message: 'doi must look like 10.NNNN/suffix' })
  @HasNoDotSegments()
  doi?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '34303806' })
  @IsOptional()
  @IsString()
  @Matches(/^[1-9]\d{0,9}$/, { message: 'pmid must be a PubMed id (digits)' })
  pmid?: string | null;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 100,
    example: ['Gronchi A', 'Miah AB'],
    description: 'Authors in Vancouver form (Family Initials), as GET /references/lookup gives them',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  authors?: string[];
}

export class VariantDto {
  @ApiProperty({ enum: VARIANT_AUDIENCES, description: 'professional is the article itself' })
  @IsIn(VARIANT_AUDIENCES, { message: `audience must be one of ${VARIANT_AUDIENCES.join(', ')}` })
  audience: VariantAudience;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    minLength: 1,
    maxLength: 300,
    description: "Defaults to the article's title",
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 300)
  title?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 20000,
    description: "Markdown; defaults to the article's summary",
  })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  summary?: string | null;

  @ApiProperty({
    maxLength: 500_000,
    description: "Markdown; cites the article's references by the same numbers: [1], [2, 3], [2-6]",
  })
  @IsString()
  @Length(1, 500_000)
  body: string;
}

export class RevisionContentDto {
  @ApiProperty({ minLength: 1, maxLength: 300, example: 'Can leiomyosarcoma be treated?' })
  @Transform(trim)
  @IsString()
  @Length(1, 300)
  title: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Markdown', maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  summary?: string | null;

  @ApiProperty({ description: 'Markdown; cites references by number: [1], [2, 3], [2-6]', maxLength: 500_000 })
  @IsString()
  @Length(1, 500_000)
  body: string;

  @ApiProperty({ type: [ReferenceDto], maxItems: 500, description: 'Reference n is references[n-1]' })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ReferenceDto)
  references: ReferenceDto[];

  @ApiPropertyOptional({ type: [String], maxItems: 50, example: ['oncology'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  specialties?: string[];

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 3650,
    description: 'Overrides REVIEW_INTERVAL_DAYS for this article',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  reviewIntervalDays?: number | null;

  @ApiPropertyOptional({
    type: [VariantDto],
    maxItems: VARIANT_AUDIENCES.length,
    description:
      'The article for other audiences (contract §13), reviewed with it as one: at most one per audience (a second → 400)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(VARIANT_AUDIENCES.length)
  @ValidateNested({ each: true })
  @Type(() => VariantDto)
  variants?: VariantDto[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000, description: 'Why this revision' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  changeNote?: string | null;
}

export class CreateArticleDto extends RevisionContentDto {
  @ApiPropertyOptional({
    pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
    maxLength: 80,
    description: 'Derived from the title when absent (suffixed -2, -3… on collision)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
    message: 'slug must be kebab-case: lower-case letters and digits joined by single dashes',
  })
  slug?: string;
}

export class CreateRevisionDto extends RevisionContentDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: INT4_MAX,
    description: 'The revision this edit starts from; must be the current one, else 409 stale_revision',
  })
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  baseRevision: number;

  @ApiPropertyOptional({
    default: false,
    description:
      'Save and submit in one transaction (contract §19): the draft this revision leaves is submitted as POST /articles/:id/submit would (straight to under_review when it came back from changes_requested). A refused submission (422 citation_errors, 409 invalid_transition when the article is not a draft after saving) refuses the whole request: nothing is saved.',
  })
  @IsOptional()
  @IsBoolean()
  submit?: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      "Citations follow their references (contract §19). With renumber: true the markers of summary, body and variants are read in baseRevision's numbering and rewritten so that each keeps citing the same reference (matched by key) after references were reordered, inserted or removed; a marker of a removed reference (or of a number baseRevision never had) refuses the request with 422 citation_errors. Without it the markers are taken as written in this revision's numbering, but a marker left exactly as it was (same number, same words around it) whose reference moved is refused with 422 citation_errors (kind repointed_marker): it would silently cite another paper.",
  })
  @IsOptional()
  @IsBoolean()
  renumber?: boolean;
}

export class SubmitDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'Publish no earlier than this once approved. Omitted: keep the time set at an earlier submission; null: clear it.',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  publishAt?: string | null;
}

export class AssignReviewersDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    maxItems: 50,
    description: 'The complete set of reviewers; an empty list unassigns everyone',
  })
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  reviewerIds: string[];

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When every listed review is due (contract §17). Absent: as it was; null: REVIEW_SLA_DAYS after the later of assignment and submission',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueAt?: string | null;
}

export class ReasonDto {
  @ApiProperty({ minLength: 1, maxLength: 2000 })
  @Transform(trim)
  @IsString()
  @Length(1, 2000)
  reason: string;
}

export class CreateSignoffDto {
  @ApiProperty({ enum: ['approve', 'request_changes'] })
  @IsIn(['approve', 'request_changes'])
  decision: SignoffDecision;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: INT4_MAX,
    description: 'The revision signed off; must be the current one, else 409 stale_revision',
  })
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  revision: number;

  @ApiProperty({
    pattern: '^[0-9a-f]{64}$',
    description:
      "The contentHash of the revision the reviewer was shown (the article's currentContentHash); any other → 409 stale_revision (details.currentRevision, details.contentHash)",
  })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 'contentHash must be 64 lowercase hexadecimal digits (a SHA-256)' })
  contentHash: string;

  @ApiPropertyOptional({
    writeOnly: true,
    maxLength: 1024,
    description:
      "The reviewer's own password, checked on every sign-off (401 reauthentication_failed; failures count towards the login throttle, 429 beyond it). Required unless SIGNOFF_REAUTH=false. Never logged or stored.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({ maxLength: 5000, description: 'Required for request_changes' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(5000)
  note?: string;
}

export class AnchorDto {
  @ApiProperty({ minLength: 1, maxLength: 2000, description: 'Exact text of the current revision body' })
  @IsString()
  @Length(1, 2000)
  quote: string;

  @ApiPropertyOptional({ maxLength: 500, description: 'Text right before the quote, to tell repeated quotes apart' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  prefix?: string;

  @ApiPropertyOptional({ maxLength: 500, description: 'Text right after the quote' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  suffix?: string;
}

export class CreateCommentDto {
  @ApiProperty({ minLength: 1, maxLength: 10000 })
  @IsString()
  @Length(1, 10_000)
  body: string;

  @ApiPropertyOptional({ type: AnchorDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AnchorDto)
  anchor?: AnchorDto;

  @ApiPropertyOptional({ default: false, description: 'A blocking comment holds approval until resolved' })
  @IsOptional()
  @IsBoolean()
  blocking?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'Reply to this comment' })
  @IsOptional()
  @IsUUID()
  parentId?: string;
}

export class ListArticlesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ARTICLE_STATES })
  @IsOptional()
  @IsIn(ARTICLE_STATES)
  state?: ArticleState;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  authorId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  reviewerId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  reviewDue?: 'true' | 'false';

  @ApiPropertyOptional({ maxLength: 200, description: 'Text search in titles (case-insensitive substring)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;
}

// ---- responses ----

export class ReviewerSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) credentials: string | null;
  @ApiProperty({ format: 'date-time' }) assignedAt: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When the review is due: the dueAt the admin set, else REVIEW_SLA_DAYS after the later of the assignment and the latest submission (or re-review); null before the article is submitted',
  })
  dueAt: string | null;
}

export class SignerDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The printed name, as it was when they signed' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: 'MD, PhD' }) credentials: string | null;
}

export class SignoffViewDto implements SignoffView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: SignerDto }) reviewer: SignerDto;
  @ApiProperty({ enum: ['approve', 'request_changes'] }) decision: SignoffDecision;
  @ApiProperty({ enum: ['approval', 'changes_requested'], description: 'What the signature means' })
  meaning: SignatureMeaning;
  @ApiProperty({ type: 'integer' }) revision: number;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'The content hash of the revision that was signed' })
  contentHash: string;
  @ApiProperty({ format: 'date-time' }) signedAt: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({
    enum: ['counted', 'replaced', 'dismissed'],
    description: 'counted until a later decision of the same reviewer replaces it or it is dismissed',
  })
  status: SignoffStatus;
}

export class ContentChangeDto implements ContentChange {
  @ApiProperty({ enum: CHANGE_KINDS, description: 'wording is editorial; every other kind is clinical' })
  kind: ChangeKind;
  @ApiProperty({ type: String, nullable: true, description: 'null when added' }) before: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'null when removed' }) after: string | null;
  @ApiPropertyOptional({ enum: VARIANT_AUDIENCES, description: "Set for a change in an audience variant's text" })
  audience?: VariantAudience;
}

export class CheckSummaryDto {
  @ApiProperty({ enum: CHECK_STATUSES }) citations: CheckStatus;
  @ApiProperty({ enum: CHECK_STATUSES }) links: CheckStatus;
  @ApiProperty({ enum: CHECK_STATUSES }) staleness: CheckStatus;
  @ApiProperty({
    enum: CHECK_STATUSES,
    description: 'warning: a patient or caregiver variant reads above PATIENT_READING_GRADE_MAX (never blocks)',
  })
  readability: CheckStatus;
  @ApiProperty({
    enum: CHECK_STATUSES,
    description: 'failed: a variant states a quantity the professional text does not (blocks approval)',
  })
  consistency: CheckStatus;
  @ApiProperty({
    enum: CHECK_STATUSES,
    description:
      'failed: a cited paper is retracted or withdrawn (blocks approval); warning: a correction, an expression of concern, metadata that disagrees with the registry, an identifier the registry does not know, or a registry that could not be asked',
  })
  evidence: CheckStatus;
}

export class ArticleDto implements ArticleView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'can-leiomyosarcoma-be-treated' }) slug: string;
  @ApiProperty({ enum: ARTICLE_STATES }) state: ArticleState;
  @ApiProperty({ description: 'Title of the current revision' }) title: string;
  @ApiProperty({ format: 'uuid' }) authorId: string;
  @ApiProperty({ type: 'integer' }) currentRevision: number;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: "The current revision's contentHash: what a sign-off names" })
  currentContentHash: string;
  @ApiProperty({
    // OpenAPI 3.0: a nullable enum lists null among its values.
    enum: ['clinical', 'editorial', null],
    nullable: true,
    description:
      "The current revision's change class (contract §15); null for revision 1 and revisions from before classes (treated as clinical)",
  })
  changeClass: ChangeClass | null;
  @ApiProperty({ type: [ContentChangeDto], description: "What explains the current revision's class" })
  changes: ContentChangeDto[];
  @ApiProperty({ type: 'integer', nullable: true }) publishedVersion: number | null;
  @ApiProperty({ type: [ReviewerSummaryDto] }) reviewers: ReviewerSummaryDto[];
  @ApiProperty({ type: [SignoffViewDto], description: 'Counted sign-offs on the current revision' })
  signoffs: SignoffViewDto[];
  @ApiProperty({ type: CheckSummaryDto }) checks: CheckSummaryDto;
  @ApiProperty() reviewDue: boolean;
  @ApiProperty({
    enum: [...REVIEW_DUE_REASONS, null],
    nullable: true,
    description:
      'Why the live version is due for review: its nextReviewDue came (schedule) or a cited paper was retracted (retraction); null when not due',
  })
  reviewDueReason: ReviewDueReason | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) lastUpdated: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) lastReviewed: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) nextReviewDue: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description:
      'Unresolved blocking comments on the article (any revision): approval waits until each is resolved (contract §5). The editor’s desk shows it per article.',
  })
  openBlockingComments: number;
}

export class ArticlePageDto {
  @ApiProperty({ type: [ArticleDto] }) items: ArticleDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

/** A reference as the API answers it: every field present, null when the editor gave none. */
export class ReferenceViewDto implements Reference {
  @ApiPropertyOptional({
    description: 'Stable across revisions (contract §19); absent on references saved before keys',
  })
  key?: string;
  @ApiProperty({ enum: REFERENCE_TYPES }) type: ReferenceType;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) source: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) year: number | null;
  @ApiProperty({ type: String, nullable: true }) url: string | null;
  @ApiProperty({ type: String, nullable: true }) doi: string | null;
  @ApiProperty({ type: String, nullable: true }) pmid: string | null;
  @ApiPropertyOptional({ type: [String], description: 'Present when the reference names its authors' })
  authors?: string[];
}

/** A variant as written: absent title and summary are null (the article's own are used). */
export class VariantViewDto implements AudienceVariant {
  @ApiProperty({ enum: VARIANT_AUDIENCES }) audience: VariantAudience;
  @ApiProperty({ type: String, nullable: true }) title: string | null;
  @ApiProperty({ type: String, nullable: true }) summary: string | null;
  @ApiProperty() body: string;
}

export class VariantHtmlDto {
  @ApiProperty({ enum: VARIANT_AUDIENCES }) audience: VariantAudience;
  @ApiProperty({ type: String, nullable: true, description: "The variant's summary, or else the article's, rendered" })
  summaryHtml: string | null;
  @ApiProperty() bodyHtml: string;
}

export class RevisionDto {
  @ApiProperty({ format: 'uuid' }) articleId: string;
  @ApiProperty({ type: 'integer' }) number: number;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) summary: string | null;
  @ApiProperty() body: string;
  @ApiProperty({ type: [ReferenceViewDto] }) references: ReferenceViewDto[];
  @ApiProperty({ type: [String] }) specialties: string[];
  @ApiProperty({ type: 'integer', nullable: true }) reviewIntervalDays: number | null;
  @ApiProperty({ type: String, nullable: true }) changeNote: string | null;
  @ApiProperty({ format: 'uuid' }) authorId: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The summary rendered once, when the revision was written: what reviewers see and readers get',
  })
  summaryHtml: string | null;
  @ApiProperty({ description: 'The body rendered once, when the revision was written, and published byte for byte' })
  bodyHtml: string;
  @ApiProperty({ type: [VariantViewDto], description: 'Audience variants as written (contract §13); [] when none' })
  variants: VariantViewDto[];
  @ApiProperty({
    type: [VariantHtmlDto],
    description: 'Each variant rendered when the revision was written, in the order of variants',
  })
  variantsHtml: VariantHtmlDto[];
  @ApiProperty({
    // OpenAPI 3.0: a nullable enum lists null among its values.
    enum: ['clinical', 'editorial', null],
    nullable: true,
    description:
      'Against changeBase (the revision live when this one was written, else the previous one): clinical when a number or quantity, a drug, a route or frequency, a negation or contraindication, or a reference changed; otherwise editorial. null for revision 1 (and revisions from before classes: treated as clinical)',
  })
  changeClass: ChangeClass | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'The revision this one was classified against' })
  changeBase: number | null;
  @ApiProperty({ type: [ContentChangeDto], description: 'The changes that explain changeClass' })
  changes: ContentChangeDto[];
  @ApiProperty({
    pattern: '^[0-9a-f]{64}$',
    description:
      "Lowercase hex SHA-256 of the RFC 8785 canonical JSON of {title, summary, body, references, specialties, reviewIntervalDays, variants, html: {summaryHtml, bodyHtml, variants}}, where variants is this revision's variants and html.variants its variantsHtml",
  })
  contentHash: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class RevisionPageDto {
  @ApiProperty({ type: [RevisionDto] }) items: RevisionDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class AnchorViewDto extends AnchorDto {}

export class CommentPlacementDto {
  @ApiProperty({ type: 'integer', description: 'The revision the comment is placed on' }) revision: number;
  @ApiProperty({
    enum: ['anchored', 'outdated'],
    description:
      'anchored: the quote (with its prefix and suffix) still occurs in that revision; outdated: it no longer does (the anchor keeps the original quote)',
  })
  status: 'anchored' | 'outdated';
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "Offset of the quote in the revision's body (UTF-16 code units); null when outdated",
  })
  start: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Offset just after the quote; null when outdated' })
  end: number | null;
}

export class CommentViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) articleId: string;
  @ApiProperty({ type: 'integer', description: 'The revision the comment was made on' }) revision: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) parentId: string | null;
  @ApiProperty({ format: 'uuid' }) authorId: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: AnchorViewDto, nullable: true }) anchor: AnchorViewDto | null;
  @ApiProperty() blocking: boolean;
  @ApiProperty() resolved: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) resolvedBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PlacedCommentDto extends CommentViewDto {
  @ApiProperty({
    type: CommentPlacementDto,
    nullable: true,
    description: 'Where the comment stands on the revision listed (contract §19); null for a comment without an anchor',
  })
  placement: CommentPlacementDto | null;
}

export class CommentPageDto {
  @ApiProperty({ type: [PlacedCommentDto] }) items: PlacedCommentDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
  @ApiProperty({ type: 'integer', description: 'The revision the comments are placed on' }) revision: number;
}

export class CommentsQuery extends PageQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: INT4_MAX,
    description: 'Place the comments on this revision (default: the current one); 404 when it does not exist',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  revision?: number;
}

export class SignoffResultDto {
  @ApiProperty({ type: SignoffViewDto }) signoff: SignoffViewDto;
  @ApiProperty({ type: ArticleDto }) article: ArticleDto;
}
