/**
 * Articles: the query keys, the query-option factories every screen reads through, and the
 * mutations that change an article. After a change the cache is updated here, once: the answer's
 * article goes into the cache, and what derives from it is refetched.
 */
import {
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
  type UseMutationResult,
} from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, ApiError } from './client';
import { meKeys } from './me';
import { fetchAll } from './pages';
import type { OneTimeSecret } from '../lib/secret';
import type { components, operations } from './schema.gen';
import type { Article, PublicArticle, Revision, RevisionChecks, RevisionDiff, SignoffResult } from './types';

type Schemas = components['schemas'];

/** `GET /articles` filters (its query without the paging). */
export type ArticleFilters = Omit<
  NonNullable<operations['ArticlesController_list']['parameters']['query']>,
  'cursor' | 'limit'
>;
/** One entry of `GET /articles/:id/history`, oldest first. */
export type TimelineEntry = Omit<Schemas['TimelineEntryDto'], 'commentText'> & {
  /** Comment events: the comment's text (its first 280 characters); optional so that fixtures of other events may leave it out. */
  commentText?: string | null;
};
export type CreateArticleRequest = Schemas['CreateArticleDto'];
/**
 * `submit` and `renumber` have defaults, so the generated type makes them required; the editor leaves
 * `renumber` out, as it renumbers the text itself when references move (lib/renumber.ts).
 */
export type CreateRevisionRequest = Omit<Schemas['CreateRevisionDto'], 'submit' | 'renumber'> & {
  submit?: boolean;
  renumber?: boolean;
};
export type SignoffRequest = Schemas['CreateSignoffDto'];
/** The complete set of reviewers, and optionally when their reviews are due (contract §17). */
export type AssignReviewersRequest = Schemas['AssignReviewersDto'];
/**
 * A sign-off as the dialog starts it: the request, with the reviewer's password as a one-time secret
 * that the request body takes, so that the mutation's variables (kept after it settles) hold no password.
 */
export type SignoffVars = Omit<SignoffRequest, 'password'> & { password: OneTimeSecret };

const all = ['articles'] as const;

export const articleKeys = {
  all,
  lists: () => [...all, 'list'] as const,
  list: (filters: ArticleFilters) => [...all, 'list', filters] as const,
  /** The article and, under it, everything that changes with it (comments, checks, history, its revision list). */
  detail: (id: string) => [...all, 'detail', id] as const,
  revisions: (id: string) => [...all, 'detail', id, 'revisions'] as const,
  checks: (id: string) => [...all, 'detail', id, 'checks'] as const,
  history: (id: string) => [...all, 'detail', id, 'history'] as const,
  // A revision never changes, nor does the diff of two revisions: kept outside detail(id), so that
  // invalidating an article leaves them cached.
  revision: (id: string, n: number) => [...all, 'revision', id, n] as const,
  diff: (id: string, from: number, to: number) => [...all, 'diff', id, from, to] as const,
  /** Which revision a published version is: never changes either. */
  liveRevision: (slug: string, version: number) => [...all, 'live-revision', slug, version] as const,
};

export const articlePath = (id: string) => `/articles/${encodeURIComponent(id)}`;

/** Link checks finish in the worker: while any check is pending, its results are looked at again this often. */
export const PENDING_CHECKS_POLL_MS = 5000;

