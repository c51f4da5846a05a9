import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { OneTimeSecret } from '../lib/secret';
import { aSignoff, contentHashOf, EDITOR, mockApi, REVIEWER } from '../test/render';
import { articleKeys, lastSignedRevision, useArticleAction, type TimelineEntry } from './articles';
import { commentKeys } from './comments';
import type { Article, Revision, RevisionDiff } from './types';
import { allChecks } from '../test/fixtures';

const ID = '44444444-4444-4444-8444-444444444444';
const OTHER = '55555555-5555-4555-8555-555555555555';

const article = (over: Partial<Article> = {}): Article => ({
  id: ID,
  slug: 's',
  state: 'draft',
  title: 'Can leiomyosarcoma be treated?',
  authorId: EDITOR.id,
  currentRevision: 3,
  currentContentHash: contentHashOf(3),
  changeClass: 'clinical',
  changes: [],
  publishedVersion: null,
  reviewers: [],
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
  ...over,
});

/** A cache as the screens leave it: the article, a list holding it, what derives from it, and immutable revisions and diffs. */
function seededClient() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const other = article({ id: OTHER, title: 'Another' });
  queryClient.setQueryData(articleKeys.detail(ID), article());
  queryClient.setQueryData(articleKeys.detail(OTHER), other);
  queryClient.setQueryData(articleKeys.list({ authorId: EDITOR.id }), [article(), other]);
  queryClient.setQueryData(articleKeys.history(ID), []);
  queryClient.setQueryData(commentKeys.list(ID), []);
  queryClient.setQueryData<Partial<Revision>>(articleKeys.revision(ID, 3), { number: 3 });
  queryClient.setQueryData<Partial<RevisionDiff>>(articleKeys.diff(ID, 2, 3), { from: 2, to: 3 });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
  );
  return { queryClient, wrapper };
}

const invalidated = (queryClient: QueryClient, key: readonly unknown[]) =>
  queryClient.getQueryState(key)?.isInvalidated;

