/**
 * The browser half of the one rendering (contract §12): the shared renderer of
 * `@imprimatur/domain/rendering` (markdown-it, the citation rule, heading ids) with the shared
 * allow-list applied by DOMPurify instead of the server's sanitize-html. The golden test
 * (render.golden.test.ts, and libs/domain/src/rendering/server.golden.spec.ts on the server) holds both
 * to the same HTML, byte for byte, so that the editor's preview and the review workspace show
 * what readers will get.
 */
import DOMPurify, { type Config, type DOMPurify as Purifier } from 'dompurify';
import {
  ARTICLE_HTML,
  filterAttributes,
  renderArticleText,
  type MarkdownRenderOptions,
} from '@imprimatur/domain/rendering';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/** The shared allow-list as DOMPurify's configuration; `filterAttributes` (a hook below) does the per-element part. */
const CONFIG = {
  ALLOWED_TAGS: Object.keys(ARTICLE_HTML.tags),
  ALLOWED_ATTR: [...new Set(Object.values(ARTICLE_HTML.tags).flat())],
  ALLOWED_URI_REGEXP: new RegExp(
    `^(?:(?:${ARTICLE_HTML.schemes.join('|')}):|[^a-z]|[a-z+.\\-]+(?:[^a-z+.\\-:]|$))`,
    'i',
  ),
  FORBID_CONTENTS: [...ARTICLE_HTML.dropWithContent],
  KEEP_CONTENT: true,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
} satisfies Config;

let purifier: Purifier | undefined;

function createPurifier(): Purifier {
  // An instance of our own, so that these hooks never touch another user of DOMPurify.
  const purify = DOMPurify(window);
  purify.addHook('beforeSanitizeAttributes', (node) => {
    // Called for text nodes too.
    if (node.nodeType !== ELEMENT_NODE) return;
    const attributes = [...node.attributes];
    const kept = filterAttributes(
      node.localName,
      attributes.map((a) => [a.name, a.value] as const),
    );
    attributes.forEach((a) => node.removeAttribute(a.name));
    kept.forEach(([name, value]) => node.setAttribute(name, value));
  });
  purify.addHook('uponSanitizeAttribute', (_node, event) => {
    // filterAttributes has decided, as it does on the server. DOMPurify's own attribute checks would
    // also trim values and read URLs by rules of their own, and so differ from what readers get.
    event.forceKeepAttr = true;
  });
  return purify;
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (value: string) => escapeText(value).replace(/"/g, '&quot;');

/**
 * The sanitised nodes written out as sanitize-html writes them (`<br />`, `&lt;` and `&gt;` in
 * attribute values too), rather than as innerHTML would (`<br>`, `&nbsp;`), so that the strings match.
 */
function serialise(parent: Node): string {
  let html = '';
  parent.childNodes.forEach((node) => {
    if (node.nodeType === TEXT_NODE) {
      html += escapeText((node as Text).data);
    } else if (node.nodeType === ELEMENT_NODE) {
      const element = node as Element;
      const tag = element.localName;
      const attributes = [...element.attributes].map((a) => ` ${a.name}="${escapeAttribute(a.value)}"`).join('');
      html += (ARTICLE_HTML.selfClosing as readonly string[]).includes(tag)
        ? `<${tag}${attributes} />`
        : `<${tag}${attributes}>${serialise(element)}</${tag}>`;
    }
    // Nothing else survives DOMPurify with this configuration (comments, processing instructions).
  });
  return html;
}

function sanitise(html: string): string {
  purifier ??= createPurifier();
  // With a doctype DOMParser reads the HTML in standards mode, as the reader's page and this app are
  // read (without one, quirks mode: a <table> would not close an open <p>, for one).
  return serialise(purifier.sanitize(`<!DOCTYPE html>${html}`, CONFIG));
}

/** Article Markdown to safe HTML, in the browser, exactly as the server renders it for readers. */
export function renderArticleHtml(markdown: string, options: MarkdownRenderOptions): string {
  return renderArticleText(markdown, { ...options, sanitise });
}

/**
 * HTML the server has already rendered and sanitised (a revision's stored `summaryHtml`/`bodyHtml`),
 * through the browser's sanitiser once more before it goes into the page: a second line of defence,
 * should stored HTML ever hold what the allow-list does not. For the server's own output it changes
 * nothing, byte for byte (render.golden.test.ts checks it on every fixture), so reviewers still see
 * exactly the HTML that was stored, hashed, signed and published.
 */
export function sanitiseArticleHtml(html: string): string {
  return sanitise(html);
}
