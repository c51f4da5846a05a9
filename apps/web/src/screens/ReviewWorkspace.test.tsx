import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { TimelineEntry } from '../api/articles';
import { describeChange } from '@imprimatur/domain/articles/significance';
import type { Article, Comment, ContentChange, Revision } from '../api/types';
import { renderArticleHtml } from '../lib/render';
import { aSignoff, contentHashOf, EDITOR, mockApi, renderApp, REVIEWER, signInAs, type Call } from '../test/render';
import { allChecks } from '../test/fixtures';

const ID = '66666666-6666-4666-8666-666666666666';

/** Why revisions after the first are clinical here: a dose changed in the professional text, a route in the patient version. */
const DOSE: ContentChange = { kind: 'quantity', before: '75 mg/m²', after: '60 mg/m²' };
const ROUTE: ContentChange = { kind: 'route', before: 'by mouth', after: 'into a vein', audience: 'patient' };

const article: Article = {
  id: ID,
  slug: 'can-leiomyosarcoma-be-treated',
  state: 'under_review',
  title: 'Can leiomyosarcoma be treated?',
  authorId: EDITOR.id,
  currentRevision: 3,
  currentContentHash: contentHashOf(3),
  changeClass: 'clinical',
  changes: [DOSE, ROUTE],
  publishedVersion: null,
  reviewers: [
    { id: REVIEWER.id, name: REVIEWER.name, credentials: 'MD', assignedAt: '2026-01-01T00:00:00Z', dueAt: null },
  ],
  signoffs: [],
  checks: allChecks(),
  reviewDue: false,
  reviewDueReason: null,
  lastUpdated: null,
  lastReviewed: null,
  nextReviewDue: null,
  publishAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-03T00:00:00.000Z',
};

const revision = (number: number): Revision => ({
  articleId: ID,
  number,
  title: article.title,
  summary: null,
  body: `Surgery is the main treatment, revision ${number} [1].`,
  references: [
    {
      type: 'guideline',
      title: 'ESMO guideline',
      source: null,
      year: 2021,
      url: 'https://example.org/esmo',
      doi: null,
      pmid: null,
    },
  ],
  specialties: [],
  reviewIntervalDays: null,
  changeNote: null,
  authorId: EDITOR.id,
  summaryHtml: null,
  // As the server stored it when the revision was written: not what this browser would make of `body`
  // (the emphasis and the closing words are only here), so that the tests can tell which one is shown.
  bodyHtml: `<p>Surgery is the <em>main</em> treatment, revision ${number} <sup class="citation">[<a href="#ref-1">1</a>]</sup>, as stored.</p>`,
  variants: [],
  variantsHtml: [],
  contentHash: contentHashOf(number),
  changeClass: number === 1 ? null : 'clinical',
  changeBase: number === 1 ? null : number - 1,
  changes: number === 1 ? [] : [DOSE, ROUTE],
  createdAt: `2026-01-0${number}T00:00:00.000Z`,
});

const entry = (seq: number, action: string, actorId: string, data: Record<string, unknown>): TimelineEntry => ({
  seq,
  at: '2026-01-01T00:00:00Z',
  action,
  actor: { id: actorId, email: 'someone@example.org' },
  entityType: 'article',
  entityId: ID,
  data,
  hash: `hash-${seq}`,
});

// The reviewer requested changes on revision 1; someone else approved revision 2 (not "my" sign-off).
const HISTORY = [
  entry(1, 'signoff.recorded', REVIEWER.id, { revision: 1, decision: 'request_changes' }),
  entry(2, 'revision.created', EDITOR.id, { number: 2 }),
  entry(3, 'signoff.recorded', '77777777-7777-4777-8777-777777777777', { revision: 2, decision: 'approve' }),
  entry(4, 'revision.created', EDITOR.id, { number: 3 }),
];

const page = (items: unknown[]) => ({ body: { items, nextCursor: null } });

