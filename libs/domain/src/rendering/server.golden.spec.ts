import { RENDERING_FIXTURES } from './fixtures';
import { renderArticleHtml, renderContent } from './server';

// The browser's half of this test is apps/web/src/lib/render.golden.test.ts (DOMPurify under jsdom).
describe('the one rendering, on the server (sanitize-html)', () => {
  it.each(RENDERING_FIXTURES.map((fixture) => [fixture.name, fixture] as const))('%s', (_, fixture) => {
    expect(
      renderArticleHtml(fixture.markdown, { referenceCount: fixture.referenceCount, idPrefix: fixture.idPrefix }),
    ).toBe(fixture.html);
  });

  it('is what readers get: renderContent renders body and summary the same way', () => {
    for (const fixture of RENDERING_FIXTURES.filter((f) => f.idPrefix === undefined)) {
      const rendered = renderContent({
        summary: fixture.markdown,
        body: fixture.markdown,
        referenceCount: fixture.referenceCount,
      });
      expect(rendered).toEqual({ summaryHtml: fixture.html, bodyHtml: fixture.html });
    }
  });
});
