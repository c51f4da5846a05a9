import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Article, User } from '../api/types';
import { allChecks } from '../test/fixtures';
import { contentHashOf, EDITOR, mockApi, renderApp, REVIEWER, signInAs } from '../test/render';

const ID = '55555555-5555-4555-8555-555555555555';
const ADMIN: User = { ...EDITOR, id: '99999999-9999-4999-8999-999999999999', name: 'Ada Admin', roles: ['admin'] };

const article: Article = {
  id: ID,
  slug: 'statins',
  state: 'under_review',
  title: 'Statins after sixty',
  authorId: EDITOR.id,
  currentRevision: 1,
  currentContentHash: contentHashOf(1),
  changeClass: null,
  changes: [],
  publishedVersion: null,
  reviewers: [{ id: REVIEWER.id, name: REVIEWER.name, credentials: 'MD', assignedAt: '2026-01-01', dueAt: null }],
  signoffs: [],
  checks: allChecks(),
  reviewDue: false,
  reviewDueReason: null,
  lastUpdated: null,
  lastReviewed: null,
  nextReviewDue: null,
  publishAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

function compareAs(user: User, over: Partial<Article> = {}) {
  signInAs(user);
  mockApi((call) =>
    call.method === 'GET' && call.path === `/articles/${ID}` ? { body: { ...article, ...over } } : undefined,
  );
  return renderApp(`/articles/${ID}/compare`);
}

describe('compare: the way back', () => {
  it('takes an assigned reviewer back to the review', async () => {
    const { router } = compareAs(REVIEWER);
    const back = await screen.findByRole('link', { name: /Back to the review/ });
    expect(back.getAttribute('href')).toBe(`/articles/${ID}/review`);
    await userEvent.click(back);
    expect(router.state.location.pathname).toBe(`/articles/${ID}/review`);
  });

  it('takes an editor back to the editor', async () => {
    compareAs(EDITOR);
    const back = await screen.findByRole('link', { name: /Back to the editor/ });
    expect(back.getAttribute('href')).toBe(`/articles/${ID}/edit`);
  });

  it('leaves anyone else the overview link', async () => {
    compareAs(ADMIN);
    expect(await screen.findByRole('link', { name: 'Article overview' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: /^← Back|Back to/ })).toBeNull();
  });

  it('an archived article: the editor gets the overview only', async () => {
    compareAs(EDITOR, { state: 'archived' });
    expect(await screen.findByRole('link', { name: 'Article overview' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: /Back to/ })).toBeNull();
  });
});