function fakeApi(handler?: (call: Call) => { status?: number; body?: unknown } | undefined) {
  return mockApi((call) => {
    const answer = handler?.(call);
    if (answer) return answer;
    const base = `/articles/${ID}`;
    if (call.path === base) return { body: article };
    if (call.path === `${base}/history`) return page(HISTORY);
    if (call.path === `${base}/comments`) return page([]);
    if (call.path === `${base}/revisions`) return page([revision(1), revision(2), revision(3)]);
    const one = new RegExp(`^${base}/revisions/(\\d+)$`).exec(call.path);
    if (one) return { body: revision(Number(one[1])) };
    if (call.path === `${base}/checks`) {
      const check = { status: 'passed', details: {}, updatedAt: '2026-01-01T00:00:00Z' };
      return {
        body: {
          articleId: ID,
          revision: 3,
          checks: {
            citations: check,
            links: check,
            staleness: check,
            readability: check,
            consistency: check,
            evidence: check,
          },
        },
      };
    }
    if (call.path === `${base}/diff`) {
      const q = new URLSearchParams(call.search);
      return {
        body: {
          from: Number(q.get('from')),
          to: Number(q.get('to')),
          title: null,
          summary: '',
          body: '',
          references: { added: [], removed: [], changed: [] },
          variants: [],
        },
      };
    }
    return undefined;
  });
}

describe('since my last sign-off', () => {
  it('the review workspace links to the changes since my last sign-off, and the compare screen shows them, from one reading of the history', async () => {
    signInAs(REVIEWER);
    const { calls } = fakeApi();
    const { router } = renderApp(`/articles/${ID}/review`);
    const link = await screen.findByRole('link', { name: 'Changes since my last sign-off (revision 1)' });
    expect(link.getAttribute('href')).toBe(`/articles/${ID}/compare?from=1&to=3`);

    await userEvent.click(link);
    expect(router.state.location.pathname).toBe(`/articles/${ID}/compare`);
    expect(await screen.findByText('Showing the changes since your last sign-off (revision 1).')).toBeTruthy();
    await waitFor(() => expect(calls.some((c) => c.path.endsWith('/diff') && c.search === '?from=1&to=3')).toBe(true));
    // Both screens read the same cached history: it was fetched once.
    expect(calls.filter((c) => c.path.endsWith('/history'))).toHaveLength(1);
  });

  it('the compare screen, opened without a range, starts from my last sign-off', async () => {
    signInAs(REVIEWER);
    const { calls } = fakeApi();
    renderApp(`/articles/${ID}/compare`);
    expect(await screen.findByText('Showing the changes since your last sign-off (revision 1).')).toBeTruthy();
    const diffs = calls.filter((c) => c.path.endsWith('/diff'));
    // Only the default range is asked for: the screen waits for the history rather than comparing 2 → 3 first.
    expect(diffs.map((c) => c.search)).toEqual(['?from=1&to=3']);
    const from = screen.getByRole<HTMLSelectElement>('combobox', { name: 'From' });
    expect(from.value).toBe('1');
    expect(within(from).getByRole('option', { name: /^Revision 1 .* \(your last sign-off\)$/ })).toBeTruthy();
  });

  it('offers no such link to someone who never signed off', async () => {
    signInAs({ ...REVIEWER, id: '88888888-8888-4888-8888-888888888888' });
    fakeApi();
    renderApp(`/articles/${ID}/review`);
    expect(await screen.findByRole('heading', { name: `Review: ${article.title}` })).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('link', { name: 'Timeline' })).toBeTruthy());
    expect(screen.queryByRole('link', { name: /Changes since my last sign-off/ })).toBeNull();
  });
});

const comment = (over: Partial<Comment>): Comment => ({
  id: 'c1',
  articleId: ID,
  authorId: REVIEWER.id,
  parentId: null,
  revision: 3,
  body: 'Which guideline?',
  anchor: { quote: 'treatment, revision 3' },
  blocking: true,
  resolved: false,
  resolvedAt: null,
  resolvedBy: null,
  createdAt: '2026-01-03T00:00:00Z',
  ...over,
});

/** Where the server places `quote` on revision 3 (contract §19): its offsets in the Markdown body. */
const placedOn3 = (quote: string, body = revision(3).body): Comment['placement'] => {
  const start = body.indexOf(quote);
  return { revision: 3, status: 'anchored', start, end: start + quote.length };
};

