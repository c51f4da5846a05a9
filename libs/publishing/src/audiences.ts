import { Audience, AUDIENCES, RevisionRecord, VARIANT_AUDIENCES } from '@imprimatur/domain';
import type { PublicVariant, PublishedDocument } from './document';

export const isAudience = (value: unknown): value is Audience =>
  typeof value === 'string' && (AUDIENCES as readonly string[]).includes(value);

/**
 * A revision's variants as readers get them (contract §13), in AUDIENCES order whatever order they
 * were written in: title and summary default to the article's; the HTML is the one stored with the
 * revision (never rendered again), so that what is published is what the board signed.
 */
export function publicVariants(
  revision: Pick<RevisionRecord, 'title' | 'summary' | 'variants' | 'variantsHtml'>,
): PublicVariant[] {
  return VARIANT_AUDIENCES.flatMap((audience) => {
    const variant = revision.variants.find((v) => v.audience === audience);
    if (!variant) return [];
    const html = revision.variantsHtml.find((h) => h.audience === audience);
    // The HTML is written with the revision: without it the revision is corrupt, and nothing is published.
    if (!html) throw new Error(`the revision has no stored HTML for its ${audience} variant`);
    return [
      {
        audience,
        title: variant.title ?? revision.title,
        summary: variant.summary ?? revision.summary,
        summaryHtml: html.summaryHtml,
        body: variant.body,
        bodyHtml: html.bodyHtml,
      },
    ];
  });
}

/** `professional` (always there: the article itself), then each variant's audience. */
export const audiencesOf = (variants: readonly PublicVariant[]): Audience[] => [
  'professional',
  ...variants.map((v) => v.audience),
];

/**
 * The published document (professional at the top level) told for `requested` (contract §13): that variant's title, summary and body in the
 * top-level fields, `audience` saying whose they are. An audience the article is not written for
 * falls back to the professional text, and `audience` says so. References, dates, signatures and the
 * list of variants stay as they are.
 */
export function inAudience<D extends PublishedDocument>(document: D, requested: Audience): D {
  const variant = document.variants.find((v) => v.audience === requested);
  if (!variant) return { ...document, audience: 'professional' };
  return {
    ...document,
    audience: variant.audience,
    title: variant.title,
    summary: variant.summary,
    summaryHtml: variant.summaryHtml,
    body: variant.body,
    bodyHtml: variant.bodyHtml,
  };
}
