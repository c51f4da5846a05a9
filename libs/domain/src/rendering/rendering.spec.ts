import { ARTICLE_HTML, filterAttributes, isAllowedUrl } from './allow-list';
import { markdownToUnsafeHtml } from './markdown';

describe('isAllowedUrl', () => {
  it.each([
    'https://example.org',
    'http://example.org',
    'MAILTO:desk@example.org',
    '#ref-1',
    '/read/x',
    'page.html',
    ' https://example.org',
  ])('allows %j', (url) => {
    expect(isAllowedUrl(url)).toBe(true);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'java\tscript:alert(1)',
    ' \njavascript:alert(1)',
    'java<!-- x -->script:alert(1)',
    'data:text/html,x',
    'ftp://example.org',
    'vbscript:x',
    '//evil.example',
    '\\\\evil.example',
  ])('refuses %j', (url) => {
    expect(isAllowedUrl(url)).toBe(false);
  });
});

describe('filterAttributes', () => {
  it('keeps only the allowed attributes of an element, in order', () => {
    expect(
      filterAttributes('a', [
        ['onclick', 'x()'],
        ['title', 'T'],
        ['href', 'https://example.org'],
        ['style', 'color:red'],
      ]),
    ).toEqual([
      ['title', 'T'],
      ['href', 'https://example.org'],
      ['rel', ARTICLE_HTML.externalLinkRel],
    ]);
    expect(
      filterAttributes('p', [
        ['id', 'x'],
        ['class', 'y'],
      ]),
    ).toEqual([]);
    expect(filterAttributes('img', [['src', 'https://example.org/x.png']])).toEqual([]);
  });

  it('gives every link that leaves the page the same rel, and a fragment link none', () => {
    expect(
      filterAttributes('a', [
        ['rel', 'opener'],
        ['href', 'https://example.org'],
      ]),
    ).toEqual([
      ['rel', ARTICLE_HTML.externalLinkRel],
      ['href', 'https://example.org'],
    ]);
    expect(filterAttributes('a', [['href', '#ref-2']])).toEqual([['href', '#ref-2']]);
    // Decided on the href as written: a javascript: link loses its href and still gets the rel.
    expect(filterAttributes('a', [['href', 'javascript:alert(1)']])).toEqual([['rel', ARTICLE_HTML.externalLinkRel]]);
  });

  it('filters classes and inline styles, and drops what is left empty', () => {
    expect(filterAttributes('sup', [['class', ' citation  evil ']])).toEqual([['class', 'citation']]);
    expect(filterAttributes('sup', [['class', 'evil']])).toEqual([]);
    expect(filterAttributes('code', [['class', 'language-ts x']])).toEqual([['class', 'language-ts']]);
    expect(filterAttributes('td', [['style', 'color: red; text-align: center ;']])).toEqual([
      ['style', 'text-align:center'],
    ]);
    expect(filterAttributes('td', [['style', 'text-align:center !important']])).toEqual([]);
    expect(filterAttributes('ol', [['start', '']])).toEqual([]);
  });

  it('drops values that could break out of a comment or a raw-text element', () => {
    expect(
      filterAttributes('a', [
        ['href', '#x'],
        ['title', 'a --> b'],
      ]),
    ).toEqual([['href', '#x']]);
    expect(
      filterAttributes('a', [
        ['href', '#x'],
        ['title', '</script>'],
      ]),
    ).toEqual([['href', '#x']]);
  });
});

describe('markdownToUnsafeHtml', () => {
  it('leaves inline HTML to the sanitiser', () => {
    expect(markdownToUnsafeHtml('a <script>x</script>', { referenceCount: 0 })).toBe('<p>a <script>x</script></p>\n');
  });

  it('does not put a link inside a link: a citation in a link’s text is not linked', () => {
    expect(markdownToUnsafeHtml('<a href="https://example.org">see [1]</a> and [1]', { referenceCount: 1 })).toBe(
      '<p><a href="https://example.org">see <sup class="citation">[1]</sup></a> and <sup class="citation">[<a href="#ref-1">1</a>]</sup></p>\n',
    );
  });

  it('escapes the anchor prefix', () => {
    expect(markdownToUnsafeHtml('[1]', { referenceCount: 1, idPrefix: '"><x' })).toContain('href="#&quot;&gt;&lt;x1"');
  });
});