export const articleQueries = {
  list: (filters: ArticleFilters) =>
    queryOptions({
      queryKey: articleKeys.list(filters),
      queryFn: ({ signal }) => fetchAll<Article>('/articles', filters, { signal }),
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: articleKeys.detail(id),
      queryFn: ({ signal }) => api<Article>(articlePath(id), { signal }),
    }),
  revisions: (id: string) =>
    queryOptions({
      queryKey: articleKeys.revisions(id),
      queryFn: ({ signal }) => fetchAll<Revision>(`${articlePath(id)}/revisions`, {}, { signal }),
    }),
  revision: (id: string, n: number) =>
    queryOptions({
      queryKey: articleKeys.revision(id, n),
      queryFn: ({ signal }) => api<Revision>(`${articlePath(id)}/revisions/${n}`, { signal }),
      staleTime: Infinity,
    }),
  checks: (id: string) =>
    queryOptions({
      queryKey: articleKeys.checks(id),
      queryFn: ({ signal }) => api<RevisionChecks>(`${articlePath(id)}/checks`, { signal }),
      refetchInterval: (query) =>
        query.state.data && Object.values(query.state.data.checks).some((check) => check.status === 'pending')
          ? PENDING_CHECKS_POLL_MS
          : false,
    }),
  history: (id: string) =>
    queryOptions({
      queryKey: articleKeys.history(id),
      queryFn: ({ signal }) => fetchAll<TimelineEntry>(`${articlePath(id)}/history`, {}, { signal }),
    }),
  diff: (id: string, from: number, to: number) =>
    queryOptions({
      queryKey: articleKeys.diff(id, from, to),
      queryFn: ({ signal }) => api<RevisionDiff>(`${articlePath(id)}/diff`, { query: { from, to }, signal }),
      staleTime: Infinity,
    }),
  /**
   * The revision the article's published version `version` was made from, read from the public version
   * (the article view names the version, not its revision); null when readers no longer get it (404, or
   * 410 retracted): then nothing of the article is live.
   */
  liveRevision: (slug: string, version: number) =>
    queryOptions({
      queryKey: articleKeys.liveRevision(slug, version),
      queryFn: async ({ signal }): Promise<number | null> => {
        try {
          const path = `/public/articles/${encodeURIComponent(slug)}/versions/${version}`;
          return (await api<PublicArticle>(path, { signal })).revision;
        } catch (error) {
          if (error instanceof ApiError && (error.status === 404 || error.status === 410)) return null;
          throw error;
        }
      },
      staleTime: Infinity,
    }),
};

/**
 * After a change to an article: its lists, everything under it and the task lists are refetched (revisions and diffs
 * never change). `fresh`: the article itself was just written from the API's answer, so it is not.
 */
export function invalidateArticle(
  queryClient: QueryClient,
  id: string,
  { fresh = false }: { fresh?: boolean } = {},
): void {
  void queryClient.invalidateQueries({ queryKey: articleKeys.lists() });
  // What waits on whom follows the articles: a sign-off, a submission or an assignment changes it.
  void queryClient.invalidateQueries({ queryKey: meKeys.tasks() });
  const detail = articleKeys.detail(id);
  void queryClient.invalidateQueries({
    queryKey: detail,
    predicate: fresh ? (query) => query.queryKey.length > detail.length : undefined,
  });
}

/** The article as the API answered a change: into the cache at once (the article and the lists holding it), then the rest refetched. */
export function storeArticle(queryClient: QueryClient, article: Article): void {
  queryClient.setQueryData(articleKeys.detail(article.id), article);
  queryClient.setQueriesData<Article[]>({ queryKey: articleKeys.lists() }, (list) =>
    list?.map((a) => (a.id === article.id ? article : a)),
  );
  invalidateArticle(queryClient, article.id, { fresh: true });
}

/** "Refetch this article": for a screen that learnt it is out of date (e.g. a 409 stale_revision). */
export function useInvalidateArticle(id: string): () => void {
  const queryClient = useQueryClient();
  return useCallback(() => invalidateArticle(queryClient, id), [queryClient, id]);
}

// ---------------------------------------------------------------------------------------------
// The workflow's actions (contract §5): each answers the article (a sign-off answers it with the sign-off).

interface ArticleActionSpec<Vars, Result> {
  method: 'POST' | 'PUT';
  path: string;
  body: (vars: Vars) => unknown;
  article: (result: Result) => Article;
}

const action = <Vars, Result>(spec: ArticleActionSpec<Vars, Result>) => spec;
const answer = (article: Article) => article;
const post = <Vars = void>(path: string, body: (vars: Vars) => unknown = () => ({})) =>
  action<Vars, Article>({ method: 'POST', path, body, article: answer });

