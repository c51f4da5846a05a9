import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Reference } from '../../api/types';
import { articleFixture, revisionFixture } from '../../test/fixtures';
import { EDITOR, mockApi, renderApp, signInAs, type Call } from '../../test/render';

const ID = '22222222-2222-4222-8222-222222222222';

const ref = (key: string, title: string): Reference => ({
  key,
  type: 'research',
  title,
  source: null,
  year: 2022,
  url: `https://example.org/${key}`,
  doi: null,
  pmid: null,
});

const article = articleFixture(ID, { currentRevision: 2 });

const revision = revisionFixture(ID, 2, {
  summary: 'Surgery first [1].',
  body: 'Surgery [1]. Radiotherapy [2]. Doxorubicin [3]. Both [2, 3].',
  references: [ref('ka', 'Paper A'), ref('kb', 'Paper B'), ref('kc', 'Paper C'), ref('kd', 'Paper D')],
  specialties: ['oncology'],
});

const body = () => screen.getByRole<HTMLTextAreaElement>('textbox', { name: /^Body/ });
const isSave = (call: Call) => call.method === 'POST' && call.path === `/articles/${ID}/revisions`;

async function openEditor() {
  signInAs(EDITOR);
  const api = mockApi((call) => {
    if (call.method === 'GET' && call.path === `/articles/${ID}`) return { body: article };
    if (call.method === 'GET' && call.path === `/articles/${ID}/revisions/2`) return { body: revision };
    if (isSave(call)) return { status: 201, body: { ...revision, number: 3, ...(call.body as object) } };
    return undefined;
  });
  renderApp(`/articles/${ID}/edit`);
  await waitFor(() => expect(body().value).toBe(revision.body));
  return api;
}

describe('citations follow their references in the editor (contract §19)', () => {
  it('renumbers every marker when a reference moves, says so, keeps the focus on it and saves the keys', async () => {
    const { calls } = await openEditor();
    await userEvent.click(screen.getByRole('button', { name: 'Move reference 3 up' }));

    expect(body().value).toBe('Surgery [1]. Radiotherapy [3]. Doxorubicin [2]. Both [2, 3].');
    const status = await screen.findByRole('status', { name: 'Reference changes' });
    expect(status.textContent).toContain('Reference 3 moved to 2: 2 markers renumbered');
    expect(status.textContent).toContain('[2] → [3] in the body');
    expect(
      within(screen.getByRole('group', { name: 'Reference 2' })).getByRole<HTMLInputElement>('textbox', {
        name: /^Title/,
      }).value,
    ).toBe('Paper C');
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('Move reference 2 up'));

    await userEvent.click(screen.getByRole('button', { name: 'Save as revision 3' }));
    await waitFor(() => expect(calls.some(isSave)).toBe(true));
    const sent = calls.find(isSave)!.body as { body: string; references: Reference[]; renumber?: boolean };
    expect(sent.body).toBe('Surgery [1]. Radiotherapy [3]. Doxorubicin [2]. Both [2, 3].');
    expect(sent.references.map((r) => r.key)).toEqual(['ka', 'kc', 'kb', 'kd']);
    expect(sent.renumber).toBeUndefined();
  });

  it('refuses to remove a reference that is still cited and names its markers', async () => {
    await openEditor();
    await userEvent.click(screen.getByRole('button', { name: 'Remove reference 2' }));
    const alert = await screen.findByRole('alert', { name: 'Reference changes' });
    expect(alert.textContent).toBe(
      'Reference 2 (“Paper B”) removed is still cited: [2] in the body, [2, 3] in the body. Change or delete those markers first.',
    );
    expect(screen.getByRole('group', { name: 'Reference 4' })).toBeTruthy();
    expect(body().value).toBe(revision.body);
  });

  it('removes an uncited reference and renumbers the ones after it (none here)', async () => {
    await openEditor();
    await userEvent.click(screen.getByRole('button', { name: 'Move reference 1 down' }));
    expect(body().value).toBe('Surgery [2]. Radiotherapy [1]. Doxorubicin [3]. Both [1, 3].');
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: /^Summary/ }).value).toBe('Surgery first [2].');
    await userEvent.click(screen.getByRole('button', { name: 'Remove reference 4' }));
    expect(screen.queryByRole('group', { name: 'Reference 4' })).toBeNull();
    expect((await screen.findByRole('status', { name: 'Reference changes' })).textContent).toBe(
      'Reference 4 (“Paper D”) removed: no marker needed renumbering.',
    );
    await waitFor(() => expect(document.activeElement?.getAttribute('data-add-reference')).not.toBeNull());
  });
});
