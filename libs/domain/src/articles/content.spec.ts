import { createHash } from 'node:crypto';
import { renderRevision } from '../rendering/server';
import { ArticleContent, contentHash, isContentHash, normaliseContent, RevisionHtml } from './content';

const content = (overrides: Partial<ArticleContent> = {}): ArticleContent => ({
  title: 'Can leiomyosarcoma be treated?',
  summary: 'Localised disease is treated with surgery [1].',
  body: '## From the Guidelines\n\nComplete surgical removal is the standard treatment [1].',
  references: [
    {
      type: 'guideline',
      title: 'Soft tissue sarcoma: clinical practice guideline',
      source: 'Annals of Oncology',
      year: 2021,
      url: null,
      doi: '10.1016/j.annonc.2021.07.002',
      pmid: null,
    },
  ],
  specialties: ['oncology'],
  reviewIntervalDays: null,
  variants: [],
  ...overrides,
});

const html: RevisionHtml = { summaryHtml: '<p>s</p>', bodyHtml: '<p>b</p>', variants: [] };
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('contentHash (contract §12)', () => {
  it('is the SHA-256 of the RFC 8785 canonical JSON of content, variants and HTML', () => {
    const tiny: ArticleContent = {
      title: 'T',
      summary: null,
      body: 'B',
      references: [],
      specialties: [],
      reviewIntervalDays: 30,
      variants: [{ audience: 'patient', title: null, summary: null, body: 'P' }],
    };
    // Written out by hand: keys sorted by code unit, no whitespace, null kept.
    const withVariant: RevisionHtml = {
      ...html,
      variants: [{ audience: 'patient', summaryHtml: '<p>s</p>', bodyHtml: '<p>P</p>' }],
    };
    const canonical =
      '{"body":"B","html":{"bodyHtml":"<p>b</p>","summaryHtml":"<p>s</p>",' +
      '"variants":[{"audience":"patient","bodyHtml":"<p>P</p>","summaryHtml":"<p>s</p>"}]},' +
      '"references":[],"reviewIntervalDays":30,"specialties":[],"summary":null,"title":"T",' +
      '"variants":[{"audience":"patient","body":"P","summary":null,"title":null}]}';
    expect(contentHash(tiny, withVariant)).toBe(sha256(canonical));
    expect(isContentHash(contentHash(tiny, withVariant))).toBe(true);
  });

  it('does not depend on the order of keys', () => {
    const a = content();
    const reordered = JSON.parse(
      JSON.stringify({
        variants: a.variants,
        specialties: a.specialties,
        references: a.references.map((r) => ({
          pmid: r.pmid,
          doi: r.doi,
          url: r.url,
          year: r.year,
          source: r.source,
          title: r.title,
          type: r.type,
        })),
        reviewIntervalDays: a.reviewIntervalDays,
        body: a.body,
        summary: a.summary,
        title: a.title,
      }),
    ) as ArticleContent;
    const reorderedHtml = { variants: [], bodyHtml: html.bodyHtml, summaryHtml: html.summaryHtml };
    expect(contentHash(reordered, reorderedHtml)).toBe(contentHash(a, html));
  });

  it('does not depend on the Unicode normalisation form the text was typed in', () => {
    const composed = content({ title: 'Café-au-lait spots in neurofibromatose', body: 'Résumé [1]' });
    const decomposed = content({
      title: composed.title.normalize('NFD'),
      body: composed.body.normalize('NFD'),
    });
    expect(decomposed.title).not.toBe(composed.title);
    const stored = (c: ArticleContent) => renderRevision(normaliseContent(c)).contentHash;
    expect(stored(decomposed)).toBe(stored(composed));
  });

  it('changes when any one character of the content or its HTML changes', () => {
    const base = contentHash(content(), html);
    const variants: [string, ArticleContent, RevisionHtml][] = [
      ['title', content({ title: 'Can leiomyosarcoma be treated!' }), html],
      ['summary', content({ summary: 'Localised disease is treated with surgery [2].' }), html],
      [
        'body',
        content({ body: '## From the guidelines\n\nComplete surgical removal is the standard treatment [1].' }),
        html,
      ],
      ['reference', content({ references: [{ ...content().references[0], year: 2022 }] }), html],
      ['specialty', content({ specialties: ['oncologY'] }), html],
      ['interval', content({ reviewIntervalDays: 365 }), html],
      ['bodyHtml', content(), { ...html, bodyHtml: '<p>B</p>' }],
      ['summaryHtml', content(), { ...html, summaryHtml: null }],
      ['variant', content({ variants: [{ audience: 'patient', title: null, summary: null, body: 'x' }] }), html],
      ['variantHtml', content(), { ...html, variants: [{ audience: 'patient', summaryHtml: null, bodyHtml: 'x' }] }],
    ];
    for (const [what, changed, changedHtml] of variants) {
      expect({ what, hash: contentHash(changed, changedHtml) }).not.toEqual({ what, hash: base });
    }
  });

  it('renders each variant, with the article’s summary when it has none of its own', () => {
    const c = content({
      variants: [{ audience: 'patient', title: 'Can it be treated?', summary: null, body: 'An operation helps [1].' }],
    });
    const { html: rendered, contentHash: hash } = renderRevision(c);
    expect(rendered.variants).toEqual([
      { audience: 'patient', summaryHtml: rendered.summaryHtml, bodyHtml: expect.stringContaining('href="#ref-1"') },
    ]);
    expect(hash).toBe(contentHash(c, rendered));
    expect(hash).not.toBe(renderRevision(content()).contentHash);
  });

  it('renderRevision hashes exactly the HTML it stores', () => {
    const c = content();
    const { html: rendered, contentHash: hash } = renderRevision(c);
    expect(rendered.bodyHtml).toContain('href="#ref-1"');
    expect(hash).toBe(contentHash(c, rendered));
  });
});

describe('isContentHash', () => {
  it.each([
    ['a'.repeat(64), true],
    ['A'.repeat(64), false],
    ['a'.repeat(63), false],
    ['g'.repeat(64), false],
    ['', false],
  ])('%s → %s', (value, expected) => expect(isContentHash(value)).toBe(expected));
});
