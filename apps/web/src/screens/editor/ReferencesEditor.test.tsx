import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ReferenceLookup } from '../../api/types';
import { EDITOR, errorBody, mockApi, renderApp, signInAs, type Call } from '../../test/render';

/** Crossref's answer for a retracted paper, as `GET /references/lookup` gives it. */
const RETRACTED: ReferenceLookup = {
  title: 'Hydroxychloroquine or chloroquine with or without a macrolide for treatment of COVID-19',
  source: 'The Lancet',
  year: 2020,
  doi: '10.1016/s0140-6736(20)31180-6',
  pmid: null,
  url: 'https://doi.org/10.1016/s0140-6736(20)31180-6',
  authors: ['Mehra MR', 'Desai SS', 'Ruschitzka F', 'Patel AN'],
  notices: [
    { type: 'retraction', doi: '10.1016/s0140-6736(20)31324-6', source: 'retraction-watch', date: '2019-08-13' },
  ],
};

const isLookup = (call: Call) => call.method === 'GET' && call.path === '/references/lookup';
const asked = (call: Call) => Object.fromEntries(new URLSearchParams(call.search));

/** The new-article editor with one empty reference row; its fieldset. */
async function oneReference() {
  renderApp('/articles/new');
  await userEvent.click(await screen.findByRole('button', { name: 'Add reference' }));
  return screen.getByRole('group', { name: 'Reference 1' });
}

const field = (row: HTMLElement, name: RegExp) => within(row).getByRole<HTMLInputElement>('textbox', { name });
const fillButton = (row: HTMLElement, kind: 'DOI' | 'PMID') =>
  within(row).getByRole<HTMLButtonElement>('button', { name: `Fill from ${kind}, reference 1` });

async function typeInto(input: HTMLElement, text: string) {
  await userEvent.click(input);
  await userEvent.paste(text);
}

