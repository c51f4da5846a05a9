import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { articleFixture, revisionFixture } from '../../test/fixtures';
import { EDITOR, errorBody, mockApi, renderApp, signInAs, type Call } from '../../test/render';

const ID = '33333333-3333-4333-8333-333333333333';

const article = (current: number) => articleFixture(ID, { currentRevision: current });
const revision = (number: number, body: string) => revisionFixture(ID, number, { body });

const body = () => screen.getByRole<HTMLTextAreaElement>('textbox', { name: /^Body/ });
const isSave = (call: Call) => call.method === 'POST' && call.path === `/articles/${ID}/revisions`;

describe('save and submit after changes were requested (contract §19)', () => {
  it('offers "Save and submit for review" once edited, as saving makes it a draft again', async () => {
    signInAs(EDITOR);
    const { calls } = mockApi((call) => {
      if (call.method === 'GET' && call.path === `/articles/${ID}`)
        return { body: { ...article(2), state: 'changes_requested' } };
      if (call.method === 'GET' && call.path === `/articles/${ID}/revisions/2`)
        return { body: revision(2, 'Old text.') };
      if (isSave(call)) return { status: 201, body: revision(3, (call.body as { body: string }).body) };
      return undefined;
    });
    renderApp(`/articles/${ID}/edit`);
    await waitFor(() => expect(body().value).toBe('Old text.'));
    expect(screen.queryByRole('button', { name: 'Save and submit for review' })).toBeNull();
    await userEvent.click(body());
    await userEvent.paste(' Answered.');
    await userEvent.click(await screen.findByRole('button', { name: 'Save and submit for review' }));
    await waitFor(() => expect(calls.some(isSave)).toBe(true));
    expect((calls.find(isSave)!.body as { submit?: boolean }).submit).toBe(true);
  });

  it('clears a citation refusal once the text is changed and cites rightly, not before', async () => {
    signInAs(EDITOR);
    mockApi((call) => {
      if (call.method === 'GET' && call.path === `/articles/${ID}`)
        return { body: { ...article(2), state: 'changes_requested' } };
      if (call.method === 'GET' && call.path === `/articles/${ID}/revisions/2`)
        return { body: revision(2, 'Old text.') };
      if (isSave(call))
        return errorBody(422, 'citation_errors', 'Revision 3 has 1 citation error(s); fix them before submitting', [
          { kind: 'missing_reference', message: 'Marker [1] cites reference 1, but there are no references' },
        ]);
      return undefined;
    });
    renderApp(`/articles/${ID}/edit`);
    await waitFor(() => expect(body().value).toBe('Old text.'));
    await userEvent.click(body());
    await userEvent.paste(' Cited [1].');
    await userEvent.click(await screen.findByRole('button', { name: 'Save and submit for review' }));
    const refusal = await screen.findByRole('alert', { name: 'Not saved' });
    expect(refusal.textContent).toContain('Marker [1] cites reference 1, but there are no references');
    // Still wrong after an unrelated edit: the alert stays.
    await userEvent.click(screen.getByRole('textbox', { name: /^Change note/ }));
    await userEvent.paste('Answers the board.');
    expect(screen.getByRole('alert', { name: 'Not saved' })).toBeTruthy();
    // The marker gone: the alert goes.
    await userEvent.clear(body());
    await userEvent.paste('Old text. Not cited any more.');
    await waitFor(() => expect(screen.queryByRole('alert', { name: 'Not saved' })).toBeNull());
  });
});