describe('the review workspace shows what is signed', () => {
  it("shows the revision's stored HTML, not a rendering of its Markdown, with citations and comment quotes working in it", async () => {
    signInAs(REVIEWER);
    const summaryHtml = '<p>Yes, <strong>usually</strong>: stored summary.</p>';
    fakeApi((call) => {
      if (call.path === `/articles/${ID}/revisions/3`)
        return { body: { ...revision(3), summary: 'Yes, usually.', summaryHtml } };
      if (call.path === `/articles/${ID}/comments`)
        return page([comment({ placement: placedOn3('treatment, revision 3') })]);
      return undefined;
    });
    renderApp(`/articles/${ID}/review`);
    const text = await screen.findByRole('article', { name: 'Revision 3' });
    await waitFor(() => expect(text.textContent).toContain(', as stored.'));
    const bodies = text.querySelectorAll('.article-text');
    expect(bodies).toHaveLength(2);
    expect(bodies[0].innerHTML).toBe(summaryHtml);
    // The stored body, byte for byte, but for the mark of the open comment's quote.
    const body = bodies[1];
    expect(body.innerHTML.replace(/<mark [^>]*>(.*?)<\/mark>/, '$1')).toBe(revision(3).bodyHtml);
    expect(body.innerHTML).not.toBe(renderArticleHtml(revision(3).body, { referenceCount: 1, idPrefix: 'ref-' }));
    expect(body.querySelector('mark.anchor.blocking')?.textContent).toBe('treatment, revision 3');
    // Its citation links to the reference list beside it.
    const citation = within(body as HTMLElement).getByRole('link', { name: '1' });
    expect(citation.getAttribute('href')).toBe('#ref-1');
    expect(document.getElementById('ref-1')?.textContent).toContain('ESMO guideline');
    // The content hash the reviewer signs, in short.
    expect(screen.getByText('a003a003a003').getAttribute('title')).toBe(contentHashOf(3));
  });

  it("shows each audience version's stored HTML beside the professional text, under its heading", async () => {
    signInAs(REVIEWER);
    const patientHtml =
      '<p>An operation is the <em>main</em> treatment <sup class="citation">[<a href="#ref-1">1</a>]</sup>.</p>';
    const caregiverHtml = '<p>Help with getting to appointments.</p>';
    fakeApi((call) =>
      call.path === `/articles/${ID}/revisions/3`
        ? {
            body: {
              ...revision(3),
              variants: [
                { audience: 'patient', title: 'Can my cancer be treated?', summary: null, body: 'An operation [1].' },
                { audience: 'caregiver', title: null, summary: null, body: 'Help with getting to appointments.' },
              ],
              variantsHtml: [
                { audience: 'patient', summaryHtml: '<p>Stored summary.</p>', bodyHtml: patientHtml },
                { audience: 'caregiver', summaryHtml: null, bodyHtml: caregiverHtml },
              ],
            },
          }
        : undefined,
    );
    renderApp(`/articles/${ID}/review`);
    const text = await screen.findByRole('article', { name: 'Revision 3' });
    expect(text.textContent).toContain('This revision is written for 3 audiences; one sign-off covers every version.');
    const professional = within(text).getByRole('region', { name: 'Professional version' });
    await waitFor(() => expect(professional.textContent).toContain(', as stored.'));
    const patient = within(text).getByRole('region', { name: 'Patient version' });
    expect(within(patient).getByRole('heading', { name: 'Can my cancer be treated?' })).toBeTruthy();
    const [summary, body] = patient.querySelectorAll('.article-text');
    expect(summary.innerHTML).toBe('<p>Stored summary.</p>');
    expect(body.innerHTML).toBe(patientHtml);
    // Its citations link to the one reference list of the revision.
    expect(
      within(body as HTMLElement)
        .getByRole('link', { name: '1' })
        .getAttribute('href'),
    ).toBe('#ref-1');
    expect(document.querySelectorAll('[id="ref-1"]')).toHaveLength(1);
    // Without a title of its own, a version shows the article's, and says so.
    const caregiver = within(text).getByRole('region', { name: 'Caregiver version' });
    expect(within(caregiver).getByRole('heading', { name: article.title })).toBeTruthy();
    expect(caregiver.textContent).toContain('Shown with the article’s title: this version has no title of its own.');
    expect(caregiver.querySelector('.article-text')?.innerHTML).toBe(caregiverHtml);
  });

  it('says what kind of change the revision is, and why, on the workspace and again in the sign-off dialog', async () => {
    signInAs(REVIEWER);
    fakeApi();
    renderApp(`/articles/${ID}/review`);
    const panel = await screen.findByRole('region', { name: 'Change class' });
    expect(within(panel).getByTestId('change-class').textContent).toBe('Clinical change');
    expect(within(panel).getByText('Clinical change: needs the full board.')).toBeTruthy();
    const reasons = within(within(panel).getByRole('list', { name: 'Why' }))
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    expect(reasons).toEqual([describeChange(DOSE), describeChange(ROUTE)]);

    await userEvent.click(screen.getByRole('button', { name: 'Approve revision 3' }));
    const dialog = await screen.findByRole('dialog', { name: 'Approve revision 3' });
    expect(within(dialog).getByTestId('change-class').textContent).toBe('Clinical change');
    expect(within(dialog).getByText(describeChange(DOSE))).toBeTruthy();
  });

  it('an editorial revision says so, and what that means', async () => {
    signInAs(REVIEWER);
    const wording: ContentChange = { kind: 'wording', before: 'main', after: 'principal' };
    fakeApi((call) => {
      if (call.path === `/articles/${ID}/revisions/3`)
        return { body: { ...revision(3), changeClass: 'editorial', changes: [wording] } };
      return undefined;
    });
    renderApp(`/articles/${ID}/review`);
    const panel = await screen.findByRole('region', { name: 'Change class' });
    expect(
      within(panel).getByText('Editorial change: a live article’s editorial fix needs fewer approvals.'),
    ).toBeTruthy();
    expect(within(panel).getByText(describeChange(wording))).toBeTruthy();
  });

  it("signs with the reviewer's password and the shown revision's content hash", async () => {
    signInAs(REVIEWER);
    const signed = { ...article, signoffs: [aSignoff()] };
    const { calls } = fakeApi((call) =>
      call.method === 'POST' && call.path === `/articles/${ID}/signoffs`
        ? { status: 201, body: { signoff: aSignoff(), article: signed } }
        : undefined,
    );
    renderApp(`/articles/${ID}/review`);
    await userEvent.click(await screen.findByRole('button', { name: 'Approve revision 3' }));
    const dialog = await screen.findByRole('dialog', { name: 'Approve revision 3' });
    await userEvent.type(within(dialog).getByLabelText(/^Your password/), 'reviewer-password-1');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve revision 3' }));
    expect(await screen.findByText('You approved revision 3.')).toBeTruthy();
    // The dialog's button is gone with the decision: the decision takes the focus, not <body>.
    await waitFor(() => expect(document.activeElement?.textContent).toContain('You approved revision 3.'));
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
      { decision: 'approve', revision: 3, contentHash: contentHashOf(3), password: 'reviewer-password-1' },
    ]);
  });
});

