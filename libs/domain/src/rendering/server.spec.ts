import { renderContent } from './server';

const render = (body: string, referenceCount = 6) => renderContent({ summary: null, body, referenceCount }).bodyHtml;

describe('renderContent', () => {
  it('renders Markdown with stable heading ids', () => {
    const html = render('## From the Guidelines\n\nSurgery first.\n\n## From the Research\n\n## From the Research');
    expect(html).toContain('<h2 id="from-the-guidelines">From the Guidelines</h2>');
    expect(html).toContain('<h2 id="from-the-research">From the Research</h2>');
    expect(html).toContain('<h2 id="from-the-research-2">From the Research</h2>');
    expect(html).toContain('<p>Surgery first.</p>');
  });

  it('links citation markers to the reference list', () => {
    expect(render('Works [1].')).toBe('<p>Works <sup class="citation">[<a href="#ref-1">1</a>]</sup>.</p>');
    expect(render('See [2, 3] and [2-6].')).toContain(
      '<sup class="citation">[<a href="#ref-2">2</a>, <a href="#ref-3">3</a>]</sup> and <sup class="citation">[<a href="#ref-2">2</a>–<a href="#ref-6">6</a>]</sup>',
    );
    expect(render('Mixed [1, 3–5].')).toContain(
      '[<a href="#ref-1">1</a>, <a href="#ref-3">3</a>–<a href="#ref-5">5</a>]',
    );
  });

  it('does not link numbers beyond the references, nor markers in code, nor Markdown links', () => {
    expect(render('Missing [9].', 2)).toContain('<sup class="citation">[9]</sup>');
    expect(render('Code `[1]` here.')).toContain('<code>[1]</code>');
    expect(render('A [1](https://example.org/x) link.')).toContain(
      '<a href="https://example.org/x" rel="noopener noreferrer nofollow">1</a>',
    );
  });

  it.each([
    ['a script tag and its content', 'Before <script>alert(1)</script> after', /script|alert/i],
    ['an event handler', 'An image <img src=x onerror=alert(1)> here', /onerror|<img/i],
    ['a javascript: link', '[click](javascript:alert(1))', /="javascript:/i],
    ['a javascript: href in HTML', '<a href="javascript:alert(3)">another</a>', /javascript:/i],
    ['a data: link', '[click](data:text/html;base64,PHNjcmlwdD4=)', /="data:/i],
    ['an autolinked javascript: URL', '<javascript:alert(1)>', /="javascript:/i],
    ['an iframe', '<iframe src="https://evil.example"></iframe>', /iframe|evil/i],
    ['a style attribute', '<p style="position:fixed">x</p>', /style|position/i],
  ])('strips %s', (_, markdown, forbidden) => {
    expect(render(markdown)).not.toMatch(forbidden);
  });

  it('keeps the inline HTML on the allow-list', () => {
    expect(render('H<sub>2</sub>O and x<sup>2</sup>')).toBe('<p>H<sub>2</sub>O and x<sup>2</sup></p>');
    expect(render('<a href="https://example.org" onclick="x()">ok</a>')).toBe(
      '<p><a href="https://example.org" rel="noopener noreferrer nofollow">ok</a></p>',
    );
  });

  it('renders the summary too, and nothing for an empty one', () => {
    expect(renderContent({ summary: 'In short [1].', body: 'x', referenceCount: 1 }).summaryHtml).toBe(
      '<p>In short <sup class="citation">[<a href="#ref-1">1</a>]</sup>.</p>',
    );
    expect(renderContent({ summary: null, body: 'x', referenceCount: 0 }).summaryHtml).toBeNull();
  });
});
