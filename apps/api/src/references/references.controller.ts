import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length } from 'class-validator';
import { ReferenceLookup, ReferenceMetadata } from '@imprimatur/checks';
import { EvidenceNotice, NOTICE_TYPES, NoticeType } from '@imprimatur/domain';
import { Roles } from '../http/access';
import { ApiSignedIn } from '../http/api-errors';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ReferenceLookupQuery {
  @ApiPropertyOptional({
    example: '10.1016/j.annonc.2021.07.002',
    description: 'A DOI, bare or as a doi.org URL (exactly one of doi and pmid)',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 300)
  doi?: string;

  @ApiPropertyOptional({ example: '34303806', description: 'A PubMed id (exactly one of doi and pmid)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 20)
  pmid?: string;
}

export class EvidenceNoticeDto implements EvidenceNotice {
  @ApiProperty({
    enum: NOTICE_TYPES,
    description: 'Crossref update type; PubMed "Retracted Publication" is retraction',
  })
  type: NoticeType;
  @ApiProperty({ type: String, nullable: true, description: "The notice's own DOI" }) doi: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'retraction-watch',
    description: 'retraction-watch, publisher or pubmed',
  })
  source: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2019-08-13',
    description: 'YYYY-MM-DD, or as much as the registry gives',
  })
  date: string | null;
}

export class ReferenceLookupDto implements ReferenceMetadata {
  @ApiProperty({ type: String, nullable: true }) title: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The journal' }) source: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) year: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Lower-case, without a resolver prefix' }) doi:
    string | null;
  @ApiProperty({ type: String, nullable: true }) pmid: string | null;
  @ApiProperty({ type: String, nullable: true }) url: string | null;
  @ApiProperty({ type: [String], example: ['Gronchi A', 'Miah AB'], description: 'Vancouver form: Family Initials' })
  authors: string[];
  @ApiProperty({
    type: [EvidenceNoticeDto],
    description: 'Retractions, withdrawals, expressions of concern and corrections attached to the paper',
  })
  notices: EvidenceNoticeDto[];
}

@ApiTags('references')
@Controller('references')
export class ReferencesController {
  constructor(private readonly lookups: ReferenceLookup) {}

  @Get('lookup')
  @Roles('editor')
  @ApiOperation({
    summary: "A paper's metadata from Crossref (?doi=) or PubMed (?pmid=), to fill a reference (editor)",
    description:
      'Answers come through the shared registry cache; an unknown identifier is 404, a registry that does not answer (after retries, honouring Retry-After) is 502 upstream_unavailable.',
  })
  @ApiOkResponse({ type: ReferenceLookupDto })
  @ApiSignedIn(400, 404, 502)
  lookup(@Query() query: ReferenceLookupQuery): Promise<ReferenceLookupDto> {
    return this.lookups.lookup(query);
  }
}