describe('fill a reference from its DOI or PMID', () => {
  it('fills title, journal, year and authors from Crossref, normalises the DOI, and says a retraction blocks approval', async () => {
    signInAs(EDITOR);
    const { calls } = mockApi((call) => (isLookup(call) ? { body: RETRACTED } : undefined));
    const row = await oneReference();
    expect(fillButton(row, 'DOI').disabled).toBe(true);
    expect(fillButton(row, 'PMID').disabled).toBe(true);

    await typeInto(field(row, /^DOI/), 'https://doi.org/10.1016/S0140-6736(20)31180-6');
    expect(fillButton(row, 'DOI').disabled).toBe(false);
    expect(fillButton(row, 'PMID').disabled).toBe(true);
    await userEvent.click(fillButton(row, 'DOI'));

    await waitFor(() => expect(field(row, /^Title/).value).toBe(RETRACTED.title));
    expect(asked(calls.find(isLookup)!)).toEqual({ doi: 'https://doi.org/10.1016/S0140-6736(20)31180-6' });
    expect(field(row, /^Source/).value).toBe('The Lancet');
    expect(field(row, /^Year/).value).toBe('2020');
    expect(field(row, /^Authors/).value).toBe('Mehra MR, Desai SS, Ruschitzka F, Patel AN');
    expect(field(row, /^DOI/).value).toBe('10.1016/s0140-6736(20)31180-6');
    expect(field(row, /^URL/).value).toBe('');

    const notice = within(row).getByRole('alert');
    expect(notice.textContent).toContain(
      'This paper was retracted (Retraction Watch, 2019-08-13) — citing it will block approval',
    );
    expect(within(notice).getByRole('link', { name: 'Read the notice' }).getAttribute('href')).toBe(
      'https://doi.org/10.1016/s0140-6736(20)31324-6',
    );

    // Another DOI is another paper: what the registry said about the first one goes.
    await typeInto(field(row, /^DOI/), '0');
    expect(within(row).queryByRole('alert')).toBeNull();
  });

  it('keeps what the editor typed where PubMed gives nothing, and warns of an expression of concern', async () => {
    signInAs(EDITOR);
    const { calls } = mockApi((call) =>
      isLookup(call)
        ? {
            body: {
              ...RETRACTED,
              title: 'A trial of something',
              source: null,
              year: null,
              authors: [],
              doi: null,
              pmid: '32450107',
              notices: [{ type: 'expression_of_concern', doi: null, source: 'publisher', date: null }],
            } satisfies ReferenceLookup,
          }
        : undefined,
    );
    const row = await oneReference();
    await typeInto(field(row, /^Source/), 'Lancet');
    await typeInto(field(row, /^Year/), '2019');
    await typeInto(field(row, /^Authors/), 'Doe J; Roe R');
    await typeInto(field(row, /^PMID/), ' 32450107 ');
    await userEvent.click(fillButton(row, 'PMID'));

    await waitFor(() => expect(field(row, /^Title/).value).toBe('A trial of something'));
    expect(asked(calls.find(isLookup)!)).toEqual({ pmid: '32450107' });
    expect(field(row, /^Source/).value).toBe('Lancet');
    expect(field(row, /^Year/).value).toBe('2019');
    expect(field(row, /^Authors/).value).toBe('Doe J; Roe R');
    expect(field(row, /^PMID/).value).toBe('32450107');
    const notice = within(row).getByRole('alert');
    expect(notice.textContent).toContain(
      'Expression of concern (publisher) — read the notice before citing this paper',
    );
    expect(notice.textContent).not.toContain('block approval');
  });

  it('says when the paper was filled without any notice', async () => {
    signInAs(EDITOR);
    mockApi((call) => (isLookup(call) ? { body: { ...RETRACTED, notices: [] } } : undefined));
    const row = await oneReference();
    await typeInto(field(row, /^DOI/), '10.1016/s0140-6736(20)31180-6');
    await userEvent.click(fillButton(row, 'DOI'));
    expect(await within(row).findByRole('status')).toHaveProperty(
      'textContent',
      'Filled from Crossref: check the title, authors, journal and year.',
    );
    expect(within(row).queryByRole('alert')).toBeNull();
  });

  it('shows the button loading while the registry is asked, then a 502 as "did not answer"', async () => {
    signInAs(EDITOR);
    const { fetchMock } = mockApi((call) =>
      isLookup(call) ? errorBody(502, 'upstream_unavailable', 'The registry did not answer') : undefined,
    );
    // The lookup waits until released, so that its pending state can be seen.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The app calls fetch with a path (buildPath), never a Request.
    vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => {
      if (input.startsWith('/references/lookup')) await gate;
      return fetchMock(input, init);
    });
    const row = await oneReference();
    await typeInto(field(row, /^PMID/), '32450107');
    await userEvent.click(fillButton(row, 'PMID'));

    await waitFor(() => expect(fillButton(row, 'PMID').getAttribute('data-loading')).toBe('true'));
    expect(fillButton(row, 'PMID').disabled).toBe(true);
    release();
    expect((await within(row).findByRole('alert')).textContent).toBe('PubMed did not answer; try again later');
    expect(fillButton(row, 'PMID').getAttribute('data-loading')).toBeNull();
    expect(field(row, /^Title/).value).toBe('');
  });

  it('says Crossref does not know a DOI it answers 404 for, and gives a 400 in the API’s words', async () => {
    signInAs(EDITOR);
    mockApi((call) => {
      if (!isLookup(call)) return undefined;
      return asked(call).doi === 'nonsense'
        ? errorBody(400, 'validation_failed', 'doi must be a DOI such as 10.1000/xyz123')
        : errorBody(404, 'not_found', 'No such DOI');
    });
    const row = await oneReference();
    await typeInto(field(row, /^DOI/), '10.9999/unknown');
    await userEvent.click(fillButton(row, 'DOI'));
    expect((await within(row).findByRole('alert')).textContent).toBe('Crossref does not know this DOI');

    await userEvent.clear(field(row, /^DOI/));
    await typeInto(field(row, /^DOI/), 'nonsense');
    await userEvent.click(fillButton(row, 'DOI'));
    await waitFor(() =>
      expect(within(row).getByRole('alert').textContent).toBe('doi must be a DOI such as 10.1000/xyz123'),
    );
  });
});
