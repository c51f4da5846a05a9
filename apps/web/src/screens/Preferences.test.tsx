import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Preferences } from '../api/types';
import { mockApi, renderApp, REVIEWER, signInAs } from '../test/render';

describe('email preferences', () => {
  it('shows the stored choice, saves a new one with PATCH and confirms it', async () => {
    signInAs(REVIEWER);
    let stored: Preferences = { email: 'immediate' };
    const { calls } = mockApi((call) => {
      if (call.path !== '/me/preferences') return undefined;
      if (call.method === 'PATCH') stored = call.body as Preferences;
      return { body: stored };
    });
    renderApp('/preferences');
    expect(await screen.findByRole('heading', { name: 'Email preferences', level: 1 })).toBeTruthy();
    expect(await screen.findByRole('radiogroup', { name: 'Email me' })).toBeTruthy();
    expect(screen.getByRole<HTMLInputElement>('radio', { name: 'Immediately' }).checked).toBe(true);
    const save = screen.getByRole<HTMLButtonElement>('button', { name: 'Save' });
    expect(save.disabled).toBe(true);

    await userEvent.click(screen.getByRole('radio', { name: 'Daily digest' }));
    await userEvent.click(save);
    expect((await screen.findByText('Saved: you will get one digest a day.')).getAttribute('role')).toBe('status');
    expect(calls.filter((c) => c.method === 'PATCH')).toEqual([
      expect.objectContaining({ path: '/me/preferences', body: { email: 'daily' } }),
    ]);
    expect(save.disabled).toBe(true);
  });

  it('is linked from the header', async () => {
    signInAs(REVIEWER);
    mockApi(() => undefined);
    renderApp('/reviews');
    expect((await screen.findByRole('link', { name: 'Preferences' })).getAttribute('href')).toBe('/preferences');
  });
});
