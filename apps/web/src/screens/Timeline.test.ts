import { describe as suite, expect, it } from 'vitest';
import type { TimelineEntry } from '../api/articles';
import { contentHashOf, REVIEWER } from '../test/render';
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
