import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Article, Signoff } from '../api/types';
import { allChecks } from '../test/fixtures';
import { aSignoff, contentHashOf, mockApi, renderApp, REVIEWER, signInAs } from '../test/render';
import { bucketOf } from './ReviewerQueue';

const article = (state: Article['state'], signoffs: Signoff[] = [], currentRevision = 2) =>
  ({ state, currentRevision, signoffs, reviewers: [] }) as unknown as Article;
const by = (id: string) => aSignoff({ reviewer: { id, name: 'Dr Someone', credentials: null }, revision: 2 });

describe('reviewer queue buckets', () => {
  it('is my turn when the article waits for a start or for my sign-off on the current revision', () => {
    expect(bucketOf(article('submitted'), REVIEWER)).toBe('your-turn');
    expect(bucketOf(article('under_review'), REVIEWER)).toBe('your-turn');
    expect(bucketOf(article('under_review', [by('someone-else')]), REVIEWER)).toBe('your-turn');
  });

  it('is done once I signed off the current revision, or the article is approved or archived', () => {
    expect(bucketOf(article('under_review', [by(REVIEWER.id)]), REVIEWER)).toBe('done');
    expect(bucketOf(article('approved'), REVIEWER)).toBe('done');
    expect(bucketOf(article('archived'), REVIEWER)).toBe('done');
  });

  it('waits on the editor while the article is back in draft or has changes requested', () => {
    expect(bucketOf(article('changes_requested'), REVIEWER)).toBe('waiting');
    expect(bucketOf(article('draft'), REVIEWER)).toBe('waiting');
  });
});

describe('reviewer queue due dates', () => {
  it("shows when my review is due, and the other reviewers' deadlines, saying overdue in words", async () => {
    signInAs(REVIEWER);
    const assigned = { assignedAt: '2020-01-01T00:00:00Z', credentials: null };
    const open = {
      id: 'a1',
      slug: 'a1',
      title: 'Late review',
      state: 'under_review',
      authorId: 'someone',
      currentRevision: 2,
      currentContentHash: contentHashOf(2),
      checks: allChecks(),
      signoffs: [],
      reviewers: [
        { ...assigned, id: REVIEWER.id, name: REVIEWER.name, dueAt: '2020-01-08T00:00:00Z' },
        { ...assigned, id: 'r2', name: 'Dr Grace Hopper', dueAt: '2099-12-09T23:59:59.999Z' },
      ],
      updatedAt: '2020-01-01T00:00:00Z',
    } as unknown as Article;
    mockApi((call) => {
      if (call.path === '/articles') return { body: { items: [open], nextCursor: null } };
      if (call.path === '/me/tasks') return { body: { items: [] } };
      if (call.path.endsWith('/comments')) return { body: { items: [], nextCursor: null } };
      return undefined;
    });
    renderApp('/reviews');
    const row = (await screen.findByRole('link', { name: 'Late review' })).closest('li') as HTMLElement;
    expect(row.textContent).toContain('your review due 8 Jan 2020');
    expect(within(row).getByText('Overdue')).toBeTruthy();
    expect(row.textContent).toContain('Dr Grace Hopper — no verdict yet, due 9 Dec 2099');
    expect(row.textContent).not.toContain('2099, overdue');
  });
});