export const ARTICLE_ACTIONS = {
  submit: post('submit'),
  withdraw: post('withdraw'),
  startReview: post('start-review'),
  reReview: post('re-review'),
  declareConflict: post<{ reason: string }>('conflicts', ({ reason }) => ({ reason })),
  archive: post<{ reason: string }>('archive', ({ reason }) => ({ reason })),
  unpublish: post<{ reason: string }>('unpublish', ({ reason }) => ({ reason })),
  assignReviewers: action({
    method: 'PUT',
    path: 'reviewers',
    // Without dueAt each review keeps its due date; JSON drops the undefined key.
    body: ({ reviewerIds, dueAt }: AssignReviewersRequest) => ({ reviewerIds, dueAt }),
    article: answer,
  }),
  signOff: action({
    method: 'POST',
    path: 'signoffs',
    body: ({ password, ...request }: SignoffVars): SignoffRequest => ({ ...request, password: password.take() }),
    article: (result: SignoffResult) => result.article,
  }),
};

export type ArticleActionName = keyof typeof ARTICLE_ACTIONS;
type Spec<K extends ArticleActionName> = (typeof ARTICLE_ACTIONS)[K];
export type ArticleActionVars<K extends ArticleActionName> =
  Spec<K> extends ArticleActionSpec<infer V, never> ? V : never;
export type ArticleActionResult<K extends ArticleActionName> =
  Spec<K> extends ArticleActionSpec<never, infer R> ? R : never;
export type ArticleActionMutation<K extends ArticleActionName> = UseMutationResult<
  ArticleActionResult<K>,
  Error,
  ArticleActionVars<K>
>;

/**
 * One of the article's workflow actions as a mutation: `useArticleAction(id, 'submit').mutate()`,
 * `useArticleAction(id, 'archive').mutate({ reason })`. On success the answered article is stored
 * (storeArticle); each call site keeps its own pending and error state.
 */
export function useArticleAction<K extends ArticleActionName>(articleId: string, name: K): ArticleActionMutation<K> {
  const queryClient = useQueryClient();
  // The table's entries differ in type; this one is the entry named K.
  const spec = ARTICLE_ACTIONS[name] as unknown as ArticleActionSpec<ArticleActionVars<K>, ArticleActionResult<K>>;
  return useMutation({
    mutationKey: [...articleKeys.detail(articleId), 'action', name],
    mutationFn: (vars: ArticleActionVars<K>) =>
      api<ArticleActionResult<K>>(`${articlePath(articleId)}/${spec.path}`, {
        method: spec.method,
        body: spec.body(vars),
      }),
    onSuccess: (result) => storeArticle(queryClient, spec.article(result)),
  });
}

// ---------------------------------------------------------------------------------------------
// Writing content.

/** `POST /articles`: revision 1 of a new article. */
export function useCreateArticle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateArticleRequest) => api<Article>('/articles', { method: 'POST', body: request }),
    onSuccess: (article) => storeArticle(queryClient, article),
  });
}

/** `POST /articles/:id/revisions` on `baseRevision`; a 409 `stale_revision` means someone else saved first. */
export function useSaveRevision(articleId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateRevisionRequest) =>
      api<Revision>(`${articlePath(articleId)}/revisions`, { method: 'POST', body: request }),
    onSuccess: (revision) => {
      queryClient.setQueryData(articleKeys.revision(articleId, revision.number), revision);
      invalidateArticle(queryClient, articleId);
    },
  });
}

/** `POST /articles/:id/checks/run`: the checks of the current revision, run again. */
export function useRerunChecks(articleId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<RevisionChecks>(`${articlePath(articleId)}/checks/run`, { method: 'POST', body: {} }),
    onSuccess: (checks) => {
      queryClient.setQueryData(articleKeys.checks(articleId), checks);
      invalidateArticle(queryClient, articleId, { fresh: true });
    },
  });
}

// ---------------------------------------------------------------------------------------------
// What the history says.

/** The revision `userId` last signed off: their latest `signoff.recorded` in the history (oldest first), or null. */
export function lastSignedRevision(history: readonly TimelineEntry[], userId: string): number | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i];
    if (entry.action === 'signoff.recorded' && entry.actor?.id === userId && typeof entry.data.revision === 'number')
      return entry.data.revision;
  }
  return null;
}

/**
 * "Since my last sign-off": the one place that finds it, for the review workspace's link and the
 * compare screen's default. `data` is the revision number, or null when this user never signed off.
 */
export function useLastSignedRevision(articleId: string, userId: string) {
  return useQuery({ ...articleQueries.history(articleId), select: (history) => lastSignedRevision(history, userId) });
}
