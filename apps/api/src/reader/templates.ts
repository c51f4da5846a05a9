/**
 * The reader pages' templates (Eta, auto-escaped). Kept as strings in code so the bundled API needs
 * no template files at run time. `it` is the view model built by ReaderController; `<%~ %>` is used only
 * for HTML that was sanitised when it was written (articles, the editorial policy) and for JSON-LD
 * escaped by the view model.
 */

/**
 * The favicon is the web app's (apps/web/public/assets/): the reader policy's img-src is 'self' only,
 * so no data: URL. Under /app/assets/ it is served for a year as immutable, hence the version in its
 * name: a new icon needs a new name.
 */
export const FAVICON_PATH = '/app/assets/favicon-v1.svg';

export const LAYOUT = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><%= it.pageTitle %> · Imprimatur</title>
<link rel="icon" type="image/svg+xml" href="${FAVICON_PATH}">
<% if (it.description) { %><meta name="description" content="<%= it.description %>"><% } %>
<% if (it.canonical) { %><link rel="canonical" href="<%= it.canonical %>"><% } %>
<% if (it.jsonLd) { %><script type="application/ld+json"><%~ it.jsonLd %></script><% } %>
<style>
:root { --ink: #1b1f24; --muted: #4a5562; --line: #d5dbe1; --brand: #0b5c8c; --ok: #17643a; --ok-bg: #e8f5ee; --warn: #8a3b00; --warn-bg: #fff3e6; --target-bg: #fff6d1; }
* { box-sizing: border-box; }
body { margin: 0; font: 1.0625rem/1.65 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
a { color: var(--brand); text-underline-offset: 0.15em; }
a:focus-visible, summary:focus-visible { outline: 3px solid #c25e00; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: 0.5rem 1rem; }
.skip:focus { left: 0.5rem; }
header.site, footer.site { border-bottom: 1px solid var(--line); padding: 0.75rem 1rem; }
footer.site { border-top: 1px solid var(--line); border-bottom: 0; color: var(--muted); font-size: 0.9375rem; margin-top: 3rem; }
header.site a { font-weight: 700; text-decoration: none; color: var(--ink); }
main { max-width: 44rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: clamp(1.75rem, 5vw, 2.25rem); line-height: 1.2; margin: 1rem 0 0.75rem; }
h2 { font-size: 1.375rem; margin-top: 2rem; }
.badge { display: inline-flex; align-items: center; gap: 0.5rem; padding: 0.35rem 0.75rem; border-radius: 999px; background: var(--ok-bg); color: var(--ok); font-weight: 600; font-size: 0.9375rem; }
.badge svg { flex: none; }
.meta { color: var(--muted); margin: 0.5rem 0; }
.summary { font-size: 1.125rem; border-left: 4px solid var(--brand); padding-left: 1rem; }
sup.citation { font-size: 0.75em; }
sup.citation a { padding: 0 0.1em; }
ol.references { padding-left: 1.5rem; }
ol.references li { margin-bottom: 0.75rem; scroll-margin-top: 1rem; }
ol.references li:target { background: var(--target-bg); outline: 3px solid var(--brand); outline-offset: 3px; border-radius: 2px; }
.kind { display: inline-block; font-size: 0.75rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.04em; border: 1px solid var(--line); border-radius: 4px; padding: 0 0.35rem; margin-right: 0.35rem; color: var(--muted); }
.review-dates { border-top: 1px solid var(--line); padding-top: 1rem; color: var(--muted); }
.disclaimer { background: #f4f6f8; border-radius: 6px; padding: 1rem; font-size: 0.9375rem; }
.notice { background: var(--warn-bg); color: var(--warn); border-radius: 6px; padding: 1rem; }
ul.index { list-style: none; padding: 0; }
ul.index li { border-bottom: 1px solid var(--line); padding: 1rem 0; }
ul.index h2 { margin: 0 0 0.25rem; font-size: 1.25rem; }
.review-status, .personalize { border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem; margin: 1rem 0; }
.review-status h2, .personalize h2 { font-size: 1.0625rem; margin: 0 0 0.5rem; }
ol.tracker { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 0.5rem; padding: 0; margin: 0; }
ol.tracker li { display: inline-flex; align-items: center; gap: 0.35rem; color: var(--ok); font-weight: 600; }
ol.tracker li + li::before { content: "·"; content: "·" / ""; color: var(--muted); margin-right: 0.25rem; }
ol.tracker li[aria-current] { background: var(--ok-bg); border-radius: 999px; padding: 0 0.6rem; }
.update-in-review { color: var(--warn); background: var(--warn-bg); border-radius: 4px; padding: 0.35rem 0.6rem; margin: 0.5rem 0 0; }
.personalize p { margin: 0 0 0.5rem; color: var(--muted); }
ul.choices { list-style: none; display: flex; flex-wrap: wrap; gap: 0.5rem; padding: 0; margin: 0; }
ul.choices a { display: inline-block; border: 1px solid var(--brand); border-radius: 999px; padding: 0.3rem 0.9rem; text-decoration: none; }
ul.choices a[aria-current] { background: var(--brand); color: #fff; font-weight: 600; }
</style>
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="site"><a href="/read">Imprimatur</a> <span class="meta">· medically reviewed information</span></header>
<main id="content">
<%~ it.content %>
</main>
<footer class="site">Reviewed by the Imprimatur Medical Advisory Board. <a href="/read/editorial-policy">View editorial policy</a> · <a href="/public/feed.json">JSON feed</a></footer>
</body>
</html>`;

/** A small tick before each step of the review tracker; the words carry the meaning. */
const STEP_ICON = `<svg aria-hidden="true" focusable="false" width="14" height="14" viewBox="0 0 20 20"><path d="M4 10.5l4 4 8-9" stroke="currentColor" stroke-width="3" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

const CHECK_ICON = `<svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 20 20"><circle cx="10" cy="10" r="10" fill="currentColor"/><path d="M5.5 10.5l3 3 6-6.5" stroke="#fff" stroke-width="2.2" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

export const ARTICLE = `<article>
<h1><%= it.title %></h1>
<p class="badge" role="status">${CHECK_ICON}<span>Approved — reviewed by the Medical Advisory Board</span></p>
<p class="meta">Medically reviewed by <%= it.reviewers %> on <time datetime="<%= it.lastReviewed %>"><%= it.lastReviewedText %></time></p>
<p class="meta">Last updated <time datetime="<%= it.lastUpdated %>"><%= it.lastUpdatedText %></time></p>
<section class="review-status" aria-labelledby="review-status-heading">
<h2 id="review-status-heading">Article Review Status</h2>
<ol class="tracker">
<li>${STEP_ICON}Submitted</li>
<li>${STEP_ICON}Under Review</li>
<li aria-current="step">${STEP_ICON}Approved</li>
</ol>
<% if (it.updateInReview) { %><p class="update-in-review">An update to this article is under review. You are reading the approved version until the update is approved.</p><% } %>
<p class="meta"><a href="/read/editorial-policy">View editorial policy</a></p>
</section>
<section class="personalize" aria-labelledby="personalize-heading">
<h2 id="personalize-heading">Personalize — Which best describes you?</h2>
<p>Your choice helps us use language that's most understandable for you.</p>
<ul class="choices">
<% it.choices.forEach(function (c) { %><li><a href="/read/<%= it.slug %>?audience=<%= c.audience %>"<% if (c.current) { %> aria-current="true"<% } %>><%= c.label %></a></li>
<% }) %></ul>
</section>
<% if (it.unavailableFor) { %><p class="notice">This article is not yet available for <%= it.unavailableFor %>. You are reading the version for healthcare professionals.</p><% } %>
<% if (it.summaryHtml) { %><div class="summary"><%~ it.summaryHtml %></div><% } %>
<div class="body"><%~ it.bodyHtml %></div>
<% if (it.signatures.length > 0) { %>
<section aria-labelledby="signatures-heading">
<h2 id="signatures-heading">Signed off by the Medical Advisory Board</h2>
<ul class="signatures">
<% it.signatures.forEach(function (s) { %>
<li><%= s.signedBy %> on <time datetime="<%= s.signedAt %>"><%= s.signedAtText %></time></li>
<% }) %>
</ul>
<% if (it.attestation) { %><p class="meta">The publisher signed this version: its <a href="/public/articles/<%= it.slug %>/versions/<%= it.version %>">signed record</a> can be checked against the <a href="/.well-known/jwks.json">publisher's public keys</a>.</p><% } %>
</section>
<% } %>
<section aria-labelledby="references-heading">
<h2 id="references-heading">References</h2>
<ol class="references">
<% it.references.forEach(function (ref) { %>
<li id="<%= ref.id %>"><span class="kind"><%= ref.kindLabel %></span><%= ref.citation %>
<% ref.links.forEach(function (link) { %> <a href="<%= link.href %>" rel="noopener noreferrer nofollow"><%= link.label %></a><% }) %>
</li>
<% }) %>
</ol>
</section>
<p class="review-dates">Page last reviewed <time datetime="<%= it.lastReviewed %>"><%= it.lastReviewedText %></time> · Next review due <time datetime="<%= it.nextReviewDue %>"><%= it.nextReviewDueText %></time></p>
<aside class="disclaimer" aria-label="Disclaimer"><p><strong><%= it.disclaimer.lead %></strong> <%= it.disclaimer.text %></p></aside>
<% if (it.changes.length > 0) { %>
<section aria-labelledby="changes-heading">
<h2 id="changes-heading">Changes to this article</h2>
<ul class="changes">
<% it.changes.forEach(function (c) { %>
<li><time datetime="<%= c.publishedAt %>"><%= c.publishedAtText %></time> · <%= c.significanceText %><% if (c.summary) { %> · <%= c.summary %><% } %></li>
<% }) %>
</ul>
</section>
<% } %>
</article>`;

export const INDEX = `<h1>Medically reviewed articles</h1>
<% if (it.articles.length === 0) { %><p>No articles are published yet.</p><% } else { %>
<ul class="index">
<% it.articles.forEach(function (a) { %>
<li><h2><a href="/read/<%= a.slug %>"><%= a.title %></a></h2>
<% if (a.summary) { %><p><%= a.summary %></p><% } %>
<p class="meta">Reviewed <time datetime="<%= a.lastReviewed %>"><%= a.lastReviewedText %></time> · Last updated <time datetime="<%= a.lastUpdated %>"><%= a.lastUpdatedText %></time></p></li>
<% }) %>
</ul>
<% } %>`;

export const NOTICE = `<h1><%= it.heading %></h1>
<div class="notice" role="alert"><p><%= it.message %></p><% if (it.reason) { %><p><strong>Reason given by the publisher:</strong> <%= it.reason %></p><% } %></div>
<p><a href="/read">See all reviewed articles</a></p>`;

export const POLICY = `<article>
<h1>Editorial policy</h1>
<p class="meta">Last updated <time datetime="<%= it.updatedAt %>"><%= it.updatedAtText %></time></p>
<div class="body"><%~ it.bodyHtml %></div>
<p><a href="/read">See all reviewed articles</a></p>
</article>`;
