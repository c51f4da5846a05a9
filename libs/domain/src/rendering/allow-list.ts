/**
 * The one HTML allow-list of article text (contract §12, "One rendering"). The server sanitises with
 * sanitize-html and the browser with DOMPurify; both configurations are made from this object, and
 * both run `filterAttributes` below on every element, so that an attribute is kept, changed or
 * dropped by one piece of code whichever sanitiser runs.
 */
export const ARTICLE_HTML = {
  /** Allowed elements and, for each, its allowed attributes. Any other element is dropped, its content kept. */
  tags: {
    h1: ['id'],
    h2: ['id'],
    h3: ['id'],
    h4: ['id'],
    h5: ['id'],
    h6: ['id'],
    p: [],
    br: [],
    hr: [],
    a: ['href', 'title', 'rel'],
    ul: [],
    ol: ['start'],
    li: [],
    strong: [],
    em: [],
    del: [],
    s: [],
    code: ['class'],
    pre: [],
    blockquote: [],
    sup: ['class'],
    sub: [],
    table: [],
    thead: [],
    tbody: [],
    tr: [],
    th: ['style'],
    td: ['style'],
  } satisfies Record<string, readonly string[]>,
  /** Elements dropped together with everything inside them (scripts, styles, embedded documents, foreign content). */
  dropWithContent: [
    'script',
    'style',
    'template',
    'textarea',
    'option',
    'select',
    'title',
    'xmp',
    'iframe',
    'object',
    'embed',
    'noscript',
    'noembed',
    'noframes',
    'plaintext',
    'svg',
    'math',
    'audio',
    'video',
  ],
  /** Allowed elements that have no end tag; written `<br />`, as sanitize-html writes them. */
  selfClosing: ['br', 'hr'],
  /** Class names allowed per element: a name or a pattern. Other class names are dropped, and an emptied `class`. */
  classes: { sup: ['citation'], code: [/^language-[\w-]+$/] } satisfies Record<string, readonly (string | RegExp)[]>,
  /** Inline style allowed per element: a property and the patterns its value must match. Other declarations are dropped. */
  styles: {
    th: { 'text-align': [/^(left|right|center)$/] },
    td: { 'text-align': [/^(left|right|center)$/] },
  } satisfies Record<string, Record<string, readonly RegExp[]>>,
  /** URL attributes and the schemes they may use; a URL without a scheme (relative, `#fragment`) is fine, `//host` is not. */
  urlAttributes: ['href'],
  schemes: ['http', 'https', 'mailto'],
  /** Every link that leaves the page (any `href` but a `#fragment`) gets this `rel`: no referrer, no window.opener, no SEO credit. */
  externalLinkRel: 'noopener noreferrer nofollow',
} as const;

export type AllowedTag = keyof typeof ARTICLE_HTML.tags;

const has = <T extends object>(object: T, key: PropertyKey): key is keyof T =>
  Object.prototype.hasOwnProperty.call(object, key);

export function isAllowedTag(tag: string): tag is AllowedTag {
  return has(ARTICLE_HTML.tags, tag);
}

/**
 * Whether a URL may stay. Browsers ignore control characters and spaces inside a scheme
 * (`java\tscript:`), and an HTML comment in a URL has fooled parsers: both are removed before the
 * scheme is read. The same rule as sanitize-html's own check, which the server runs as well.
 */
export function isAllowedUrl(url: string): boolean {
  // eslint-disable-next-line no-control-regex
  let href = url.replace(/[\x00-\x20]+/g, '');
  for (let start = href.indexOf('<!--'); start !== -1; start = href.indexOf('<!--')) {
    const end = href.indexOf('-->', start + 4);
    if (end === -1) break;
    href = href.slice(0, start) + href.slice(end + 3);
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9.\-+]*):/.exec(href)?.[1];
  if (scheme === undefined) return !/^[/\\]{2}/.test(href);
  return (ARTICLE_HTML.schemes as readonly string[]).includes(scheme.toLowerCase());
}

function filterClasses(tag: AllowedTag, value: string): string {
  const allowed: readonly (string | RegExp)[] = has(ARTICLE_HTML.classes, tag) ? ARTICLE_HTML.classes[tag] : [];
  return value
    .split(/\s+/)
    .filter(
      (name) => name !== '' && allowed.some((rule) => (typeof rule === 'string' ? rule === name : rule.test(name))),
    )
    .join(' ');
}

/** `prop:value` declarations that the allow-list permits, rewritten as sanitize-html writes them (`a:b;c:d`). */
function filterStyle(tag: AllowedTag, value: string): string {
  const allowed: Record<string, readonly RegExp[]> = has(ARTICLE_HTML.styles, tag) ? ARTICLE_HTML.styles[tag] : {};
  const kept: string[] = [];
  for (const declaration of value.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon === -1) continue;
    const property = declaration.slice(0, colon).trim();
    const propertyValue = declaration.slice(colon + 1).trim();
    // Anything unusual (comments, escapes, !important) simply fails the value patterns.
    if (has(allowed, property) && allowed[property].some((pattern) => pattern.test(propertyValue)))
      kept.push(`${property}:${propertyValue}`);
  }
  return kept.join(';');
}

/**
 * Values that could end a comment, a CDATA section or a raw-text element if the HTML were ever
 * re-read as XML: DOMPurify refuses them, so the server does too.
 */
const BREAKOUT = /((--!?|])>)|<\/(style|script|title|xmp|textarea|noscript|iframe|noembed|noframes)/i;

export type Attribute = readonly [name: string, value: string];

/**
 * The attributes of one element that the allow-list keeps, in their order, with `class` and
 * `style` filtered and the external-link `rel` set (decided on the `href` as written, before a
 * disallowed URL is removed). Empty values are dropped. `tag` and the names are lower case, as
 * both parsers give them; for a tag that is not allowed the answer is empty.
 */
export function filterAttributes(tag: string, attributes: readonly Attribute[]): Attribute[] {
  if (!isAllowedTag(tag)) return [];
  const list: Attribute[] = [...attributes];
  if (tag === 'a') {
    const href = list.find(([name]) => name === 'href')?.[1];
    if (!href?.startsWith('#')) {
      const rel = list.findIndex(([name]) => name === 'rel');
      if (rel === -1) list.push(['rel', ARTICLE_HTML.externalLinkRel]);
      else list[rel] = ['rel', ARTICLE_HTML.externalLinkRel];
    }
  }
  const allowedNames: readonly string[] = ARTICLE_HTML.tags[tag];
  const seen = new Set<string>();
  const kept: Attribute[] = [];
  for (const [name, raw] of list) {
    // The first of two same-named attributes wins, as in both parsers.
    if (seen.has(name)) continue;
    seen.add(name);
    if (!allowedNames.includes(name)) continue;
    let value = raw;
    if ((ARTICLE_HTML.urlAttributes as readonly string[]).includes(name) && !isAllowedUrl(value)) continue;
    if (name === 'class') value = filterClasses(tag, value);
    if (name === 'style') value = filterStyle(tag, value);
    if (value === '' || BREAKOUT.test(value)) continue;
    kept.push([name, value]);
  }
  return kept;
}
