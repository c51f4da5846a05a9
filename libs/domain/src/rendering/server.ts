import sanitizeHtml from 'sanitize-html';
import { contentHash, type ArticleContent, type RevisionHtml } from '../articles/content';
import { ARTICLE_HTML, filterAttributes, renderArticleText, type MarkdownRenderOptions } from './index';

const list = <T>(values: readonly T[]): T[] => [...values];
const perTag = <T, U>(map: Record<string, T>, f: (value: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(map).map(([tag, value]) => [tag, f(value)]));

/**
 * The shared allow-list (`ARTICLE_HTML`) as sanitize-html options. `filterAttributes` runs first
 * on every element (the browser runs it too, so both keep the same attributes); sanitize-html's own
 * attribute, class, style and scheme checks, made from the same list, then run over its result.
 */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: Object.keys(ARTICLE_HTML.tags),
  allowedAttributes: perTag<readonly string[], string[]>(ARTICLE_HTML.tags, list),
  allowedClasses: perTag<readonly (string | RegExp)[], (string | RegExp)[]>(ARTICLE_HTML.classes, list),
  allowedStyles: perTag(ARTICLE_HTML.styles, (styles: Record<string, readonly RegExp[]>) =>
    perTag<readonly RegExp[], RegExp[]>(styles, list),
  ),
  allowedSchemes: list(ARTICLE_HTML.schemes),
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: list(ARTICLE_HTML.urlAttributes),
  allowProtocolRelative: false,
  // Every attribute we allow needs a value: `href=""` goes, as in filterAttributes.
  nonBooleanAttributes: ['*'],
  nonTextTags: list(ARTICLE_HTML.dropWithContent),
  selfClosing: list(ARTICLE_HTML.selfClosing),
  disallowedTagsMode: 'discard',
  transformTags: {
    '*': (tagName, attribs) => ({
      tagName,
      attribs: Object.fromEntries(filterAttributes(tagName, Object.entries(attribs))),
    }),
  },
};

/** Article Markdown to safe HTML with sanitize-html: what readers get, and the reference for the browser's rendering. */
export function renderArticleHtml(markdown: string, options: MarkdownRenderOptions): string {
  return renderArticleText(markdown, { ...options, sanitise: (html) => sanitizeHtml(html, SANITIZE) });
}

export interface RenderedContent {
  summaryHtml: string | null;
  bodyHtml: string;
}

/**
 * Markdown to safe HTML, once, when a revision is written, with the shared renderer (`@imprimatur/domain/rendering`)
 * that the web app's preview and review workspace use too. Authors may use a little inline HTML (sup,
 * sub, tables); everything goes through the allow-list, which strips scripts (with their content),
 * every other tag, event handlers, style and any URL scheme but http, https and mailto.
 */
export function renderContent(input: {
  summary: string | null;
  body: string;
  referenceCount: number;
}): RenderedContent {
  const render = (markdown: string) => renderArticleHtml(markdown, { referenceCount: input.referenceCount });
  return { summaryHtml: input.summary ? render(input.summary) : null, bodyHtml: render(input.body) };
}

/**
 * A revision's stored HTML and its content hash (contract §12), computed together so that the hash is
 * always over the HTML that is stored, reviewed and published byte for byte.
 */
export function renderRevision(content: ArticleContent): { html: RevisionHtml; contentHash: string } {
  const rendered = renderContent({
    summary: content.summary,
    body: content.body,
    referenceCount: content.references.length,
  });
  // A variant without its own summary is read with the article's, so that is what it renders.
  const variants = content.variants.map((variant) => ({
    audience: variant.audience,
    ...renderContent({
      summary: variant.summary ?? content.summary,
      body: variant.body,
      referenceCount: content.references.length,
    }),
  }));
  const html: RevisionHtml = { ...rendered, variants };
  return { html, contentHash: contentHash(content, html) };
}
