import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { User } from '../../api/types';
import { EDITOR, errorBody, mockApi, renderApp, signInAs } from '../../test/render';

const ADMIN: User = {
  ...EDITOR,
  id: '99999999-9999-4999-8999-999999999999',
  email: 'admin@example.org',
  name: 'Ada Admin',
  roles: ['admin'],
};

const field = () => screen.getByRole<HTMLTextAreaElement>('textbox', { name: /^Policy/ });

describe('editorial policy', () => {
  it('edits the policy with the shared preview, saves it, and links to where readers see it', async () => {
    signInAs(ADMIN);
    let saved = {
      body: '## How we review\n\nEvery article is signed off by two board members.',
      bodyHtml: '<h2 id="how-we-review">How we review</h2>\n<p>Every article is signed off by two board members.</p>\n',
      updatedAt: '2026-01-01T09:00:00.000Z',
    };
    const { calls } = mockApi((call) => {
      if (call.method === 'GET' && call.path === '/public/editorial-policy') return { body: saved };
      if (call.method === 'PUT' && call.path === '/admin/editorial-policy') {
        const { body } = call.body as { body: string };
        saved = { body, bodyHtml: `<p>${body}</p>`, updatedAt: '2026-01-02T10:30:00.000Z' };
        return { body: saved };
      }
      return undefined;
    });
    renderApp('/admin/editorial-policy');
    expect(await screen.findByRole('heading', { name: 'Editorial policy', level: 1 })).toBeTruthy();
    // In the admin navigation, marked as the current page.
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Editorial policy' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: '/read/editorial-policy' }).getAttribute('href')).toBe(
      '/read/editorial-policy',
    );
    await waitFor(() => expect(field().value).toBe(saved.body));
    const preview = screen.getByRole('region', { name: 'Preview' });
    expect(within(preview).getByRole('heading', { name: 'How we review' })).toBeTruthy();
    const save = screen.getByRole<HTMLButtonElement>('button', { name: 'Save the policy' });
    expect(save.disabled).toBe(true);

    await userEvent.click(field());
    await userEvent.paste('\n\nWe correct errors within **two working days**.');
    await waitFor(() => expect(preview.querySelector('strong')?.textContent).toBe('two working days'));
    await userEvent.click(save);
    expect(await screen.findByText(/^Saved at .*Readers see it now\.$/)).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([
      expect.objectContaining({
        path: '/admin/editorial-policy',
        body: {
          body: '## How we review\n\nEvery article is signed off by two board members.\n\nWe correct errors within **two working days**.',
        },
      }),
    ]);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Save the policy' }).disabled).toBe(true);
  });

  it('starts empty when there is no policy yet, and will not save an empty one', async () => {
    signInAs(ADMIN);
    const { calls } = mockApi((call) =>
      call.method === 'GET' && call.path === '/public/editorial-policy'
        ? errorBody(404, 'not_found', 'No editorial policy yet')
        : undefined,
    );
    renderApp('/admin/editorial-policy');
    expect(await screen.findByText('No policy yet: readers are shown none.')).toBeTruthy();
    expect(field().value).toBe('');
    await userEvent.click(field());
    await userEvent.paste('   ');
    await userEvent.click(screen.getByRole('button', { name: 'Save the policy' }));
    expect(await screen.findByText('Write the policy: readers are shown it from every article page.')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0);
  });

  it('is for admins only', async () => {
    signInAs(EDITOR);
    mockApi(() => undefined);
    renderApp('/admin/editorial-policy');
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Editorial policy', level: 1 })).toBeNull());
    expect(screen.queryByRole('link', { name: 'Editorial policy' })).toBeNull();
  });
});
