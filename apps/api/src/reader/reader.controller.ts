import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { Audience, AUDIENCES, DomainError, SignatureMeaning } from '@imprimatur/domain';
import { DEFAULT_REFERENCE_ID_PREFIX } from '@imprimatur/domain/rendering';
import {
  EditorialPolicyService,
  PublicArticleDocument,
  PublicReader,
  PublicSignature,
  ServedBytes,
  servedEtag,
  vancouver,
} from '@imprimatur/publishing';
import { Public } from '../http/access';
import { ApiErrors } from '../http/api-errors';
import { replayableHeaders } from '../public/fast-read';
import { LiveChanges } from '../public/live-changes.service';
import { AUDIENCE_CHOICES, AUDIENCE_COPY, audienceCookie, chosenAudience } from './audience-copy';
import { PlainSummaries, plainSummary } from './plain-summary';
import { ARTICLE, INDEX, LAYOUT, NOTICE, POLICY } from './templates';

/** How many versions "Changes to this article" lists, newest first. */
const CHANGE_LOG_LENGTH = 20;
const SIGNIFICANCE_TEXT = {
  clinical: 'Clinical update, reviewed by the Medical Advisory Board',
  editorial: 'Editorial update (wording only; the medical content is unchanged)',
} as const;

const KIND: Record<string, string> = { guideline: 'Guideline', research: 'Research', other: 'Other' };
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** 28 November 2026 — unambiguous for readers everywhere. */
const longDateOf = (at: Date) =>
  at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const longDate = (day: string) => longDateOf(new Date(`${day}T00:00:00Z`));

/** What a signature means, in the words that introduce its signer (21 CFR Part 11 §11.50). */
const MEANING_WORDS: Record<SignatureMeaning, string> = {
  approval: 'Approved by',
  changes_requested: 'Changes requested by',
};

/** "Approved by Dr Ada Lovelace, MD," — the sentence goes on with "on <date>". */
const signedBy = (s: PublicSignature) =>
  `${MEANING_WORDS[s.meaning]} ${s.name}${s.credentials ? `, ${s.credentials},` : ''}`;

/** JSON inside <script> must not be able to close the script element. */
const scriptSafeJson = (value: unknown) =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

/** The page depends on the cookie when no ?audience= is given: caches must keep one copy per cookie. */
function pageHeaders(reply: FastifyReply, ready: ServedBytes): void {
  void reply
    .header('etag', ready.etag)
    .header('vary', 'Cookie')
    .header('cache-control', 'public, max-age=60, must-revalidate');
}

interface PageView {
  pageTitle: string;
  description?: string;
  canonical?: string;
  jsonLd?: string;
  content: string;
}

const HTML_RESPONSE = { content: { 'text/html': { schema: { type: 'string' } } } };

@ApiTags('readers')
@Controller('read')
@Public()
@SkipThrottle()
export class ReaderController {
  private readonly eta = new Eta({ autoEscape: true, useWith: false });
  private readonly summaries = new PlainSummaries();

  constructor(
    private readonly reader: PublicReader,
    private readonly policy: EditorialPolicyService,
    private readonly liveChanges: LiveChanges,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.eta.loadTemplate('@layout', LAYOUT);
    this.eta.loadTemplate('@article', ARTICLE);
    this.eta.loadTemplate('@index', INDEX);
    this.eta.loadTemplate('@notice', NOTICE);
    this.eta.loadTemplate('@policy', POLICY);
  }

  @Get()
  @ApiOperation({ summary: 'The index of live articles, as an HTML page for people' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'HTML page', ...HTML_RESPONSE })
  async index(@Res() reply: FastifyReply): Promise<void> {
    const newest = await this.reader.newest(100);
    const articles = newest.map((live) => {
      const doc = live.document as unknown as PublicArticleDocument;
      return {
        slug: live.slug,
        title: doc.title,
        // The markers of the summary point at a reference list that is on the article's page, not here.
        summary: this.summaries.of(doc.summary),
        lastReviewed: doc.lastReviewed,
        lastReviewedText: longDate(doc.lastReviewed),
        lastUpdated: doc.lastUpdated,
        lastUpdatedText: longDate(doc.lastUpdated),
      };
    });
    this.page(reply, 200, {
      pageTitle: 'Medically reviewed articles',
      description: 'Articles approved by the Medical Advisory Board',
      content: this.eta.render('@index', { articles }),
    });
  }

