import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

const render = (md: string, referenceCount = 3) => renderMarkdown(md, { referenceCount, idPrefix: 'ref-' });

describe('renderMarkdown', () => {
  it('links citation markers to the references, as the shared parser finds them', () => {
    const html = render('Surgery [1], radiotherapy [2, 3] and more [2-3]. Missing [7].');
    expect(html).toContain('<a href="#ref-1" aria-label="reference 1">1</a>');
    expect(html).toContain('[<a href="#ref-2" aria-label="reference 2">2</a>, <a href="#ref-3" aria-label="reference 3">3</a>]');
    expect(html).toContain('<span class="citation-missing" title="There is no reference 7">7</span>');
  });

  it('does not treat code or Markdown links as citations', () => {
    const html = render('Use `arr[1]` and [1](https://example.org) here.\n\n```\nx[2]\n```');
    expect(html).not.toContain('href="#ref-');
    expect(html).toContain('<code>arr[1]</code>');
    expect(html).toContain('<a href="https://example.org" rel="noopener noreferrer" target="_blank">1</a>');
    expect(html).toContain('<pre><code>x[2]</code></pre>');
  });

  it('escapes HTML and refuses javascript: links', () => {
    const html = render('<script>alert(1)</script> [x](javascript:alert(1)) "quoted"');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('&quot;quoted&quot;');
  });

  it('renders headings one level down, lists, emphasis and quotes', () => {
    const html = render('# From the Guidelines\n\n- one **bold**\n- two *it*\n\n1. first\n2. second\n\n> quoted');
    expect(html).toContain('<h2>From the Guidelines</h2>');
    expect(html).toContain('<ul><li>one <strong>bold</strong></li><li>two <em>it</em></li></ul>');
    expect(html).toContain('<ol><li>first</li><li>second</li></ol>');
    expect(html).toContain('<blockquote><p>quoted</p></blockquote>');
  });
});
