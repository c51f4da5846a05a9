import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Article, Comment, Revision } from '../api/types';
import { contentHashOf, EDITOR, errorBody, mockApi, renderApp, REVIEWER, signInAs, type Call } from '../test/render';

const ID = '11111111-1111-4111-8111-111111111111';

const article = (over: Partial<Article> = {}): Article => ({
  id: ID,
  slug: 'can-leiomyosarcoma-be-treated',
  state: 'draft',
  title: 'Can leiomyosarcoma be treated?',
  authorId: EDITOR.id,
  currentRevision: 3,
  currentContentHash: contentHashOf(3),
  changeClass: 'editorial',
  changes: [],
  publishedVersion: null,
  reviewers: [],
  signoffs: [],
  checks: {
    citations: 'passed',
    links: 'pending',
    staleness: 'passed',
    readability: 'passed',
    consistency: 'passed',
    evidence: 'passed',
  },
  reviewDue: false,
  reviewDueReason: null,
  lastUpdated: null,
  lastReviewed: null,
  nextReviewDue: null,
  publishAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  ...over,
});

const revision = (number: number, over: Partial<Revision> = {}): Revision => ({
  articleId: ID,
  number,
  title: 'Can leiomyosarcoma be treated?',
  summary: null,
  body: 'Surgery is the main treatment [1].',
  references: [
    {
      type: 'guideline',
      title: 'ESMO guideline',
      source: 'Annals of Oncology',
      year: 2021,
      url: 'https://example.org/esmo',
      doi: null,
      pmid: null,
    },
  ],
  specialties: ['oncology'],
  reviewIntervalDays: null,
  changeNote: null,
  authorId: EDITOR.id,
  summaryHtml: null,
  bodyHtml: '<p>Surgery is the main treatment <sup class="citation">[<a href="#ref-1">1</a>]</sup>.</p>',
  variants: [],
  variantsHtml: [],
  contentHash: contentHashOf(number),
  changeClass: number === 1 ? null : 'editorial',
  changeBase: number === 1 ? null : number - 1,
  changes: [],
  createdAt: '2026-01-02T00:00:00.000Z',
  ...over,
});

const body = () => screen.getByRole('textbox', { name: /^Body/ });
const citationCheck = () => screen.getByRole('region', { name: 'Citation check' });

