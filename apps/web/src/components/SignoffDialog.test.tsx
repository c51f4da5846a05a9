import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { SignoffDecision } from '../api/types';
import { errorBody, mockApi } from '../test/render';
import { SignoffDialog } from './SignoffDialog';

const ID = '22222222-2222-4222-8222-222222222222';

function open(initialDecision: SignoffDecision, revision = 3) {
  const onDone = vi.fn();
  const onClose = vi.fn();
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { mutations: { retry: false } } })}>
        <SignoffDialog
          articleId={ID}
          revision={revision}
          opened
          initialDecision={initialDecision}
          onClose={onClose}
          onDone={onDone}
        />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { onDone, onClose };
}

const signoffResult = (decision: SignoffDecision, note: string | null) => ({
  status: 201,
  body: {
    signoff: {
      id: 's1',
      reviewerId: 'r1',
      revision: 3,
      decision,
      note,
      status: 'standing',
      createdAt: '2026-01-01T00:00:00Z',
    },
    article: { id: ID, state: decision === 'approve' ? 'under_review' : 'changes_requested' },
  },
});

describe('sign-off dialog', () => {
  it('names the revision it approves, and approves without a note', async () => {
    const { calls } = mockApi((call) =>
      call.path === `/articles/${ID}/signoffs` ? signoffResult('approve', null) : undefined,
    );
    const { onDone } = open('approve');
    const dialog = await screen.findByRole('dialog', { name: 'Approve revision 3' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve revision 3' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(calls[0]).toMatchObject({ method: 'POST', body: { decision: 'approve', revision: 3 } });
  });

  it('requires a reason for "Request changes" and sends nothing without one', async () => {
    const { calls } = mockApi((call) =>
      call.path === `/articles/${ID}/signoffs`
        ? signoffResult('request_changes', 'Cite the 2023 guideline')
        : undefined,
    );
    const { onDone } = open('request_changes');
    const dialog = await screen.findByRole('dialog', { name: 'Request changes on revision 3' });
    const reason = within(dialog).getByRole('textbox', { name: /Reason/ });
    expect(reason.hasAttribute('required')).toBe(true);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Request changes on revision 3' }));
    expect(await within(dialog).findByText('Give a reason: the editor needs to know what to change.')).toBeTruthy();
    expect(calls).toHaveLength(0);

    await userEvent.type(reason, '   ');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Request changes on revision 3' }));
    expect(calls).toHaveLength(0);

    await userEvent.type(reason, 'Cite the 2023 guideline');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Request changes on revision 3' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(calls[0].body).toEqual({ decision: 'request_changes', revision: 3, note: 'Cite the 2023 guideline' });
  });

  it('switching to "Request changes" makes the reason required; back to approve it is optional', async () => {
    mockApi(() => undefined);
    open('approve', 5);
    const dialog = await screen.findByRole('dialog', { name: 'Approve revision 5' });
    expect(within(dialog).getByRole('textbox', { name: /Note \(optional\)/ })).toBeTruthy();
    await userEvent.click(within(dialog).getByRole('radio', { name: /Request changes/ }));
    expect(await screen.findByRole('dialog', { name: 'Request changes on revision 5' })).toBeTruthy();
    expect(
      within(dialog)
        .getByRole('textbox', { name: /Reason/ })
        .hasAttribute('required'),
    ).toBe(true);
  });

  it('shows a stale revision in words', async () => {
    mockApi(() =>
      errorBody(409, 'stale_revision', 'Revision 3 is not the current revision (4)', { currentRevision: 4 }),
    );
    const { onDone } = open('approve');
    const dialog = await screen.findByRole('dialog', { name: 'Approve revision 3' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve revision 3' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('Revision 3 is not the current revision (4)');
    expect(alert.textContent).toContain('The article now stands at revision 4');
    expect(onDone).not.toHaveBeenCalled();
  });
});
