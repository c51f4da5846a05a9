import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { articleFixture, revisionFixture } from '../../test/fixtures';
import { EDITOR, errorBody, mockApi, renderApp, signInAs, type Call } from '../../test/render';

const ID = '33333333-3333-4333-8333-333333333333';
const OTHER = '00000000-0000-4000-8000-0000000000aa';

const article = (current: number) => articleFixture(ID, { currentRevision: current });
const revision = (number: number, body: string, authorId = EDITOR.id) =>
  revisionFixture(ID, number, { body, authorId });

const body = () => screen.getByRole<HTMLTextAreaElement>('textbox', { name: /^Body/ });
const isSave = (call: Call) => call.method === 'POST' && call.path === `/articles/${ID}/revisions`;

describe('a revision saved meanwhile (contract §19)', () => {
  it('shows both texts side by side, keeps the edits on the newer revision, and saves them on it', async () => {
    signInAs(EDITOR);
    let current = 2;
    const { calls } = mockApi((call) => {
      if (call.method === 'GET' && call.path === `/articles/${ID}`) return { body: article(current) };
      if (call.method === 'GET' && call.path === `/articles/${ID}/revisions/2`)
        return { body: revision(2, 'Old text.') };
      if (call.method === 'GET' && call.path === `/articles/${ID}/revisions/3`)
        return { body: revision(3, 'Their text.', OTHER) };
      if (isSave(call)) {
        const sent = call.body as { baseRevision: number; body: string };
        if (sent.baseRevision === 2) {
          current = 3;
          return errorBody(409, 'stale_revision', 'Revision 3 was saved after revision 2', { currentRevision: 3 });
        }
        return { status: 201, body: revision(4, sent.body) };
      }
      return undefined;
    });
    renderApp(`/articles/${ID}/edit`);
    await waitFor(() => expect(body().value).toBe('Old text.'));
    await userEvent.click(body());
    await userEvent.paste(' My addition.');
    await userEvent.click(screen.getByRole('button', { name: 'Save as revision 3' }));

    const alert = await screen.findByRole('alert', { name: 'This article changed while you were editing' });
    await waitFor(() => expect(alert.textContent).toContain('Someone else saved revision 3.'));
    // The refusal takes the focus, where the buttons are; the bar says it too.
    await waitFor(() => expect(document.activeElement?.contains(alert)).toBe(true));
    expect(
      within(screen.getByRole('region', { name: 'Save and submit' }))
        .getByText('Not saved: revision 3 was saved meanwhile — compare and merge above.')
        .getAttribute('role'),
    ).toBe('status');

    await userEvent.click(within(alert).getByRole('button', { name: 'Compare with revision 3' }));
    expect(
      within(screen.getByRole('region', { name: 'Your unsaved text' })).getByText('Old text. My addition.'),
    ).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Revision 3' })).getByText('Their text.')).toBeTruthy();

    await userEvent.click(within(alert).getByRole('button', { name: 'Keep my changes on revision 3' }));
    expect(body().value).toBe('Old text. My addition.');
    await userEvent.click(screen.getByRole('button', { name: 'Save as revision 4' }));
    await waitFor(() => expect(calls.filter(isSave)).toHaveLength(2));
    expect((calls.filter(isSave)[1].body as { baseRevision: number; body: string }).baseRevision).toBe(3);
    expect(await screen.findByText('Revision 4 saved')).toBeTruthy();
    // The editor opens again on revision 4: the outcome in the save bar has the focus, not <body>.
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Saved as revision 4.'));
  });
});