describe('article editor', () => {
  it('shows citation problems from the shared parser while typing, and links citations in the preview', async () => {
    signInAs(EDITOR);
    mockApi(() => undefined);
    renderApp('/articles/new');
    // Pasted rather than typed: each keystroke re-renders the whole editor, and jsdom on 2 cores is slow.
    await userEvent.click(await screen.findByRole('textbox', { name: /^Title/ }));
    await userEvent.paste('Can leiomyosarcoma be treated?');
    await userEvent.click(body());
    await userEvent.paste('Surgery first [1]. Radiotherapy helps [2, 3]. Bad marker [2-2].');

    await waitFor(() =>
      expect(
        within(citationCheck()).getByText(/Marker \[1\] cites reference 1, but there are no references/),
      ).toBeTruthy(),
    );
    expect(within(citationCheck()).getByText(/Marker \[2-2\] is malformed: a range must go upwards/)).toBeTruthy();
    expect(within(citationCheck()).getAllByText(/\(Body, line 1\)/).length).toBeGreaterThan(0);

    // Adding a reference: [1] now fits, [2, 3] still do not.
    await userEvent.click(screen.getByRole('button', { name: 'Add reference' }));
    await waitFor(() => expect(within(citationCheck()).queryByText(/Marker \[1\] cites reference 1/)).toBeNull());
    expect(
      within(citationCheck()).getByText(/Marker \[2, 3\] cites reference 2, but there is only 1 reference/),
    ).toBeTruthy();

    // The preview is the reader page's rendering: [1] links to the reference, [2, 3] (missing) is shown unlinked.
    const preview = screen.getByRole('region', { name: 'Preview' });
    const link = within(preview).getByRole('link', { name: '1' });
    expect(link.getAttribute('href')).toBe('#preview-ref-1');
    const citations = [...preview.querySelectorAll('sup.citation')].map((sup) => [
      sup.textContent,
      sup.querySelectorAll('a').length,
    ]);
    expect(citations).toEqual([
      ['[1]', 1],
      ['[2, 3]', 0],
    ]);
  });

  it('sanitises HTML in the preview as the reader page does', async () => {
    signInAs(EDITOR);
    mockApi(() => undefined);
    renderApp('/articles/new');
    await userEvent.click(await screen.findByRole('textbox', { name: /^Body/ }));
    await userEvent.paste('<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1))');
    const preview = screen.getByRole('region', { name: 'Preview' });
    await waitFor(() => expect(preview.querySelector('strong')?.textContent).toBe('bold'));
    expect(preview.querySelector('img')).toBeNull();
    expect(preview.querySelector('[onerror]')).toBeNull();
    expect(preview.querySelector('a[href^="javascript"]')).toBeNull();
    expect(within(preview).queryByRole('link', { name: 'link' })).toBeNull();
  });

  it('saves a new revision on its base, and on 409 stale_revision says who won and reloads', async () => {
    signInAs(EDITOR);
    let current = 3;
    const { calls } = mockApi((call) => {
      if (call.method === 'GET' && call.path === `/articles/${ID}`)
        return { body: article({ currentRevision: current }) };
      if (call.method === 'GET' && call.path === `/articles/${ID}/revisions/3`) return { body: revision(3) };
      if (call.method === 'GET' && call.path === `/articles/${ID}/revisions/4`)
        return { body: revision(4, { body: 'Their newer text [1].' }) };
      if (call.method === 'POST' && call.path === `/articles/${ID}/revisions`) {
        current = 4;
        return errorBody(409, 'stale_revision', 'Revision 3 is not the current revision (4)', { currentRevision: 4 });
      }
      return undefined;
    });
    renderApp(`/articles/${ID}/edit`);
    await waitFor(() => expect((body() as HTMLTextAreaElement).value).toBe('Surgery is the main treatment [1].'));

    await userEvent.click(body());
    await userEvent.paste(' Chemotherapy may follow.');
    await userEvent.click(screen.getByRole('textbox', { name: /^Change note/ }));
    await userEvent.paste('Adds chemotherapy');
    await userEvent.click(screen.getByRole('button', { name: 'Save as revision 4' }));

    const alert = await screen.findByRole('alert');
    // Revision 4's author is this editor: "you, in another tab" (contract §19).
    await waitFor(() => expect(alert.textContent).toMatch(/You saved revision 4 in another tab or window/));
    const sent = calls.find((c) => c.method === 'POST')?.body as Record<string, unknown>;
    expect(sent).toEqual({
      title: 'Can leiomyosarcoma be treated?',
      summary: null,
      body: 'Surgery is the main treatment [1]. Chemotherapy may follow.',
      references: [
        {
          type: 'guideline',
          title: 'ESMO guideline',
          source: 'Annals of Oncology',
          year: 2021,
          url: 'https://example.org/esmo',
          doi: null,
          pmid: null,
        },
      ],
      specialties: ['oncology'],
      reviewIntervalDays: null,
      variants: [],
      changeNote: 'Adds chemotherapy',
      baseRevision: 3,
    });

    await userEvent.click(within(alert).getByRole('button', { name: 'Reload revision 4' }));
    await waitFor(() => expect((body() as HTMLTextAreaElement).value).toBe('Their newer text [1].'));
    expect(screen.getByText(/Editing on revision 4/)).toBeTruthy();
    expect(screen.queryByText(/saved revision 4 in another tab/i)).toBeNull();
  });

  it('saves, then submits; a 422 citation_errors lists the problems in words', async () => {
    signInAs(EDITOR);
    let current = 3;
    const { calls } = mockApi((call) => {
      if (call.method === 'GET' && call.path === `/articles/${ID}`)
        return { body: article({ currentRevision: current }) };
      if (call.method === 'GET' && call.path === `/articles/${ID}/revisions/3`) return { body: revision(3) };
      if (call.method === 'POST' && call.path === `/articles/${ID}/revisions`) {
        current = 4;
        return { status: 201, body: revision(4, { body: (call.body as { body: string }).body }) };
      }
      if (call.method === 'POST' && call.path === `/articles/${ID}/submit`) {
        return errorBody(422, 'citation_errors', 'The citations have errors', [
          {
            kind: 'missing_reference',
            severity: 'error',
            message: 'Marker [5] cites reference 5, but there is only 1 reference',
          },
        ]);
      }
      return undefined;
    });
    renderApp(`/articles/${ID}/edit`);
    await waitFor(() => expect((body() as HTMLTextAreaElement).value).not.toBe(''));
    await userEvent.click(body());
    await userEvent.paste(' See also [5].');
    // With changes unsaved, submitting means saving them too: one button does both (contract §19).
    expect(screen.queryByRole('button', { name: /Submit revision 3/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Save and submit for review' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Save as revision 4' }));

    expect(await screen.findByText('Saved as revision 4.')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST' && c.path.endsWith('/revisions'))).toHaveLength(1);
    await userEvent.click(await screen.findByRole('button', { name: 'Submit revision 4 for review' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Not submitted');
    expect(alert.textContent).toContain('The citations have errors');
    expect(within(alert).getByText('Marker [5] cites reference 5, but there is only 1 reference')).toBeTruthy();
  });

  it('saves and submits in one request; a 422 citation_errors keeps the edits and lists the problems', async () => {
    signInAs(EDITOR);
    let refuse = true;
    const { calls } = mockApi((call) => {
      if (call.method === 'GET' && call.path === `/articles/${ID}`) return { body: article({ currentRevision: 3 }) };
      if (call.method === 'GET' && call.path === `/articles/${ID}/revisions/3`) return { body: revision(3) };
      if (call.method === 'POST' && call.path === `/articles/${ID}/revisions`) {
        if (refuse)
          return errorBody(422, 'citation_errors', 'Revision 4 has 1 citation error(s); fix them before submitting', [
            {
              kind: 'missing_reference',
              severity: 'error',
              message: 'Marker [5] cites reference 5, but there is only 1 reference',
            },
          ]);
        return { status: 201, body: revision(4, { body: (call.body as { body: string }).body }) };
      }
      return undefined;
    });
    renderApp(`/articles/${ID}/edit`);
    await waitFor(() => expect((body() as HTMLTextAreaElement).value).not.toBe(''));
    await userEvent.click(body());
    await userEvent.paste(' See also [5].');
    await userEvent.click(screen.getByRole('button', { name: 'Save and submit for review' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Not saved');
    expect(within(alert).getByText('Marker [5] cites reference 5, but there is only 1 reference')).toBeTruthy();
    expect((body() as HTMLTextAreaElement).value).toContain('See also [5].');
    const posts = calls.filter((c) => c.method === 'POST' && c.path.endsWith('/revisions'));
    expect(posts).toHaveLength(1);
    expect(posts[0].body).toMatchObject({ baseRevision: 3, submit: true });
    // Nothing else was sent: no separate submit.
    expect(calls.filter((c) => c.path.endsWith('/submit'))).toHaveLength(0);

    refuse = false;
    await userEvent.click(screen.getByRole('button', { name: 'Save and submit for review' }));
    expect(await screen.findByText('Saved as revision 4. Submitted — an admin will assign reviewers.')).toBeTruthy();
    expect(calls.filter((c) => c.path.endsWith('/submit'))).toHaveLength(0);
  });

  it('loads the authors of each reference into its row and sends them back as a list, or not at all', async () => {
    signInAs(EDITOR);
    const loaded = revision(3);
    const { calls } = mockApi((call) => {
      if (call.method === 'GET' && call.path === `/articles/${ID}`) return { body: article() };
      if (call.method === 'GET' && call.path === `/articles/${ID}/revisions/3`)
        return {
          body: {
            ...loaded,
            references: [
              { ...loaded.references[0], authors: ['Gronchi A', 'Miah AB'] },
              { ...loaded.references[0], title: 'Another', url: 'https://example.org/other' },
            ],
          },
        };
      if (call.method === 'POST' && call.path === `/articles/${ID}/revisions`)
        return { status: 201, body: revision(4) };
      return undefined;
    });
    renderApp(`/articles/${ID}/edit`);
    const first = await screen.findByRole('group', { name: 'Reference 1' });
    const authors = (row: HTMLElement) => within(row).getByRole<HTMLInputElement>('textbox', { name: /^Authors/ });
    await waitFor(() => expect(authors(first).value).toBe('Gronchi A, Miah AB'));
    const second = screen.getByRole('group', { name: 'Reference 2' });
    expect(authors(second).value).toBe('');

    await userEvent.click(authors(first));
    await userEvent.paste('; Blay JY');
    await userEvent.click(screen.getByRole('button', { name: 'Save as revision 4' }));
    expect(await screen.findByText('Saved as revision 4.')).toBeTruthy();
    const sent = calls.find((c) => c.method === 'POST')?.body as { references: Record<string, unknown>[] };
    expect(sent.references[0].authors).toEqual(['Gronchi A', 'Miah AB', 'Blay JY']);
    expect(sent.references[1]).not.toHaveProperty('authors');
  });

  it('refuses to send a reference without url, doi or pmid, and says why', async () => {
    signInAs(EDITOR);
    const { calls } = mockApi(() => undefined);
    renderApp('/articles/new');
    await userEvent.type(await screen.findByRole('textbox', { name: /^Title/ }), 'A title');
    await userEvent.click(body());
    await userEvent.paste('Text [1].');
    await userEvent.click(screen.getByRole('button', { name: 'Add reference' }));
    await userEvent.type(
      within(screen.getByRole('group', { name: 'Reference 1' })).getByRole('textbox', { name: /^Title/ }),
      'A study',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Create article' }));
    expect(await screen.findByText('Reference 1: Give at least one of URL, DOI and PMID.')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('asks before leaving with unsaved changes', async () => {
    signInAs(EDITOR);
    mockApi((call) => (call.path === '/articles' ? { body: { items: [], nextCursor: null } } : undefined));
    const { router } = renderApp('/articles/new');
    await userEvent.type(await screen.findByRole('textbox', { name: /^Title/ }), 'Unsaved');
    await userEvent.click(screen.getByRole('link', { name: "Editor's desk" }));
    const dialog = await screen.findByRole('dialog', { name: 'Leave without saving?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Stay and keep editing' }));
    expect(router.state.location.pathname).toBe('/articles/new');
    await userEvent.click(screen.getByRole('link', { name: "Editor's desk" }));
    await userEvent.click(
      within(await screen.findByRole('dialog', { name: 'Leave without saving?' })).getByRole('button', {
        name: 'Leave without saving',
      }),
    );
    await waitFor(() => expect(router.state.location.pathname).toBe('/desk'));
  });
});

describe('audience versions in the editor', () => {
  const PATIENT_BODY = 'An operation to remove the tumour is the main treatment [1].';

  /** The article at revision 3 (or 4 once saved): what the last save sent is what revision 4 holds. */
  function fakeArticle(start: Partial<Revision> = {}) {
    let current = 3;
    const saved: Revision[] = [revision(3, start)];
    const api = mockApi((call) => {
      if (call.method === 'GET' && call.path === `/articles/${ID}`)
        return { body: article({ currentRevision: current }) };
      const one = new RegExp(`^/articles/${ID}/revisions/(\\d+)$`).exec(call.path);
      if (call.method === 'GET' && one) return { body: saved.find((r) => r.number === Number(one[1])) };
      if (call.method === 'POST' && call.path === `/articles/${ID}/revisions`) {
        current += 1;
        const sent = call.body as Pick<Revision, 'variants'>;
        const written = revision(current, { variants: sent.variants });
        saved.push(written);
        return { status: 201, body: written };
      }
      return undefined;
    });
    return api;
  }
  const posted = (calls: { method: string; path: string; body: unknown }[]) =>
    calls.filter((c) => c.method === 'POST' && c.path.endsWith('/revisions')).map((c) => c.body as Revision);

  it('adds a patient version in its own tab, previews it, checks its citations, and sends it with the revision', async () => {
    signInAs(EDITOR);
    const { calls } = fakeArticle();
    const { router } = renderApp(`/articles/${ID}/edit`);
    await waitFor(() => expect((body() as HTMLTextAreaElement).value).toBe('Surgery is the main treatment [1].'));
    expect(screen.getByRole('tab', { name: 'Professional' }).getAttribute('aria-selected')).toBe('true');

    await userEvent.click(screen.getByRole('tab', { name: /^Patient/ }));
    // The open tab is in the address, so that a reload opens it again.
    expect(router.state.location.search).toBe('?audience=patient');
    const panel = screen.getByRole('tabpanel', { name: /^Patient/ });
    expect(panel.textContent).toContain('No patient version yet.');
    expect(screen.getByTestId('preview-audience').textContent).toMatch(/No patient version: readers who choose/);
    await userEvent.click(within(panel).getByRole('button', { name: 'Add a patient version' }));

    const patientBody = await screen.findByRole('textbox', { name: /^Patient body/ });
    await userEvent.click(patientBody);
    await userEvent.paste(`${PATIENT_BODY} Ask about [4].`);
    // The title and summary left empty are the article's: the preview shows the article's title.
    const preview = screen.getByRole('region', { name: 'Preview' });
    await waitFor(() => expect(preview.textContent).toContain('An operation to remove the tumour'));
    expect(within(preview).getByRole('heading', { name: 'Can leiomyosarcoma be treated?' })).toBeTruthy();
    expect(screen.getByTestId('preview-audience').textContent).toBe(
      'Patient version, as readers who choose “Patient” will see it.',
    );
    expect(within(preview).getByRole('link', { name: '1' }).getAttribute('href')).toBe('#preview-ref-1');
    // The shared citation check covers the version, and says where the problem is.
    await waitFor(() =>
      expect(
        within(citationCheck()).getByText(
          /In the patient version, marker \[4\] cites reference 4, but there is only 1 reference/,
        ),
      ).toBeTruthy(),
    );
    expect(within(citationCheck()).getByText(/\(Patient version, body, line 1\)/)).toBeTruthy();

    await userEvent.clear(patientBody);
    await userEvent.click(patientBody);
    await userEvent.paste(PATIENT_BODY);
    await userEvent.click(screen.getByRole('textbox', { name: /^Patient title/ }));
    await userEvent.paste('Can my leiomyosarcoma be treated?');
    await userEvent.click(screen.getByRole('button', { name: 'Save as revision 4' }));
    expect(await screen.findByText('Saved as revision 4.')).toBeTruthy();
    expect(posted(calls)[0]).toMatchObject({
      title: 'Can leiomyosarcoma be treated?',
      body: 'Surgery is the main treatment [1].',
      variants: [
        { audience: 'patient', title: 'Can my leiomyosarcoma be treated?', summary: null, body: PATIENT_BODY },
      ],
      baseRevision: 3,
    });
    // Still on the patient tab, now editing revision 4 with its version.
    expect((await screen.findByRole<HTMLTextAreaElement>('textbox', { name: /^Patient body/ })).value).toBe(
      PATIENT_BODY,
    );
  });

  it('loads the versions of the revision it starts from, and removes one on request', async () => {
    signInAs(EDITOR);
    const { calls } = fakeArticle({
      variants: [
        { audience: 'caregiver', title: null, summary: 'How to help.', body: 'Help them get to appointments [1].' },
      ],
    });
    renderApp(`/articles/${ID}/edit?audience=caregiver`);
    const caregiverBody = await screen.findByRole<HTMLTextAreaElement>('textbox', { name: /^Caregiver body/ });
    expect(caregiverBody.value).toBe('Help them get to appointments [1].');
    expect(screen.getByRole<HTMLTextAreaElement>('textbox', { name: /^Caregiver summary/ }).value).toBe('How to help.');
    expect(screen.getByRole('tab', { name: /^Patient/ }).textContent).toBe('Patient (none)');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Save as revision 4' }).disabled).toBe(true);

    await userEvent.click(screen.getByRole('button', { name: 'Remove the caregiver version' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove the caregiver version?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByRole('textbox', { name: /^Caregiver body/ })).toBeNull());
    expect(screen.getByRole('button', { name: 'Add a caregiver version' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Save as revision 4' }));
    expect(await screen.findByText('Saved as revision 4.')).toBeTruthy();
    expect(posted(calls)[0].variants).toEqual([]);
  });

  it('will not send a version without a body, and opens its tab to say so', async () => {
    signInAs(EDITOR);
    const { calls } = fakeArticle();
    renderApp(`/articles/${ID}/edit?audience=patient`);
    await userEvent.click(await screen.findByRole('button', { name: 'Add a patient version' }));
    await userEvent.click(screen.getByRole('tab', { name: 'Professional' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save as revision 4' }));
    expect(await screen.findByText('Patient version, body: Write the body.')).toBeTruthy();
    expect(screen.getByRole('tab', { name: /^Patient/ }).getAttribute('aria-selected')).toBe('true');
    expect(posted(calls)).toHaveLength(0);
  });
});

describe('the change class in the editor', () => {
  const SLUG = 'can-leiomyosarcoma-be-treated';
  const DOSE_75 = 'Doxorubicin 75 mg/m² every 3 weeks [1].';
  const DOSE_60 = 'Doxorubicin 60 mg/m² every 3 weeks [1].';
  const changeClass = () => screen.getByRole('region', { name: 'Change class' });
  // Four requests in turn (the article, the base, the live version, its revision), then the debounce.
  const SLOW = { timeout: 5000 };

  /** Replaces the professional body, as an editor selecting it all and pasting would. */
  async function replaceBody(text: string) {
    await userEvent.clear(body());
    await userEvent.click(body());
    await userEvent.paste(text);
  }

  it('classifies the draft against the live revision while typing: a changed dose is clinical, and says why', async () => {
    signInAs(EDITOR);
    // Version 2 (revision 2) is live; revision 3, a new title, is being edited.
    const { calls } = mockApi((call) => {
      if (call.path === `/articles/${ID}`) return { body: article({ publishedVersion: 2 }) };
      if (call.path === `/public/articles/${SLUG}/versions/2`) return { body: { slug: SLUG, version: 2, revision: 2 } };
      if (call.path === `/articles/${ID}/revisions/2`) return { body: revision(2, { body: DOSE_75 }) };
      if (call.path === `/articles/${ID}/revisions/3`)
        return { body: revision(3, { title: 'Can leiomyosarcoma be treated? An overview', body: DOSE_75 }) };
      return undefined;
    });
    renderApp(`/articles/${ID}/edit`);
    await waitFor(
      () => expect(within(changeClass()).getByTestId('change-class').textContent).toBe('Editorial change'),
      SLOW,
    );
    expect(changeClass().textContent).toContain('Compared with the live text (version 2, revision 2)');

    await replaceBody(DOSE_60);
    // The emptied body may be classified on the way (the debounce can settle between clearing and pasting).
    const reasons = () =>
      within(within(changeClass()).getByRole('list', { name: 'Why' }))
        .getAllByRole('listitem')
        .map((r) => r.textContent);
    // In the domain's words (describeChange), e.g. "dose changed: 75 mg/m2 → 60 mg/m2".
    await waitFor(
      () => expect(reasons()).toEqual([expect.stringMatching(/^dose changed: 75 mg\/m.? → 60 mg\/m/)]),
      SLOW,
    );
    expect(within(changeClass()).getByTestId('change-class').textContent).toBe('Clinical change');
    expect(within(changeClass()).getByText('Clinical change: needs the full board.')).toBeTruthy();
    expect(calls.filter((c) => c.path.startsWith('/public/'))).toHaveLength(1);
  });

  it('without a live version, compares with the revision being edited: a reworded sentence is editorial', async () => {
    signInAs(EDITOR);
    const { calls } = mockApi((call) => {
      if (call.path === `/articles/${ID}`) return { body: article() };
      if (call.path === `/articles/${ID}/revisions/3`) return { body: revision(3) };
      return undefined;
    });
    renderApp(`/articles/${ID}/edit`);
    await waitFor(() => expect(within(changeClass()).getByText('No change yet.')).toBeTruthy(), SLOW);
    expect(changeClass().textContent).toContain(
      'Compared with revision 3, the one you are editing: the article has no live version.',
    );

    await replaceBody('Surgery is the principal treatment [1].');
    await waitFor(
      () => expect(within(changeClass()).getByTestId('change-class').textContent).toBe('Editorial change'),
      SLOW,
    );
    expect(within(changeClass()).getByRole('list', { name: 'Why' }).textContent).toContain('principal');
    expect(calls.some((c) => c.path.startsWith('/public/'))).toBe(false);
  });

  it('a retracted version is not live: the revision being edited is the base', async () => {
    signInAs(EDITOR);
    mockApi((call) => {
      if (call.path === `/articles/${ID}`) return { body: article({ publishedVersion: 1 }) };
      if (call.path === `/public/articles/${SLUG}/versions/1`) return errorBody(410, 'retracted', 'Retracted');
      if (call.path === `/articles/${ID}/revisions/3`) return { body: revision(3) };
      return undefined;
    });
    renderApp(`/articles/${ID}/edit`);
    await waitFor(() =>
      expect(changeClass().textContent).toContain('Compared with revision 3, the one you are editing'),
    );
  });

  it('a new article is a first revision: a full review', async () => {
    signInAs(EDITOR);
    mockApi(() => undefined);
    renderApp('/articles/new');
    const panel = await screen.findByRole('region', { name: 'Change class' });
    expect(within(panel).getByText('First revision: full review.')).toBeTruthy();
  });
});

describe('the comments beside the text (contract §19)', () => {
  const TEXT = 'Surgery is the main treatment [1]. Radiotherapy may help after surgery.';
  const placed = (quote: string, text = TEXT): Comment['placement'] => {
    const start = text.indexOf(quote);
    return { revision: 3, status: 'anchored', start, end: start + quote.length };
  };
  const comment = (over: Partial<Comment>): Comment => ({
    id: 'c0',
    articleId: ID,
    authorId: REVIEWER.id,
    parentId: null,
    revision: 3,
    body: 'A remark.',
    anchor: null,
    blocking: false,
    resolved: false,
    resolvedAt: null,
    resolvedBy: null,
    createdAt: '2026-01-03T00:00:00.000Z',
    placement: null,
    ...over,
  });
  const COMMENTS: Comment[] = [
    comment({
      id: 'c-blocking',
      body: 'Which trial shows this?',
      anchor: { quote: 'Radiotherapy may help', prefix: '[1]. ', suffix: ' after' },
      blocking: true,
      placement: placed('Radiotherapy may help'),
    }),
    comment({
      id: 'c-main',
      body: 'Say "standard" rather than "main".',
      anchor: { quote: 'the main treatment' },
      placement: placed('the main treatment'),
    }),
    comment({
      id: 'c-reply',
      authorId: EDITOR.id,
      parentId: 'c-main',
      body: 'Will do.',
      createdAt: '2026-01-03T01:00:00.000Z',
    }),
    comment({
      id: 'c-old',
      revision: 2,
      body: 'Give the dose.',
      anchor: { quote: 'chemotherapy first' },
      placement: { revision: 3, status: 'outdated', start: null, end: null },
    }),
    comment({ id: 'c-mine', authorId: EDITOR.id, body: 'Reviewers: the guideline changed in 2024.', blocking: true }),
  ];
  const reviewers: Article['reviewers'] = [
    { id: REVIEWER.id, name: REVIEWER.name, credentials: 'MD', assignedAt: '2026-01-01T00:00:00Z', dueAt: null },
  ];

  function fakeEditor(onCall?: (call: Call) => { status?: number; body?: unknown } | undefined) {
    let comments = [...COMMENTS];
    const api = mockApi((call) => {
      const answer = onCall?.(call);
      if (answer) return answer;
      if (call.path === `/articles/${ID}`) return { body: article({ state: 'changes_requested', reviewers }) };
      if (call.path === `/articles/${ID}/revisions/3`) return { body: revision(3, { body: TEXT }) };
      if (call.method === 'GET' && call.path === `/articles/${ID}/comments`)
        return { body: { items: comments, nextCursor: null, revision: 3 } };
      if (call.method === 'POST' && call.path === `/articles/${ID}/comments`) {
        const sent = call.body as { body: string; parentId?: string };
        const reply = comment({ id: 'c-new', authorId: EDITOR.id, parentId: sent.parentId ?? null, body: sent.body });
        comments = [...comments, reply];
        return { status: 201, body: { ...reply, placement: undefined } };
      }
      const resolve = new RegExp(`^/articles/${ID}/comments/([^/]+)/resolve$`).exec(call.path);
      if (call.method === 'POST' && resolve) {
        comments = comments.map((c) =>
          c.id === resolve[1] ? { ...c, resolved: true, resolvedAt: '2026-01-04T00:00:00Z', resolvedBy: EDITOR.id } : c,
        );
        const { placement: _, ...resolved } = comments.find((c) => c.id === resolve[1]) as Comment;
        return { body: resolved };
      }
      return undefined;
    });
    renderApp(`/articles/${ID}/edit`);
    return api;
  }
  const margin = () => screen.getByRole('region', { name: 'Comments on revision 3' });
  const thread = (name: RegExp) => within(margin()).getByRole('listitem', { name });

  it('shows every thread placed on the base revision, the outdated ones apart with the text they quoted', async () => {
    signInAs(EDITOR);
    const { calls } = fakeEditor();
    expect(await screen.findByRole('heading', { name: 'Comments on revision 3' })).toBeTruthy();
    await waitFor(() => expect(within(margin()).getAllByRole('listitem').length).toBeGreaterThan(0));
    expect(calls.find((c) => c.path.endsWith('/comments'))?.search).toContain('revision=3');
    expect(within(margin()).getByText('2 open blocking comments: approval waits for them.')).toBeTruthy();

    const current = within(margin()).getByRole('list', { name: 'Comments on revision 3' });
    // Oldest first, each with its replies inside: three threads here, the outdated one not among them.
    const threads = within(current)
      .getAllByRole('listitem')
      .filter((li) => li.parentElement === current)
      .map((li) => li.id);
    expect(threads).toEqual(['comment-c-blocking', 'comment-c-main', 'comment-c-mine']);
    // The reply is in its thread, not a thread of its own.
    expect(
      within(thread(/^Dr Rhea Viewer, MD \(reviewer\): comment on “the main treatment”$/)).getByText('Will do.'),
    ).toBeTruthy();

    const outdated = within(margin()).getByRole('region', { name: 'Outdated comments' });
    expect(within(outdated).getByRole('heading', { name: 'Outdated — the quoted text changed' })).toBeTruthy();
    const old = within(outdated).getByRole('listitem');
    expect(old.textContent).toContain('Originally quoted: “chemotherapy first”');
    expect(old.textContent).toContain('Give the dose.');
    expect(within(old).queryByRole('button', { name: 'Jump to passage' })).toBeNull();
    expect(within(current).queryByText('Give the dose.')).toBeNull();
  });

  it('replies with the thread as parent, and the thread takes the focus', async () => {
    signInAs(EDITOR);
    const { calls } = fakeEditor();
    const main = await waitFor(() => thread(/^Dr Rhea Viewer, MD \(reviewer\): comment on “the main treatment”$/));
    await userEvent.click(within(main).getByRole('textbox', { name: 'Reply to Dr Rhea Viewer, MD (reviewer)' }));
    await userEvent.paste('Changed to "standard" in revision 4.');
    await userEvent.click(within(main).getByRole('button', { name: 'Send reply' }));

    await waitFor(() => expect(within(main).getByText('Changed to "standard" in revision 4.')).toBeTruthy());
    const posted = calls.filter((c) => c.method === 'POST' && c.path === `/articles/${ID}/comments`);
    expect(posted.map((c) => c.body)).toEqual([
      { body: 'Changed to "standard" in revision 4.', blocking: false, parentId: 'c-main' },
    ]);
    expect(document.activeElement).toBe(main);
    expect(within(main).getByRole('status').textContent).toBe('Reply sent.');
    expect(within(main).getByRole<HTMLTextAreaElement>('textbox', { name: /^Reply to/ }).value).toBe('');
  });

  it("offers Resolve only where the editor may: not on a reviewer's blocking comment, which says why", async () => {
    signInAs(EDITOR);
    const { calls } = fakeEditor();
    const blocking = await waitFor(() =>
      thread(/^Dr Rhea Viewer, MD \(reviewer\): blocking comment on “Radiotherapy may help”$/),
    );
    expect(within(blocking).queryByRole('button', { name: 'Resolve' })).toBeNull();
    expect(within(blocking).getByText('Blocking: only its author or an admin can resolve it.')).toBeTruthy();
    // Their own blocking comment, and anyone's other comments, the editor may resolve.
    expect(within(thread(/^You: blocking comment$/)).getByRole('button', { name: 'Resolve' })).toBeTruthy();
    const main = thread(/^Dr Rhea Viewer, MD \(reviewer\): comment on “the main treatment”$/);
    await userEvent.click(within(main).getByRole('button', { name: 'Resolve' }));

    await waitFor(() => expect(calls.some((c) => c.path === `/articles/${ID}/comments/c-main/resolve`)).toBe(true));
    // Out of the open list: the next thread has the focus, not the page.
    await waitFor(() => expect(document.activeElement).toBe(thread(/^You: blocking comment$/)));
    expect(within(margin()).queryByText('Say "standard" rather than "main".')).toBeNull();
    expect(calls.filter((c) => c.path.endsWith('/resolve'))).toHaveLength(1);
  });

  it('stands under the text on narrower screens, and beside the whole form on wide ones', async () => {
    signInAs(EDITOR);
    fakeEditor();
    await waitFor(() => expect(within(margin()).getAllByRole('listitem').length).toBeGreaterThan(0));
    // Narrow (the default here): inside the form's fields, right after the text.
    expect(margin().closest('form')).not.toBeNull();
    cleanup();

    const wide = '(min-width: 88em)';
    vi.spyOn(window, 'matchMedia').mockImplementation(
      (query: string) =>
        ({
          matches: query === wide,
          media: query,
          onchange: null,
          addListener: vi.fn(),
          removeListener: vi.fn(),
          addEventListener: vi.fn(),
          removeEventListener: vi.fn(),
          dispatchEvent: vi.fn(),
        }) as MediaQueryList,
    );
    fakeEditor();
    await waitFor(() => expect(within(margin()).getAllByRole('listitem').length).toBeGreaterThan(0));
    expect(screen.getAllByRole('region', { name: 'Comments on revision 3' })).toHaveLength(1);
    expect(margin().closest('form')).toBeNull();
    // Still reaching the body from beside the form.
    const blocking = thread(/^Dr Rhea Viewer, MD \(reviewer\): blocking comment on “Radiotherapy may help”$/);
    await userEvent.click(within(blocking).getByRole('button', { name: 'Jump to passage' }));
    expect(document.activeElement).toBe(body());
  });

  it('jumps to the passage: selects it in the body, which takes the focus, even from another tab or after edits', async () => {
    signInAs(EDITOR);
    fakeEditor();
    const blocking = await waitFor(() =>
      thread(/^Dr Rhea Viewer, MD \(reviewer\): blocking comment on “Radiotherapy may help”$/),
    );
    await userEvent.click(within(blocking).getByRole('button', { name: 'Jump to passage' }));
    const area = body() as HTMLTextAreaElement;
    expect(document.activeElement).toBe(area);
    expect(area.value.slice(area.selectionStart, area.selectionEnd)).toBe('Radiotherapy may help');
    expect([area.selectionStart, area.selectionEnd]).toEqual([35, 56]);

    // The draft moved the passage: it is found again by its quote. From the patient tab, the body's tab opens.
    area.setSelectionRange(0, 0);
    await userEvent.paste('Localised disease: ');
    await userEvent.click(screen.getByRole('tab', { name: /^Patient/ }));
    expect(screen.queryByRole('textbox', { name: /^Body/ })).toBeNull();
    await userEvent.click(within(blocking).getByRole('button', { name: 'Jump to passage' }));
    await waitFor(() => expect(document.activeElement).toBe(body()));
    const moved = body() as HTMLTextAreaElement;
    expect(moved.value.slice(moved.selectionStart, moved.selectionEnd)).toBe('Radiotherapy may help');
    expect(moved.selectionStart).toBe(35 + 'Localised disease: '.length);

    // Gone from the draft: the thread says so, and the focus stays on its button.
    await userEvent.clear(moved);
    await userEvent.paste('Surgery is the main treatment [1].');
    const jump = within(blocking).getByRole('button', { name: 'Jump to passage' });
    await userEvent.click(jump);
    expect(within(blocking).getByText('That passage is no longer in the text.')).toBeTruthy();
    expect(document.activeElement).toBe(jump);
  });

  it('marks the open comments in the preview where their quotes stand in the draft, and drops a mark whose quote is edited away', async () => {
    signInAs(EDITOR);
    fakeEditor();
    const preview = await screen.findByRole('region', { name: 'Preview' });
    const marked = () => [...preview.querySelectorAll<HTMLElement>('mark[data-comment]')].map((m) => m.dataset.comment);
    await waitFor(() => expect(marked()).toEqual(['c-main', 'c-blocking']));
    expect(preview.querySelector('mark[data-comment="c-main"]')?.textContent).toBe('the main treatment');

    await userEvent.clear(body());
    await userEvent.paste('Surgery is the main treatment [1]. Radiation is sometimes added.');
    await waitFor(() => expect(marked()).toEqual(['c-main']));
  });
});
