import { RENDERING_FIXTURES } from '@imprimatur/domain/rendering/fixtures';
import { describe, expect, it } from 'vitest';
import { renderArticleHtml } from './render';

// The server's half of this test is libs/publishing/src/render.golden.spec.ts (sanitize-html in Node).
describe('the one rendering, in the browser (DOMPurify)', () => {
  it.each(RENDERING_FIXTURES.map((fixture) => [fixture.name, fixture] as const))('%s', (_, fixture) => {
    expect(
      renderArticleHtml(fixture.markdown, { referenceCount: fixture.referenceCount, idPrefix: fixture.idPrefix }),
    ).toBe(fixture.html);
  });

  it('gives HTML that the browser reads back as the same nodes', () => {
    for (const fixture of RENDERING_FIXTURES) {
      const container = document.createElement('div');
      container.innerHTML = fixture.html;
      // No parser recovery: written out again by the browser, only `<br />` becomes `<br>`.
      expect(container.innerHTML).toBe(fixture.html.replace(/ \/>/g, '>'));
    }
  });
});
