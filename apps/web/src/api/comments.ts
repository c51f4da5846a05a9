/** Comments on an article (contract §5): the list and the mutations that add to it. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { articleKeys, articlePath, invalidateArticle } from './articles';
import { api } from './client';
import { fetchAll } from './pages';
import type { components } from './schema.gen';
import type { Comment } from './types';

export type CreateCommentRequest = components['schemas']['CreateCommentDto'];

export const commentKeys = {
  /** Under the article: a change to the article refetches its comments, and a comment refetches the article. */
  all: (articleId: string) => [...articleKeys.detail(articleId), 'comments'] as const,
  /** Placed on one revision (contract §19); `current` when none is named. */
  list: (articleId: string, revision?: number) => [...commentKeys.all(articleId), revision ?? 'current'] as const,
};

export const commentQueries = {
  /** Every comment of the article, each placed on `revision` (default: the current one): anchored with offsets in its body, or outdated. */
  list: (articleId: string, revision?: number) =>
    queryOptions({
      queryKey: commentKeys.list(articleId, revision),
      queryFn: ({ signal }) =>
        fetchAll<Comment>(`${articlePath(articleId)}/comments`, revision === undefined ? {} : { revision }, { signal }),
    }),
};

/**
 * A new comment or a reply (`parentId`). It is shown at once in every list of the article's
 * comments (unplaced until the refetch places it); the article is refetched too, since an assigned
 * reviewer's first comment starts the review (contract §19).
 */
export function useAddComment(articleId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateCommentRequest) =>
      api<Comment>(`${articlePath(articleId)}/comments`, { method: 'POST', body: request }),
    onSuccess: (comment) => {
      queryClient.setQueriesData<Comment[]>({ queryKey: commentKeys.all(articleId) }, (list) =>
        list ? [...list, comment] : list,
      );
      invalidateArticle(queryClient, articleId);
    },
  });
}

/** Resolves a comment (by its id): a resolved blocking comment no longer holds approval. */
export function useResolveComment(articleId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (commentId: string) =>
      api<Comment>(`${articlePath(articleId)}/comments/${encodeURIComponent(commentId)}/resolve`, {
        method: 'POST',
        body: {},
      }),
    onSuccess: (resolved) => {
      // The answer carries no placement: the comment keeps the one it was listed with.
      queryClient.setQueriesData<Comment[]>({ queryKey: commentKeys.all(articleId) }, (list) =>
        list?.map((c) => (c.id === resolved.id ? { ...c, ...resolved, placement: c.placement } : c)),
      );
      invalidateArticle(queryClient, articleId);
    },
  });
}