  // Before ':slug', so that the policy is never taken for an article: the slug editorial-policy is
  // the policy's on the reader pages (an article with that slug is still at /public/articles/…).
  @Get('editorial-policy')
  @ApiOperation({ summary: "The publisher's editorial policy as an HTML page for people" })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'HTML page', ...HTML_RESPONSE })
  // The input limits of every route (a query holding NUL, a URL too long) still apply.
  @ApiErrors(400)
  async editorialPolicy(@Res() reply: FastifyReply): Promise<void> {
    const policy = await this.policy.current();
    void reply.header('cache-control', 'public, max-age=60, must-revalidate');
    this.page(reply, 200, {
      pageTitle: 'Editorial policy',
      description: 'How articles are written, reviewed by the Medical Advisory Board, kept up to date and corrected',
      canonical: `${this.config.publicBaseUrl}/read/editorial-policy`,
      content: this.eta.render('@policy', {
        bodyHtml: policy.bodyHtml,
        updatedAt: policy.updatedAt,
        updatedAtText: longDateOf(new Date(policy.updatedAt)),
      }),
    });
  }

  @Get(':slug')
  @ApiOperation({
    summary: 'The live version of an article as an HTML page for people (works without JavaScript)',
    description:
      "Told for the reader's audience: ?audience= chooses it and sets the cookie `audience` (a year, Path=/read, SameSite=Lax); without it the cookie decides, else professional. An article without that audience's text shows the professional one and says so; an unknown ?audience= is ignored. /read/editorial-policy is the editorial policy, whatever article has that slug.",
  })
  @ApiQuery({ name: 'audience', required: false, enum: AUDIENCES })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'HTML page', ...HTML_RESPONSE })
  @ApiResponse({ status: 404, description: 'HTML page: no such article', ...HTML_RESPONSE })
  @ApiResponse({ status: 410, description: 'HTML page: a retraction notice with the reason', ...HTML_RESPONSE })
  async article(
    @Param('slug') slug: string,
    @Query('audience') query: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!SLUG.test(slug)) return this.notFound(reply);
    const { audience, remember } = chosenAudience(query, request.headers.cookie);
    const form = `html:${audience}`;
    const { cache } = this.liveChanges;
    let ready = cache.get(slug, form);
    if (!ready) {
      const token = cache.token();
      let doc: PublicArticleDocument;
      try {
        doc = (await this.reader.live(slug, audience)).document;
      } catch (error) {
        if (error instanceof DomainError && error.code === 'not_found') return this.notFound(reply);
        if (error instanceof DomainError && error.code === 'retracted') {
          const reason =
            !Array.isArray(error.details) && typeof error.details?.reason === 'string' ? error.details.reason : '';
          return this.page(reply, 410, {
            pageTitle: 'Article withdrawn',
            content: this.eta.render('@notice', {
              heading: 'This article has been withdrawn',
              message:
                'The publisher withdrew this article. It is no longer presented as medically reviewed information.',
              reason,
            }),
          });
        }
        throw error;
      }
      ready = await this.articlePage(doc, audience);
      pageHeaders(reply, ready);
      // What the whole pipeline set (the reader CSP among them) is what the fast path replays.
      cache.store(slug, form, { ...ready, headers: replayableHeaders(reply) }, token);
    } else {
      pageHeaders(reply, ready);
    }
    if (remember) void reply.header('set-cookie', audienceCookie(audience, request.protocol === 'https'));
    void reply.status(200).header('content-type', 'text/html; charset=utf-8').send(ready.body);
  }

  /** The whole page of a live document, told for `audience`, as the bytes it is sent as. */
  private async articlePage(doc: PublicArticleDocument, audience: Audience): Promise<ServedBytes> {
    const reviewers =
      doc.reviewedBy.map((r) => (r.credentials ? `${r.name}, ${r.credentials}` : r.name)).join('; ') ||
      'the Medical Advisory Board';
    // The page of a variant is a page of its own; the professional text is the article's address.
    const url = `${this.config.publicBaseUrl}/read/${doc.slug}${doc.audience === 'professional' ? '' : `?audience=${doc.audience}`}`;
    const jsonLd = scriptSafeJson({
      '@context': 'https://schema.org',
      '@type': 'MedicalWebPage',
      name: doc.title,
      headline: doc.title,
      url,
      // Who the text is for: after a fallback, professionals, whoever is reading.
      audience: { '@type': 'MedicalAudience', audienceType: AUDIENCE_COPY[doc.audience].audienceType },
      about: doc.specialties.map((s) => ({ '@type': 'MedicalSpecialty', name: s })),
      datePublished: doc.publishedAt,
      dateModified: doc.lastUpdated,
      lastReviewed: doc.lastReviewed,
      reviewedBy: doc.reviewedBy.map((r) => ({
        '@type': 'Person',
        name: r.name,
        ...(r.credentials ? { hasCredential: r.credentials } : {}),
      })),
      citation: doc.references.map((r) => ({
        '@type': 'CreativeWork',
        name: r.title,
        ...(r.url ? { url: r.url } : {}),
      })),
    });
    const citations = vancouver(doc.references);
    const content = this.eta.render('@article', {
      ...doc,
      reviewers,
      // The choice and the disclaimer are the reader's, even where the text falls back to the professional one.
      choices: AUDIENCE_CHOICES.map((c) => ({ ...c, current: c.audience === audience })),
      unavailableFor: doc.audience === audience ? null : AUDIENCE_COPY[audience].plural,
      disclaimer: AUDIENCE_COPY[audience].disclaimer,
      lastReviewedText: longDate(doc.lastReviewed),
      lastUpdatedText: longDate(doc.lastUpdated),
      nextReviewDueText: longDate(doc.nextReviewDue),
      changes: (await this.reader.changeLog(doc.slug, CHANGE_LOG_LENGTH)).map((c) => ({
        publishedAt: c.publishedAt.toISOString(),
        publishedAtText: longDateOf(c.publishedAt),
        significanceText: SIGNIFICANCE_TEXT[c.significance],
        summary: c.changeSummary,
      })),
      signatures: doc.signatures.map((s) => ({
        signedBy: signedBy(s),
        signedAt: s.signedAt,
        signedAtText: longDateOf(new Date(s.signedAt)),
      })),
      references: doc.references.map((r, i) => ({
        // What the rendered citations link to (#ref-n), so that a citation lands on its reference.
        id: `${DEFAULT_REFERENCE_ID_PREFIX}${r.n}`,
        n: r.n,
        kindLabel: KIND[r.type] ?? 'Other',
        citation: citations[i],
        links: [
          ...(r.url ? [{ href: r.url, label: 'Read the source' }] : []),
          ...(r.doiUrl ? [{ href: r.doiUrl, label: `DOI ${r.doi ?? ''}` }] : []),
          ...(r.pubmedUrl ? [{ href: r.pubmedUrl, label: `PubMed ${r.pmid ?? ''}` }] : []),
        ],
      })),
    });
    const html = this.layout({
      pageTitle: doc.title,
      // Search results show it as text: no Markdown, no "[1, 4]".
      description: plainSummary(doc.summary) ?? undefined,
      canonical: url,
      jsonLd,
      content,
    });
    return {
      etag: servedEtag(`"read-${doc.contentHash.slice(0, 24)}-${doc.version}"`, audience, doc.updateInReview),
      body: Buffer.from(html),
    };
  }

  private notFound(reply: FastifyReply): void {
    this.page(reply, 404, {
      pageTitle: 'Not found',
      content: this.eta.render('@notice', {
        heading: 'Article not found',
        message: 'There is no published article at this address.',
        reason: null,
      }),
    });
  }

  private page(reply: FastifyReply, status: number, view: PageView): void {
    void reply.status(status).header('content-type', 'text/html; charset=utf-8').send(this.layout(view));
  }

  private layout(view: PageView): string {
    return this.eta.render('@layout', { description: null, canonical: null, jsonLd: null, ...view });
  }
}
