import { screen, within } from '@testing-library/react';
import { describe as suite, expect, it } from 'vitest';
import type { TimelineEntry } from '../api/articles';
import { contentHashOf, EDITOR, mockApi, renderApp, REVIEWER, signInAs } from '../test/render';
import { describe } from './Timeline';

const entry = (action: string, data: Record<string, unknown>): TimelineEntry => ({
  seq: 1,
  at: '2026-01-01T00:00:00Z',
  action,
  actor: { id: REVIEWER.id, email: REVIEWER.email },
  entityType: 'signoff',
  entityId: 's1',
  data,
  hash: 'hash-1',
});

suite('timeline entries in words', () => {
  it('names the signed revision and, in short, the content hash it was signed with', () => {
    expect(
      describe(
        entry('signoff.recorded', {
          revision: 2,
          contentHash: contentHashOf(2),
          decision: 'request_changes',
          meaning: 'changes_requested',
          note: 'Cite the 2023 guideline.',
        }),
      ),
    ).toBe('Requested changes on revision 2 (content a002a002a002): “Cite the 2023 guideline.”');
    // Sign-offs recorded before content hashes existed.
    expect(describe(entry('signoff.recorded', { revision: 1, decision: 'approve' }))).toBe('Approved revision 1');
  });
});

suite('the timeline screen', () => {
  it('shows the text of comment events beside their description', async () => {
    signInAs(EDITOR);
    const ID = '12121212-1212-4212-8212-121212121212';
    mockApi((call) => {
      if (call.path === `/articles/${ID}/history`)
        return {
          body: {
            items: [
              {
                ...entry('comment.created', { revision: 2, blocking: true, parentId: null, anchored: true }),
                seq: 1,
                entityType: 'comment',
                entityId: 'c1',
                commentText: 'Say whether adding ifosfamide helps: readers will ask.',
              },
              {
                ...entry('comment.resolved', { blocking: true }),
                seq: 2,
                entityType: 'comment',
                entityId: 'c1',
                commentText: 'Say whether adding ifosfamide helps: readers will ask.',
              },
              { ...entry('signoff.recorded', { revision: 2, decision: 'approve' }), seq: 3, commentText: null },
            ],
            nextCursor: null,
          },
        };
      return undefined;
    });
    renderApp(`/articles/${ID}/timeline`);
    const events = await screen.findByRole('list', { name: 'Events, oldest first' });
    const items = within(events).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(items[0].textContent).toContain('Blocking comment on revision 2, on a quoted passage');
    expect(items[0].querySelector('blockquote')?.textContent).toBe(
      'Comment text: Say whether adding ifosfamide helps: readers will ask.',
    );
    expect(items[1].querySelector('blockquote')?.textContent).toContain('readers will ask.');
    expect(items[2].querySelector('blockquote')).toBeNull();
  });
});
