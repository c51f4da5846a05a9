import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Article, Revision } from '../api/types';
import { contentHashOf, EDITOR, errorBody, mockApi, renderApp, signInAs } from '../test/render';

const ID = '11111111-1111-4111-8111-111111111111';

const article = (over: Partial<Article> = {}): Article => ({
  id: ID,
  slug: 'can-leiomyosarcoma-be-treated',
  state: 'draft',
  title: 'Can leiomyosarcoma be treated?',
  authorId: EDITOR.id,
  currentRevision: 3,
  currentContentHash: contentHashOf(3),
  publishedVersion: null,
  reviewers: [],
  signoffs: [],
  checks: { citations: 'passed', links: 'pending', staleness: 'passed' },
  reviewDue: false,
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
  contentHash: contentHashOf(number),
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
    expect(alert.textContent).toMatch(/someone else saved revision 4/i);
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
      changeNote: 'Adds chemotherapy',
      baseRevision: 3,
    });

    await userEvent.click(within(alert).getByRole('button', { name: 'Reload revision 4' }));
    await waitFor(() => expect((body() as HTMLTextAreaElement).value).toBe('Their newer text [1].'));
    expect(screen.getByText(/Editing on revision 4/)).toBeTruthy();
    expect(screen.queryByText(/someone else saved/i)).toBeNull();
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
    expect(screen.getByRole<HTMLButtonElement>('button', { name: /Submit revision 3/ }).disabled).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Save as revision 4' }));

    expect(await screen.findByText('Saved as revision 4.')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST' && c.path.endsWith('/revisions'))).toHaveLength(1);
    await userEvent.click(await screen.findByRole('button', { name: 'Submit revision 4 for review' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Not submitted');
    expect(alert.textContent).toContain('The citations have errors');
    expect(within(alert).getByText('Marker [5] cites reference 5, but there is only 1 reference')).toBeTruthy();
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