describe('useArticleAction', () => {
  it('stores the answered article at once, refetches what derives from it, and leaves revisions and diffs alone', async () => {
    const submitted = article({ state: 'submitted', updatedAt: '2026-01-02T00:00:00.000Z' });
    const { calls } = mockApi((call) =>
      call.method === 'POST' && call.path === `/articles/${ID}/submit` ? { body: submitted } : undefined,
    );
    const { queryClient, wrapper } = seededClient();
    const { result } = renderHook(() => useArticleAction(ID, 'submit'), { wrapper });

    result.current.mutate();
    await waitFor(() => expect(result.current.isSuccess).toBe(true));

    expect(calls).toEqual([expect.objectContaining({ method: 'POST', path: `/articles/${ID}/submit`, body: {} })]);
    // The article: the answer, as is, and not fetched again.
    expect(queryClient.getQueryData(articleKeys.detail(ID))).toEqual(submitted);
    expect(invalidated(queryClient, articleKeys.detail(ID))).toBe(false);
    // Lists show it at once, and are refetched (the article may have left or joined a filter).
    expect(queryClient.getQueryData<Article[]>(articleKeys.list({ authorId: EDITOR.id }))?.map((a) => a.state)).toEqual(
      ['submitted', 'draft'],
    );
    expect(invalidated(queryClient, articleKeys.list({ authorId: EDITOR.id }))).toBe(true);
    // What changes with the article is refetched; what never changes is not; other articles are left alone.
    expect(invalidated(queryClient, articleKeys.history(ID))).toBe(true);
    expect(invalidated(queryClient, commentKeys.list(ID))).toBe(true);
    expect(invalidated(queryClient, articleKeys.revision(ID, 3))).toBe(false);
    expect(invalidated(queryClient, articleKeys.diff(ID, 2, 3))).toBe(false);
    expect(invalidated(queryClient, articleKeys.detail(OTHER))).toBe(false);
  });

  it('sends the action its body, and stores the article out of a sign-off result', async () => {
    const signed = article({
      state: 'under_review',
      signoffs: [aSignoff()],
    });
    const { calls } = mockApi((call) =>
      call.path === `/articles/${ID}/signoffs`
        ? { status: 201, body: { signoff: signed.signoffs[0], article: signed } }
        : call.path === `/articles/${ID}/archive`
          ? { body: article({ state: 'archived' }) }
          : undefined,
    );
    const { queryClient, wrapper } = seededClient();
    const { result } = renderHook(
      () => ({ signOff: useArticleAction(ID, 'signOff'), archive: useArticleAction(ID, 'archive') }),
      { wrapper },
    );

    result.current.signOff.mutate({
      decision: 'approve',
      revision: 3,
      contentHash: contentHashOf(3),
      password: new OneTimeSecret('reviewer-password-1'),
    });
    await waitFor(() => expect(result.current.signOff.isSuccess).toBe(true));
    expect(result.current.signOff.data?.signoff.id).toBe('s1');
    expect(queryClient.getQueryData<Article>(articleKeys.detail(ID))?.signoffs).toHaveLength(1);
    // The password went into the request, and is kept nowhere after it: not in the mutation's variables.
    const kept = JSON.stringify(
      queryClient
        .getMutationCache()
        .getAll()
        .map((m) => m.state.variables),
    );
    expect(kept).not.toContain('reviewer-password-1');
    expect(String(result.current.signOff.variables?.password)).toBe('[password]');
    expect(result.current.signOff.variables?.password.take()).toBe('');

    result.current.archive.mutate({ reason: 'Superseded by the 2026 guideline' });
    await waitFor(() => expect(result.current.archive.isSuccess).toBe(true));
    expect(calls.map((c) => [c.path, c.body])).toEqual([
      [
        `/articles/${ID}/signoffs`,
        { decision: 'approve', revision: 3, contentHash: contentHashOf(3), password: 'reviewer-password-1' },
      ],
      [`/articles/${ID}/archive`, { reason: 'Superseded by the 2026 guideline' }],
    ]);
    expect(queryClient.getQueryData<Article>(articleKeys.detail(ID))?.state).toBe('archived');
  });

  it('leaves the cache as it was when the API refuses', async () => {
    mockApi(() => ({
      status: 409,
      body: { statusCode: 409, error: 'Conflict', code: 'invalid_transition', message: 'Cannot withdraw a draft' },
    }));
    const { queryClient, wrapper } = seededClient();
    const { result } = renderHook(() => useArticleAction(ID, 'withdraw'), { wrapper });
    result.current.mutate();
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error?.message).toBe('Cannot withdraw a draft');
    expect(queryClient.getQueryData<Article>(articleKeys.detail(ID))?.state).toBe('draft');
    expect(invalidated(queryClient, articleKeys.history(ID))).toBe(false);
  });
});

describe('lastSignedRevision', () => {
  const entry = (
    action: string,
    actorId: string | null,
    data: Record<string, unknown>,
    seq: number,
  ): TimelineEntry => ({
    seq,
    at: '2026-01-01T00:00:00Z',
    action,
    actor: actorId ? { id: actorId, email: 'x@example.org' } : null,
    entityType: 'article',
    entityId: ID,
    data,
    hash: 'h',
  });

  it("is the revision of the user's latest sign-off, whatever others did after it", () => {
    const history = [
      entry('signoff.recorded', REVIEWER.id, { revision: 1, decision: 'request_changes' }, 1),
      entry('revision.created', EDITOR.id, { number: 2 }, 2),
      entry('signoff.recorded', REVIEWER.id, { revision: 2, decision: 'approve' }, 3),
      entry('signoff.recorded', 'someone-else', { revision: 3, decision: 'approve' }, 4),
      entry('signoff.dismissed', null, { revision: 2 }, 5),
    ];
    expect(lastSignedRevision(history, REVIEWER.id)).toBe(2);
    expect(lastSignedRevision(history, 'someone-else')).toBe(3);
  });

  it('is null for someone who never signed off', () => {
    expect(lastSignedRevision([entry('revision.created', EDITOR.id, { number: 1 }, 1)], REVIEWER.id)).toBeNull();
    expect(lastSignedRevision([], REVIEWER.id)).toBeNull();
  });
});
