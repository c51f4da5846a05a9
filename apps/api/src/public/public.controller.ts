import { createHash } from 'node:crypto';
import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { Audience, AUDIENCES, validationFailed } from '@imprimatur/domain';
import {
  EditorialPolicyService,
  isAudience,
  PublicArticleDocument,
  PublicReader,
  PublicRead,
  ServedBytes,
} from '@imprimatur/publishing';
import { Public } from '../http/access';
import { ApiErrors } from '../http/api-errors';
import { ErrorBody } from '../http/error-body';
import { PageQuery } from '../http/pagination';
import { positiveIntPipe } from '../http/validation';
import { etagMatches, replayableHeaders } from './fast-read';
import { LiveChanges } from './live-changes.service';
import {
  EditorialPolicyDto,
  JsonFeedDto,
  PublicArticleDto,
  PublicArticlePageDto,
  PublicListQuery,
  PublicVersionPageDto,
} from './public.dto';

/** Readers may keep a copy for a minute, then must ask again (cheaply: If-None-Match → 304). */
const CACHE_CONTROL = 'public, max-age=60, must-revalidate';
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A document as the bytes it is sent as (what Fastify's own serialisation of it would send). */
const readyBytes = (read: Pick<PublicRead, 'etag'> & { document: object }): ServedBytes => ({
  etag: read.etag,
  body: Buffer.from(JSON.stringify(read.document)),
});

/** `?audience=`: absent is the signed document; anything but the three audiences is a 400, never a silent fallback. */
function audienceOf(value: unknown): Audience | null {
  if (value === undefined) return null;
  if (isAudience(value)) return value;
  const message = `must be one of ${AUDIENCES.join(', ')}`;
  throw validationFailed(`audience ${message}`, { fields: { audience: [message] } });
}

const AUDIENCE_QUERY = {
  name: 'audience',
  required: false,
  enum: AUDIENCES,
  description:
    "The document told for this audience: the variant's title, summary(Html) and body(Html) in the top-level fields and `audience` naming it; an audience the article is not written for gives the professional text, with `audience: professional`. The attestation covers the document without ?audience= (the professional one, which carries every variant): verify that one.",
};

const RETRACTED = {
  status: 410,
  description: 'code retracted: the publisher withdrew the article; `reason` says why',
  type: ErrorBody,
};

@ApiTags('readers')
@Controller('public')
@Public()
@SkipThrottle()
export class PublicController {
  constructor(
    private readonly reader: PublicReader,
    private readonly policy: EditorialPolicyService,
    private readonly liveChanges: LiveChanges,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('articles')
  @ApiOperation({
    summary: 'Live articles, oldest change first (for syncing with updatedSince); retracted ones are left out',
  })
  @ApiOkResponse({ type: PublicArticlePageDto })
  @ApiErrors(400)
  async list(@Query() query: PublicListQuery): Promise<PublicArticlePageDto> {
    const page = await this.reader.changedSince(
      query.updatedSince ? new Date(query.updatedSince) : null,
      query.limit,
      query.cursor,
    );
    return {
      items: page.items.map((live) => {
        const doc = live.document as unknown as PublicArticleDocument;
        return {
          slug: live.slug,
          title: doc.title,
          summary: doc.summary,
          version: live.version,
          lastUpdated: doc.lastUpdated,
          lastReviewed: doc.lastReviewed,
          nextReviewDue: doc.nextReviewDue,
          publishedAt: doc.publishedAt,
          updatedAt: live.updatedAt.toISOString(),
          url: `${this.config.publicBaseUrl}/public/articles/${live.slug}`,
          // Versions attested before audiences were written for professionals only.
          audiences: doc.audiences ?? ['professional'],
          updateInReview: live.updateInReview,
        };
      }),
      nextCursor: page.nextCursor,
    };
  }

  @Get('feed.json')
  @ApiOperation({ summary: 'JSON Feed 1.1 of the live articles, newest first' })
  @ApiOkResponse({ type: JsonFeedDto })
  @ApiErrors(400)
  async feed(@Res({ passthrough: true }) reply: FastifyReply): Promise<JsonFeedDto> {
    const base = this.config.publicBaseUrl;
    const newest = await this.reader.newest(50);
    void reply.header('content-type', 'application/feed+json; charset=utf-8').header('cache-control', CACHE_CONTROL);
    return {
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Imprimatur — medically reviewed articles',
      home_page_url: `${base}/read`,
      feed_url: `${base}/public/feed.json`,
      description: 'Articles approved by the Medical Advisory Board',
      items: newest.map((live) => {
        const doc = live.document as unknown as PublicArticleDocument;
        return {
          id: `${base}/public/articles/${live.slug}#v${live.version}`,
          url: `${base}/read/${live.slug}`,
          title: doc.title,
          content_html: doc.bodyHtml,
          ...(doc.summary ? { summary: doc.summary } : {}),
          date_published: doc.publishedAt,
          date_modified: live.updatedAt.toISOString(),
          tags: doc.specialties,
          // JSON Feed 1.1 extensions are objects whose names start with "_".
          _imprimatur: { significance: doc.significance ?? 'clinical', changeSummary: doc.changeSummary ?? null },
        };
      }),
    };
  }

  @Get('articles/:slug')
  @ApiOperation({
    summary: 'The live version of an article, with a strong ETag; If-None-Match → 304',
    description:
      'The ETag changes with the version, the audience asked for and updateInReview. Without ?audience= this is the document the attestation signs (less its attestation and updateInReview).',
  })
  @ApiQuery(AUDIENCE_QUERY)
  @ApiOkResponse({
    type: PublicArticleDto,
    headers: { ETag: { schema: { type: 'string' } }, 'Cache-Control': { schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
  @ApiResponse(RETRACTED)
  @ApiErrors(400, 404)
  async live(
    @Param('slug') slug: string,
    @Query('audience') audience: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const checked = this.slug(slug);
    const chosen = audienceOf(audience);
    const form = `json:${chosen ?? ''}`;
    const { cache } = this.liveChanges;
    const cached = cache.get(checked, form);
    if (cached) return this.sendReady(cached, request, reply);
    const token = cache.token();
    const read = await this.reader.live(checked, chosen);
    const ready = readyBytes(read);
    this.sendReady(ready, request, reply);
    // What the whole pipeline set (security headers among them) is what the fast path replays.
    cache.store(checked, form, { ...ready, headers: replayableHeaders(reply) }, token);
  }

  @Get('articles/:slug/versions')
  @ApiOperation({ summary: 'Every published version of an article, oldest first' })
  @ApiOkResponse({ type: PublicVersionPageDto })
  @ApiResponse(RETRACTED)
  @ApiErrors(400, 404)
  async versions(@Param('slug') slug: string, @Query() query: PageQuery): Promise<PublicVersionPageDto> {
    const page = await this.reader.versions(this.slug(slug), query.limit, query.cursor);
    return {
      items: page.items.map((v) => {
        const doc = v.document as unknown as PublicArticleDocument;
        return {
          version: v.version,
          revision: v.revision,
          publishedAt: v.publishedAt.toISOString(),
          lastUpdated: doc.lastUpdated,
          lastReviewed: doc.lastReviewed,
          contentHash: v.contentHash,
          // Versions from before change classes were whole reviews.
          significance: doc.significance ?? 'clinical',
          changeSummary: doc.changeSummary ?? null,
        };
      }),
      nextCursor: page.nextCursor,
    };
  }

  @Get('articles/:slug/versions/:version')
  @ApiOperation({
    summary: 'One published version, as it was',
    description: "Its updateInReview is the article's now. ?audience= as on the live version.",
  })
  @ApiQuery(AUDIENCE_QUERY)
  @ApiOkResponse({ type: PublicArticleDto })
  @ApiResponse({ status: 304, description: 'Not modified' })
  @ApiResponse(RETRACTED)
  @ApiErrors(400, 404)
  async version(
    @Param('slug') slug: string,
    @Param('version', positiveIntPipe('version')) version: number,
    @Query('audience') audience: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.send(await this.reader.version(this.slug(slug), version, audienceOf(audience)), request, reply);
  }

  @Get('editorial-policy')
  @ApiOperation({
    summary: "The publisher's editorial policy (also at /read/editorial-policy); If-None-Match → 304",
    description: 'A default policy until an admin sets one with PUT /admin/editorial-policy.',
  })
  @ApiOkResponse({
    type: EditorialPolicyDto,
    headers: { ETag: { schema: { type: 'string' } }, 'Cache-Control': { schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
  @ApiErrors(400)
  async editorialPolicy(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const policy: EditorialPolicyDto = await this.policy.current();
    // A small document: its own hash is the simplest validator that changes whenever its bytes do.
    const etag = `"${createHash('sha256').update(JSON.stringify(policy)).digest('hex').slice(0, 32)}"`;
    this.send({ document: policy, etag }, request, reply);
  }

  private slug(slug: string): string {
    if (!SLUG.test(slug) || slug.length > 80)
      throw validationFailed('slug must be kebab-case', { fields: { slug: ['must be kebab-case'] } });
    return slug;
  }

  /** A live document as ready bytes: a hit of the cache is answered (200 or 304) without the database. */
  private sendReady(ready: ServedBytes, request: FastifyRequest, reply: FastifyReply): void {
    void reply.header('etag', ready.etag).header('cache-control', CACHE_CONTROL);
    if (etagMatches(request.headers['if-none-match'], ready.etag)) {
      void reply.status(304).send();
      return;
    }
    void reply.status(200).header('content-type', 'application/json; charset=utf-8').send(ready.body);
  }

  private send(
    read: Pick<PublicRead, 'etag'> & { document: object },
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    this.sendReady(readyBytes(read), request, reply);
  }
}
