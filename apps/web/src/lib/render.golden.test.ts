import { RENDERING_FIXTURES } from '@imprimatur/domain/rendering/fixtures';
import { describe, expect, it } from 'vitest';
import { renderArticleHtml, sanitiseArticleHtml } from './render';

// The server's half of this test is libs/domain/src/rendering/server.golden.spec.ts (sanitize-html in Node).
describe('the one rendering, in the browser (DOMPurify)', () => {
  it.each(RENDERING_FIXTURES.map((fixture) => [fixture.name, fixture] as const))('%s', (_, fixture) => {
    expect(
      renderArticleHtml(fixture.markdown, { referenceCount: fixture.referenceCount, idPrefix: fixture.idPrefix }),
    ).toBe(fixture.html);
  });

  it("leaves the server's stored HTML as it is, byte for byte, when the review workspace sanitises it again", () => {
    for (const fixture of RENDERING_FIXTURES) expect(sanitiseArticleHtml(fixture.html)).toBe(fixture.html);
  });

  it('strips from stored HTML what the allow-list refuses, should it ever hold any', () => {
    expect(
      sanitiseArticleHtml(
        '<p onclick="steal()">Surgery<script>steal()</script> <a href="javascript:steal()">first</a><img src="x" onerror="steal()"></p>',
      ),
    ).toBe('<p>Surgery <a rel="noopener noreferrer nofollow">first</a></p>');
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