describe('comments follow the text (contract §19)', () => {
  // "Rest helps" twice: which one a comment is on follows from the server's offsets, not from a search.
  const BODY = 'Rest helps. Surgery helps. Rest helps *a lot* [1].';
  const HTML =
    '<p>Rest helps. Surgery helps. Rest helps <em>a lot</em> <sup class="citation">[<a href="#ref-1">1</a>]</sup>.</p>';
  const at = (quote: string, from = 0): Comment['placement'] => {
    const start = BODY.indexOf(quote, from);
    return { revision: 3, status: 'anchored', start, end: start + quote.length };
  };
  const onRevision3 = (initial: Comment[], over: Partial<Revision> = {}) => {
    let comments = initial;
    const api = fakeApi((call) => {
      if (call.path === `/articles/${ID}/revisions/3`)
        return { body: { ...revision(3), body: BODY, bodyHtml: HTML, ...over } };
      if (call.method === 'GET' && call.path === `/articles/${ID}/comments`)
        return { body: { items: comments, nextCursor: null, revision: 3 } };
      if (call.method === 'POST' && call.path === `/articles/${ID}/comments`) {
        const sent = call.body as Partial<Comment>;
        const created = comment({ id: `c-new-${comments.length}`, ...sent, anchor: sent.anchor ?? null });
        comments = [...comments, created];
        return { status: 201, body: created };
      }
      return undefined;
    });
    renderApp(`/articles/${ID}/review`);
    return api;
  };
  const bodyText = async () => {
    const text = await screen.findByRole('article', { name: 'Revision 3' });
    const body = () =>
      [...text.querySelectorAll<HTMLElement>('.article-text')].find((e) => e.textContent.includes('Surgery helps'));
    return waitFor(() => body() ?? Promise.reject(new Error('no body yet')));
  };
  /** Selects the first appearance of `text` inside `element`, as a reader's drag would. */
  function select(element: HTMLElement, text: string) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const i = node.data.indexOf(text);
      if (i === -1) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + text.length);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    throw new Error(`"${text}" is not in the element`);
  }

  it('marks each open anchored comment where the server placed it on the revision shown, across emphasis too', async () => {
    signInAs(REVIEWER);
    const { calls } = onRevision3([
      comment({ id: 'second', revision: 2, anchor: { quote: 'Rest' }, placement: at('Rest', 5) }),
      comment({ id: 'across', blocking: false, anchor: { quote: 'helps *a lot*' }, placement: at('helps *a lot*') }),
      comment({ id: 'done', resolved: true, anchor: { quote: 'Surgery' }, placement: at('Surgery') }),
    ]);
    const text = await bodyText();
    await waitFor(() => expect(text.querySelectorAll('mark').length).toBe(3));
    expect(calls.find((c) => c.path.endsWith('/comments'))?.search).toContain('revision=3');
    // The second "Rest", although the comment was made on revision 2: it is still in revision 3.
    const second = text.querySelector<HTMLElement>('mark[data-comment="second"]')!;
    expect(second.textContent).toBe('Rest');
    expect(second.className).toBe('anchor blocking');
    const before = document.createRange();
    before.setStart(text, 0);
    before.setEndBefore(second);
    expect(before.toString()).toBe('Rest helps. Surgery helps. ');
    // One mark per text node the quote runs through: "helps " and, inside the emphasis, "a lot".
    const across = [...text.querySelectorAll<HTMLElement>('mark[data-comment="across"]')];
    expect(across.map((m) => m.textContent)).toEqual(['helps ', 'a lot']);
    expect(across[1].parentElement?.tagName).toBe('EM');
    // A resolved comment is not marked.
    expect(text.querySelector('mark[data-comment="done"]')).toBeNull();

    // "Jump to passage" brings the mark into view and focus.
    const panel = screen.getByRole('region', { name: 'Comments' });
    const thread = within(panel).getByRole('listitem', {
      name: 'You: blocking comment on “Rest”',
    });
    await userEvent.click(within(thread).getByRole('button', { name: 'Jump to passage' }));
    expect(document.activeElement).toBe(second);
  });

  it('lists outdated comments apart, with the text they quoted, and marks nothing for them', async () => {
    signInAs(REVIEWER);
    onRevision3([
      comment({ id: 'here', body: 'Fine.', anchor: { quote: 'Surgery helps' }, placement: at('Surgery helps') }),
      comment({
        id: 'gone',
        revision: 1,
        body: 'Which dose?',
        anchor: { quote: 'Doxorubicin 75 mg/m²' },
        placement: { revision: 3, status: 'outdated', start: null, end: null },
      }),
    ]);
    const text = await bodyText();
    await waitFor(() => expect(text.querySelector('mark[data-comment="here"]')).not.toBeNull());
    expect(text.querySelector('mark[data-comment="gone"]')).toBeNull();
    const outdated = screen.getByRole('region', { name: 'Outdated comments' });
    expect(within(outdated).getByRole('heading', { name: 'Outdated — the quoted text changed' })).toBeTruthy();
    const old = within(outdated).getByRole('listitem');
    expect(old.textContent).toContain('Originally quoted: “Doxorubicin 75 mg/m²”');
    expect(old.textContent).toContain('Which dose?');
    expect(within(old).getByText('Outdated')).toBeTruthy();
    expect(within(old).queryByRole('button', { name: 'Jump to passage' })).toBeNull();
  });

  it('a selection in the summary or the references is quoted in the comment; one in the body is its anchor', async () => {
    signInAs(REVIEWER);
    const { calls } = onRevision3([], { summary: 'Mostly, yes.', summaryHtml: '<p>Mostly, yes.</p>' });
    const body = await bodyText();
    const article = screen.getByRole('article', { name: 'Revision 3' });
    const summary = article.querySelector<HTMLElement>('[data-passage="summary"]')!;
    select(summary, 'Mostly');
    fireEvent.mouseUp(summary);
    const form = screen.getByRole('form', { name: 'Comment on the selected text' });
    expect(within(form).getByText('“Mostly”')).toBeTruthy();
    await userEvent.click(within(form).getByRole('textbox', { name: 'Comment' }));
    await userEvent.paste('Too vague.');
    await userEvent.click(within(form).getByRole('button', { name: 'Add comment' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    // The new thread takes the focus, not the page (the emptied form's button is disabled).
    await waitFor(() => expect(document.activeElement?.id).toBe('comment-c-new-0'));
    expect(document.activeElement?.textContent).toContain('Too vague.');

    const references = article.querySelector<HTMLElement>('[data-passage="references"]')!;
    select(references, 'ESMO guideline');
    fireEvent.keyUp(references);
    await userEvent.click(within(form).getByRole('textbox', { name: 'Comment' }));
    await userEvent.paste('Is there a newer one?');
    await userEvent.click(within(form).getByRole('button', { name: 'Add comment' }));

    select(body, 'Surgery helps');
    fireEvent.mouseUp(body);
    await userEvent.click(within(form).getByRole('textbox', { name: 'Comment' }));
    await userEvent.paste('Which surgery?');
    await userEvent.click(within(form).getByRole('button', { name: 'Add comment' }));

    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(3));
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
      { body: 'On the summary: “Mostly”\n\nToo vague.', blocking: false },
      { body: 'On the references: “ESMO guideline”\n\nIs there a newer one?', blocking: false },
      {
        body: 'Which surgery?',
        blocking: false,
        anchor: { quote: 'Surgery helps', prefix: 'Rest helps. ', suffix: '. Rest helps *a lot* [1].' },
      },
    ]);
  });

  it('on a phone, a floating Comment button beside the selection leads to the comment form', async () => {
    const phone = '(max-width: 47.99em)';
    vi.spyOn(window, 'matchMedia').mockImplementation(
      (query: string) =>
        ({
          matches: query === phone,
          media: query,
          onchange: null,
          addListener: vi.fn(),
          removeListener: vi.fn(),
          addEventListener: vi.fn(),
          removeEventListener: vi.fn(),
          dispatchEvent: vi.fn(),
        }) as MediaQueryList,
    );
    signInAs(REVIEWER);
    onRevision3([]);
    const body = await bodyText();
    expect(screen.queryByRole('button', { name: 'Comment on the selected text' })).toBeNull();
    select(body, 'Surgery helps');
    // A touch selection is made and adjusted with the handles: the button follows selectionchange.
    fireEvent(document, new Event('selectionchange'));
    const button = await screen.findByRole('button', { name: 'Comment on the selected text' });
    expect(button.textContent).toBe('Comment');
    await userEvent.click(button);
    const form = screen.getByRole('form', { name: 'Comment on the selected text' });
    expect(within(form).getByText('“Surgery helps”')).toBeTruthy();
    expect(document.activeElement).toBe(within(form).getByRole('textbox', { name: 'Comment' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Comment on the selected text' })).toBeNull());
  });

  it("sends the article's author to the editor, where the comments are, instead of saying they are not assigned", async () => {
    signInAs(EDITOR);
    fakeApi();
    const { router } = renderApp(`/articles/${ID}/review`);
    await waitFor(() => expect(router.state.location.pathname).toBe(`/articles/${ID}/edit`));
    expect(
      (await screen.findAllByText(/^You wrote this article: its reviewers’ comments are beside the text/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText(/You are not assigned to review this article/)).toBeNull();
  });
});
