import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { sessionStore } from '../api/client';
import type { ChangeClass, Comment, ContentChange, SignoffDecision } from '../api/types';
import { aSignoff, contentHashOf, errorBody, mockApi, REVIEWER, signInAs } from '../test/render';
import { describeChange } from '@imprimatur/domain/articles/significance';
import { approvalOutcome, SignoffDialog } from './SignoffDialog';

const ID = '22222222-2222-4222-8222-222222222222';
const PASSWORD = 'reviewer-password-1';

function open(
  initialDecision: SignoffDecision,
  revision = 3,
  significance?: { changeClass: ChangeClass | null; changes: ContentChange[] },
  comments: Comment[] = [],
) {
  const onDone = vi.fn();
  const onClose = vi.fn();
  const queryClient = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  render(
    <MantineProvider>
      <QueryClientProvider client={queryClient}>
        <SignoffDialog
          articleId={ID}
          revision={revision}
          contentHash={contentHashOf(revision)}
          significance={significance}
          signer={{ id: REVIEWER.id, name: REVIEWER.name, credentials: REVIEWER.credentials }}
          comments={comments}
          opened
          initialDecision={initialDecision}
          onClose={onClose}
          onDone={onDone}
        />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { onDone, onClose, queryClient };
}

const signoffResult = (decision: SignoffDecision, note: string | null) => ({
  status: 201,
  body: {
    signoff: aSignoff({ decision, meaning: decision === 'approve' ? 'approval' : 'changes_requested', note }),
    article: { id: ID, state: decision === 'approve' ? 'under_review' : 'changes_requested' },
  },
});

const passwordField = (dialog: HTMLElement) => within(dialog).getByLabelText<HTMLInputElement>(/^Your password/);

describe('sign-off dialog', () => {
  it('names the revision and its content hash, and signs with the password and that hash', async () => {
    const { calls } = mockApi((call) =>
      call.path === `/articles/${ID}/signoffs` ? signoffResult('approve', null) : undefined,
    );
    const { onDone, queryClient } = open('approve');
    const dialog = await screen.findByRole('dialog', { name: 'Approve revision 3' });
    const hash = within(dialog).getByText('a003a003a003');
    expect(hash.tagName).toBe('CODE');
    expect(hash.getAttribute('title')).toBe(contentHashOf(3));
    expect(hash.getAttribute('aria-description')).toBe(`Content hash ${contentHashOf(3)}`);

    const password = passwordField(dialog);
    expect(password.type).toBe('password');
    expect(password.getAttribute('autocomplete')).toBe('current-password');
    expect(dialog.textContent).toContain('electronic signature (21 CFR Part 11) as Dr Rhea Viewer, MD');
    expect(dialog.textContent).toContain('means you approve this exact text');

    await userEvent.type(password, PASSWORD);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve revision 3' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST' });
    expect(calls[0].body).toEqual({
      decision: 'approve',
      revision: 3,
      contentHash: contentHashOf(3),
      password: PASSWORD,
    });
    // Used once and kept nowhere: not in the field, not in the mutation the query client holds on to.
    expect(password.value).toBe('');
    expect(
      JSON.stringify(
        queryClient
          .getMutationCache()
          .getAll()
          .map((m) => m.state),
      ),
    ).not.toContain(PASSWORD);
  });

  it('asks for the password and sends nothing without it', async () => {
    const { calls } = mockApi(() => undefined);
    open('approve');
    const dialog = await screen.findByRole('dialog', { name: 'Approve revision 3' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve revision 3' }));
    expect(await within(dialog).findByText('Enter your password to sign.')).toBeTruthy();
    expect(passwordField(dialog).getAttribute('aria-invalid')).toBe('true');
    expect(calls).toHaveLength(0);
  });

  it('explains a wrong password in words, empties the field, records nothing and keeps the session', async () => {
    signInAs(REVIEWER);
    const { calls } = mockApi((call) =>
      call.path === `/articles/${ID}/signoffs`
        ? errorBody(401, 'reauthentication_failed', 'The password does not match')
        : undefined,
    );
    const { onDone } = open('approve');
    const dialog = await screen.findByRole('dialog', { name: 'Approve revision 3' });
    const password = passwordField(dialog);
    await userEvent.type(password, 'not-my-password');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve revision 3' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('Sign-off not recorded');
    expect(alert.textContent).toContain(
      'That password is not right. Your sign-off was not recorded; enter the password you sign in with.',
    );
    expect(password.value).toBe('');
    expect(password.getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(password));
    expect(onDone).not.toHaveBeenCalled();
    expect(calls).toHaveLength(1);
    // The token is fine: a wrong signing password does not sign the reviewer out.
    expect(sessionStore.read()?.token).toBe('test-token');

    // The right password then signs.
    mockApi((call) => (call.path === `/articles/${ID}/signoffs` ? signoffResult('approve', null) : undefined));
    await userEvent.type(password, PASSWORD);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve revision 3' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
  });

  it('after too many wrong passwords, says how long to wait', async () => {
    mockApi(() =>
      errorBody(429, 'rate_limited', 'Too many wrong passwords; try again later', { retryAfterSeconds: 240 }),
    );
    const { onDone } = open('approve');
    const dialog = await screen.findByRole('dialog', { name: 'Approve revision 3' });
    await userEvent.type(passwordField(dialog), 'guess');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve revision 3' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain(
      'Too many wrong passwords. Wait 4 minutes before you try again; your sign-off was not recorded.',
    );
    expect(onDone).not.toHaveBeenCalled();
  });

  it('requires a reason for "Request changes" and sends nothing without one', async () => {
    const { calls } = mockApi((call) =>
      call.path === `/articles/${ID}/signoffs`
        ? signoffResult('request_changes', 'Cite the 2023 guideline')
        : undefined,
    );
    const { onDone } = open('request_changes');
    const dialog = await screen.findByRole('dialog', { name: 'Request changes on revision 3' });
    expect(dialog.textContent).toContain('means you request changes to this exact text');
    const reason = within(dialog).getByRole('textbox', { name: /Reason/ });
    expect(reason.hasAttribute('required')).toBe(true);
    await userEvent.type(passwordField(dialog), PASSWORD);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Request changes on revision 3' }));
    expect(await within(dialog).findByText('Give a reason: the editor needs to know what to change.')).toBeTruthy();
    expect(calls).toHaveLength(0);

    await userEvent.type(reason, '   ');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Request changes on revision 3' }));
    expect(calls).toHaveLength(0);

    await userEvent.type(reason, 'Cite the 2023 guideline');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Request changes on revision 3' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(calls[0].body).toEqual({
      decision: 'request_changes',
      revision: 3,
      contentHash: contentHashOf(3),
      password: PASSWORD,
      note: 'Cite the 2023 guideline',
    });
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
      errorBody(409, 'stale_revision', 'Revision 3 is not the current revision (4)', {
        currentRevision: 4,
        contentHash: contentHashOf(4),
      }),
    );
    const { onDone } = open('approve');
    const dialog = await screen.findByRole('dialog', { name: 'Approve revision 3' });
    await userEvent.type(passwordField(dialog), PASSWORD);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve revision 3' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('Revision 3 is not the current revision (4)');
    expect(alert.textContent).toContain('The article now stands at revision 4');
    expect(passwordField(dialog).value).toBe('');
    expect(onDone).not.toHaveBeenCalled();
  });

  it('says, before the reviewer signs, what kind of change the revision is and why', async () => {
    mockApi(() => undefined);
    const dose: ContentChange = { kind: 'quantity', before: '75 mg/m²', after: '60 mg/m²' };
    open('approve', 3, { changeClass: 'clinical', changes: [dose] });
    const dialog = await screen.findByRole('dialog', { name: 'Approve revision 3' });
    expect(within(dialog).getByTestId('change-class').textContent).toBe('Clinical change');
    expect(within(dialog).getByText('Clinical change: needs the full board.')).toBeTruthy();
    expect(within(dialog).getByText(describeChange(dose))).toBeTruthy();
  });

  it('an editorial revision: fewer approvals for a live article; revision 1: a full review', async () => {
    mockApi(() => undefined);
    const wording: ContentChange = { kind: 'wording', before: 'colour', after: 'color' };
    open('approve', 4, { changeClass: 'editorial', changes: [wording] });
    const dialog = await screen.findByRole('dialog', { name: 'Approve revision 4' });
    expect(
      within(dialog).getByText('Editorial change: a live article’s editorial fix needs fewer approvals.'),
    ).toBeTruthy();
    expect(within(dialog).getByText(describeChange(wording))).toBeTruthy();
  });

  it('revision 1 is a first revision: a full review', async () => {
    mockApi(() => undefined);
    open('approve', 1, { changeClass: null, changes: [] });
    const dialog = await screen.findByRole('dialog', { name: 'Approve revision 1' });
    expect(within(dialog).getByText('First revision: full review.')).toBeTruthy();
  });

  describe('approving while your own blocking comment is open', () => {
    const comment = (over: Partial<Comment>): Comment => ({
      id: 'c1',
      articleId: ID,
      authorId: REVIEWER.id,
      parentId: null,
      revision: 2,
      body: 'Which guideline recommends this dose?',
      anchor: { quote: 'Doxorubicin 75 mg/m²' },
      blocking: true,
      resolved: false,
      resolvedAt: null,
      resolvedBy: null,
      createdAt: '2026-01-03T00:00:00Z',
      ...over,
    });
    const comments = [
      comment({}),
      comment({ id: 'c2', body: 'Resolved already.', resolved: true }),
      comment({ id: 'c3', body: 'Another reviewer’s.', authorId: '77777777-7777-4777-8777-777777777777' }),
      comment({ id: 'c4', body: 'Just a remark.', blocking: false }),
    ];

    it('asks first, naming the comment, and signs only when told "Approve anyway"', async () => {
      const { calls } = mockApi((call) =>
        call.path === `/articles/${ID}/signoffs` ? signoffResult('approve', null) : undefined,
      );
      const { onDone } = open('approve', 3, undefined, comments);
      const dialog = await screen.findByRole('dialog', { name: 'Approve revision 3' });
      await userEvent.type(passwordField(dialog), PASSWORD);
      await userEvent.click(within(dialog).getByRole('button', { name: 'Approve revision 3' }));

      const ask = await within(dialog).findByRole('alert');
      expect(ask.textContent).toContain('You have an open blocking comment on this article: approve anyway?');
      const listed = within(ask).getByRole('list', { name: 'Your open blocking comments' });
      expect(
        within(listed)
          .getAllByRole('listitem')
          .map((li) => li.textContent),
      ).toEqual(['On “Doxorubicin 75 mg/m²”:Which guideline recommends this dose?']);
      await waitFor(() => expect(document.activeElement).toBe(ask));
      expect(calls).toHaveLength(0);
      // The password typed is still there, to sign with.
      expect(passwordField(dialog).value).toBe(PASSWORD);

      await userEvent.click(within(ask).getByRole('button', { name: 'Approve anyway' }));
      await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
      expect(calls).toHaveLength(1);
      expect(calls[0].body).toMatchObject({ decision: 'approve', revision: 3, password: PASSWORD });
    });

    it('"Not yet" sends nothing and goes back to the approve button', async () => {
      const { calls } = mockApi(() => undefined);
      const { onDone } = open('approve', 3, undefined, comments);
      const dialog = await screen.findByRole('dialog', { name: 'Approve revision 3' });
      await userEvent.type(passwordField(dialog), PASSWORD);
      await userEvent.click(within(dialog).getByRole('button', { name: 'Approve revision 3' }));
      await userEvent.click(await within(dialog).findByRole('button', { name: 'Not yet' }));
      expect(within(dialog).queryByRole('alert')).toBeNull();
      const approve = within(dialog).getByRole('button', { name: 'Approve revision 3' });
      await waitFor(() => expect(document.activeElement).toBe(approve));
      expect(calls).toHaveLength(0);
      expect(onDone).not.toHaveBeenCalled();
    });

    it('does not ask about comments that are resolved, not blocking or someone else’s, nor when requesting changes', async () => {
      const { calls } = mockApi((call) =>
        call.path === `/articles/${ID}/signoffs` ? signoffResult('approve', null) : undefined,
      );
      const { onDone } = open('approve', 3, undefined, comments.slice(1));
      const dialog = await screen.findByRole('dialog', { name: 'Approve revision 3' });
      await userEvent.type(passwordField(dialog), PASSWORD);
      await userEvent.click(within(dialog).getByRole('button', { name: 'Approve revision 3' }));
      await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
      expect(calls).toHaveLength(1);
    });

    it('requesting changes with the comment open signs at once', async () => {
      const { calls } = mockApi((call) =>
        call.path === `/articles/${ID}/signoffs` ? signoffResult('request_changes', 'Cite it.') : undefined,
      );
      const { onDone } = open('request_changes', 3, undefined, comments);
      const dialog = await screen.findByRole('dialog', { name: 'Request changes on revision 3' });
      await userEvent.type(within(dialog).getByRole('textbox', { name: /^Reason/ }), 'Cite it.');
      await userEvent.type(passwordField(dialog), PASSWORD);
      await userEvent.click(within(dialog).getByRole('button', { name: 'Request changes on revision 3' }));
      await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
      expect(calls).toHaveLength(1);
    });
  });

  describe('the final approval', () => {
    const approvedResult = (publishAt: string | null) => ({
      status: 201,
      body: {
        signoff: aSignoff({ decision: 'approve', meaning: 'approval' }),
        article: { id: ID, slug: 'statins-after-sixty', state: 'approved', publishAt },
      },
    });

    it('says when it will be published, links the reader page, and is done when the approver says so', async () => {
      const publishAt = '2099-03-01T09:00:00.000Z';
      mockApi((call) => (call.path === `/articles/${ID}/signoffs` ? approvedResult(publishAt) : undefined));
      const { onDone } = open('approve');
      const dialog = await screen.findByRole('dialog', { name: 'Approve revision 3' });
      await userEvent.type(passwordField(dialog), PASSWORD);
      await userEvent.click(within(dialog).getByRole('button', { name: 'Approve revision 3' }));

      const heading = await within(dialog).findByRole('heading', { name: /^Approved — will be published at / });
      expect(heading.textContent).toBe(approvalOutcome({ publishAt }));
      expect(heading.textContent).toContain('2099');
      await waitFor(() => expect(document.activeElement).toBe(heading));
      const link = within(dialog).getByRole('link', { name: '/read/statins-after-sixty' });
      expect(link.getAttribute('href')).toBe('/read/statins-after-sixty');
      expect(onDone).not.toHaveBeenCalled();
      await userEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
      expect(onDone).toHaveBeenCalledTimes(1);
      expect(onDone.mock.calls[0][0]).toMatchObject({ article: { state: 'approved' } });
    });

    it('says "Approved — published" when it goes live at once; closing the dialog is done too', async () => {
      mockApi((call) => (call.path === `/articles/${ID}/signoffs` ? approvedResult(null) : undefined));
      const { onDone, onClose } = open('approve');
      const dialog = await screen.findByRole('dialog', { name: 'Approve revision 3' });
      await userEvent.type(passwordField(dialog), PASSWORD);
      await userEvent.click(within(dialog).getByRole('button', { name: 'Approve revision 3' }));
      expect(await within(dialog).findByRole('heading', { name: 'Approved — published' })).toBeTruthy();
      await userEvent.keyboard('{Escape}');
      expect(onDone).toHaveBeenCalledTimes(1);
      expect(onClose).not.toHaveBeenCalled();
    });

    it('a publishAt already past is published at once', () => {
      expect(approvalOutcome({ publishAt: '2020-01-01T00:00:00Z' })).toBe('Approved — published');
    });
  });
});
