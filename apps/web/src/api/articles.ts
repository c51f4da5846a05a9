import type { QueryClient } from '@tanstack/react-query';
import { api, type Query } from './client';
import type { Article, Comment, Page } from './types';

/** Follows `nextCursor` (at most `maxPages` pages of 100): the screens show lists of one team's articles. */
export async function fetchAll<T>(path: string, query: Query = {}, maxPages = 10): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const result: Page<T> = await api<Page<T>>(path, { query: { ...query, limit: 100, cursor } });
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return items;
}

export const articleKeys = {
  all: ['articles'] as const,
  list: (query: Query) => ['articles', 'list', query] as const,
  one: (id: string) => ['articles', id] as const,
  revision: (id: string, n: number) => ['articles', id, 'revisions', n] as const,
  revisions: (id: string) => ['articles', id, 'revisions'] as const,
  comments: (id: string) => ['articles', id, 'comments'] as const,
  checks: (id: string, revision?: number) => ['articles', id, 'checks', revision ?? 'current'] as const,
  history: (id: string) => ['articles', id, 'history'] as const,
  diff: (id: string, from: number, to: number) => ['articles', id, 'diff', from, to] as const,
};

export const listArticles = (query: Query) => fetchAll<Article>('/articles', query);
export const getArticle = (id: string) => api<Article>(`/articles/${encodeURIComponent(id)}`);
export const listComments = (id: string) => fetchAll<Comment>(`/articles/${encodeURIComponent(id)}/comments`);

/** After a change to an article: its lists, the article and what derives from it (revisions and diffs never change). */
export function invalidateArticle(queryClient: QueryClient, id?: string): void {
  void queryClient.invalidateQueries({ queryKey: ['articles', 'list'] });
  if (!id) return;
  void queryClient.invalidateQueries({
    predicate: (query) => query.queryKey[0] === 'articles' && query.queryKey[1] === id && query.queryKey[2] !== 'revisions' && query.queryKey[2] !== 'diff',
  });
}
