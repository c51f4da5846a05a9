/**
 * Golden fixtures of the one rendering (contract §12): the same Markdown through the server's path
 * (sanitize-html, libs/domain/src/rendering/server.golden.spec.ts) and the browser's (DOMPurify under
 * jsdom, apps/web/src/lib/render.golden.test.ts) must give exactly this HTML. The expected HTML is
 * written here by hand and reviewed: no test writes it, so a change of output is a change of this file.
 *
 * Both sides agree on well-formed HTML. Hand-written HTML that leans on a parser's error recovery
 * (a <tr> without <tbody>, a stray <td>, a link inside a link, <p> inside <svg>) is written out
 * differently by htmlparser2 and by a browser's parser, though a browser then reads both the same
 * way in most of these cases; such input is not a fixture.
 */
export interface RenderingFixture {
  name: string;
  markdown: string;
  referenceCount: number;
  /** The reference list's id prefix; the default, `ref-`, is the reader page's. */
  idPrefix?: string;
  html: string;
}

export const RENDERING_FIXTURES: readonly RenderingFixture[] = [
  {
    name: 'citations: one, a list, a range, a mixed list',
    markdown: 'Surgery [1], radiotherapy [2, 3], chemotherapy [2-6] and both [1, 3–5].',
    referenceCount: 6,
    html: '<p>Surgery <sup class="citation">[<a href="#ref-1">1</a>]</sup>, radiotherapy <sup class="citation">[<a href="#ref-2">2</a>, <a href="#ref-3">3</a>]</sup>, chemotherapy <sup class="citation">[<a href="#ref-2">2</a>–<a href="#ref-6">6</a>]</sup> and both <sup class="citation">[<a href="#ref-1">1</a>, <a href="#ref-3">3</a>–<a href="#ref-5">5</a>]</sup>.</p>',
  },
  {
    name: 'a citation of a missing reference is shown, not linked',
    markdown: 'Missing [9], and a range past the end [5-9].',
    referenceCount: 6,
    html: '<p>Missing <sup class="citation">[9]</sup>, and a range past the end <sup class="citation">[<a href="#ref-5">5</a>–9]</sup>.</p>',
  },
  {
    name: 'a citation with spaces inside the brackets',
    markdown: 'Spaced [ 1 ] and [ 2 , 3 ].',
    referenceCount: 3,
    html: '<p>Spaced <sup class="citation">[<a href="#ref-1">1</a>]</sup> and <sup class="citation">[<a href="#ref-2">2</a>, <a href="#ref-3">3</a>]</sup>.</p>',
  },
  {
    name: 'the reference anchor prefix of the web app',
    markdown: 'See [1] and [2-3].',
    referenceCount: 3,
    idPrefix: 'review-ref-',
    html: '<p>See <sup class="citation">[<a href="#review-ref-1">1</a>]</sup> and <sup class="citation">[<a href="#review-ref-2">2</a>–<a href="#review-ref-3">3</a>]</sup>.</p>',
  },
  {
    name: 'not citations: code, fenced code, Markdown links, malformed markers',
    markdown: 'Use `arr[1]` and [1](https://example.org) here; not [0], [3-3] or [1,,2].\n\n```\nx[2]\n```',
    referenceCount: 3,
    html: [
      '<p>Use <code>arr[1]</code> and <a href="https://example.org" rel="noopener noreferrer nofollow">1</a> here; not [0], [3-3] or [1,,2].</p>',
      '<pre><code>x[2]',
      '</code></pre>',
    ].join('\n'),
  },
  {
    name: 'inline HTML on the allow-list: sup and sub',
    markdown: 'x<sup>2</sup> and H<sub>2</sub>O',
    referenceCount: 0,
    html: '<p>x<sup>2</sup> and H<sub>2</sub>O</p>',
  },
  {
    name: 'a table with aligned columns',
    markdown: '| Drug | Dose |\n|:--|--:|\n| Doxorubicin | 75 mg/m² |\n| Ifosfamide [2] | 10 g/m² |',
    referenceCount: 2,
    html: [
      '<table>',
      '<thead>',
      '<tr>',
      '<th style="text-align:left">Drug</th>',
      '<th style="text-align:right">Dose</th>',
      '</tr>',
      '</thead>',
      '<tbody>',
      '<tr>',
      '<td style="text-align:left">Doxorubicin</td>',
      '<td style="text-align:right">75 mg/m²</td>',
      '</tr>',
      '<tr>',
      '<td style="text-align:left">Ifosfamide <sup class="citation">[<a href="#ref-2">2</a>]</sup></td>',
      '<td style="text-align:right">10 g/m²</td>',
      '</tr>',
      '</tbody>',
      '</table>',
    ].join('\n'),
  },
  {
    name: 'a nested list',
    markdown: '- Surgery\n  - wide excision\n    - clear margins\n- Radiotherapy',
    referenceCount: 0,
    html: [
      '<ul>',
      '<li>Surgery',
      '<ul>',
      '<li>wide excision',
      '<ul>',
      '<li>clear margins</li>',
      '</ul>',
      '</li>',
      '</ul>',
      '</li>',
      '<li>Radiotherapy</li>',
      '</ul>',
    ].join('\n'),
  },
  {
    name: 'heading levels as written, with stable ids',
    markdown: '# Treatment\n\n### From the Guidelines\n\n### From the Guidelines',
    referenceCount: 0,
    html: [
      '<h1 id="treatment">Treatment</h1>',
      '<h3 id="from-the-guidelines">From the Guidelines</h3>',
      '<h3 id="from-the-guidelines-2">From the Guidelines</h3>',
    ].join('\n'),
  },
  {
    name: 'strong inside emphasis',
    markdown: '***c*** and **b** and *i*',
    referenceCount: 0,
    html: '<p><em><strong>c</strong></em> and <strong>b</strong> and <em>i</em></p>',
  },
  {
    name: 'a loose ordered list keeps its numbering',
    markdown: '1. a\n\n2. b\n\n3. c',
    referenceCount: 0,
    html: ['<ol>', '<li>', '<p>a</p>', '</li>', '<li>', '<p>b</p>', '</li>', '<li>', '<p>c</p>', '</li>', '</ol>'].join(
      '\n',
    ),
  },
  {
    name: 'an ordered list that starts at 3',
    markdown: '3. third\n4. fourth',
    referenceCount: 0,
    html: ['<ol start="3">', '<li>third</li>', '<li>fourth</li>', '</ol>'].join('\n'),
  },
  {
    name: 'a link leaves with rel, a fragment link does not',
    markdown:
      '[ESMO](https://www.esmo.org "ESMO guideline") and [the references](#ref-1) and <https://example.org/a?b=1&c=2>.',
    referenceCount: 1,
    html: '<p><a href="https://www.esmo.org" title="ESMO guideline" rel="noopener noreferrer nofollow">ESMO</a> and <a href="#ref-1">the references</a> and <a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">https://example.org/a?b=1&amp;c=2</a>.</p>',
  },
  {
    name: 'a script tag goes, with its content',
    markdown: 'Before <script>alert(1)</script> after',
    referenceCount: 0,
    html: '<p>Before  after</p>',
  },
  {
    name: 'an event handler goes, the element stays',
    markdown: '<a href="https://example.org" onclick="steal()">ok</a> and <sup onmouseover="x()">2</sup>',
    referenceCount: 0,
    html: '<p><a href="https://example.org" rel="noopener noreferrer nofollow">ok</a> and <sup>2</sup></p>',
  },
  {
    name: 'a javascript: link is not a link',
    markdown:
      '[click](javascript:alert(1)) and <a href="javascript:alert(2)">another</a> and <a href="java\tscript:alert(3)">a third</a>',
    referenceCount: 0,
    html: '<p>[click](javascript:alert(1)) and <a rel="noopener noreferrer nofollow">another</a> and <a rel="noopener noreferrer nofollow">a third</a></p>',
  },
  {
    name: 'other schemes and protocol-relative links lose their href',
    markdown:
      '[data](data:text/html;base64,PHNjcmlwdD4=) <a href="//evil.example">proto</a> <a href="ftp://example.org">ftp</a> <a href="mailto:desk@example.org">mail</a>',
    referenceCount: 0,
    html: '<p>[data](data:text/html;base64,PHNjcmlwdD4=) <a rel="noopener noreferrer nofollow">proto</a> <a rel="noopener noreferrer nofollow">ftp</a> <a href="mailto:desk@example.org" rel="noopener noreferrer nofollow">mail</a></p>',
  },
  {
    name: 'elements off the allow-list go, their text stays',
    markdown: '<div>kept <b>bold</b> <span class="x">text</span></div>',
    referenceCount: 0,
    html: 'kept bold text',
  },
  {
    name: 'images and iframes go, and what is inside an iframe',
    markdown:
      'An image <img src=x onerror=alert(1)> and a frame <iframe src="https://evil.example">inside</iframe> here.',
    referenceCount: 0,
    html: '<p>An image  and a frame  here.</p>',
  },
  {
    name: 'a style attribute goes where it is not allowed',
    markdown: '<p style="position:fixed">styled</p>',
    referenceCount: 0,
    html: '<p>styled</p>',
  },
  {
    name: 'classes and styles are filtered',
    markdown:
      '<sup class="citation evil">a</sup> <code class="language-js x">b</code>\n\n<table><tbody><tr><td style="text-align: center; color: red">c</td></tr></tbody></table>',
    referenceCount: 0,
    html: [
      '<p><sup class="citation">a</sup> <code class="language-js">b</code></p>',
      '<table><tbody><tr><td style="text-align:center">c</td></tr></tbody></table>',
    ].join('\n'),
  },
  {
    name: 'an autolink with a javascript: URL is text',
    markdown: '<javascript:alert(1)>',
    referenceCount: 0,
    html: '<p>&lt;javascript:alert(1)&gt;</p>',
  },
  {
    name: 'a link definition numbered like a citation is a definition, the marker a citation',
    markdown: '[1]: https://example.org\n\nSee [1].',
    referenceCount: 1,
    html: '<p>See <sup class="citation">[<a href="#ref-1">1</a>]</sup>.</p>',
  },
  {
    name: 'escaping of text and attributes',
    markdown:
      'Tom & Jerry <3 "quotes" &amp; &lt;b&gt; and <a href="https://example.org/?q=a&amp;b" title="a &quot;b&quot; &lt;c&gt;">t</a>',
    referenceCount: 0,
    html: '<p>Tom &amp; Jerry &lt;3 "quotes" &amp; &lt;b&gt; and <a href="https://example.org/?q=a&amp;b" title="a &quot;b&quot; &lt;c&gt;" rel="noopener noreferrer nofollow">t</a></p>',
  },
  {
    name: 'headings, lists, emphasis, quotes and line breaks',
    markdown: '## From the Guidelines\n\n- one **bold**\n- two *it*\n\n> quoted [1]\n\nline one  \nline two\n\n---',
    referenceCount: 1,
    html: [
      '<h2 id="from-the-guidelines">From the Guidelines</h2>',
      '<ul>',
      '<li>one <strong>bold</strong></li>',
      '<li>two <em>it</em></li>',
      '</ul>',
      '<blockquote>',
      '<p>quoted <sup class="citation">[<a href="#ref-1">1</a>]</sup></p>',
      '</blockquote>',
      '<p>line one<br />',
      'line two</p>',
      '<hr />',
    ].join('\n'),
  },
  {
    name: 'a citation in a heading and in an HTML link',
    markdown: '## Evidence [1]\n\n<a href="https://example.org">see [1]</a>',
    referenceCount: 1,
    html: [
      '<h2 id="evidence-1">Evidence <sup class="citation">[<a href="#ref-1">1</a>]</sup></h2>',
      '<p><a href="https://example.org" rel="noopener noreferrer nofollow">see <sup class="citation">[1]</sup></a></p>',
    ].join('\n'),
  },
];
