import { api, type Query } from './client';
import type { Page } from './types';

/** The API's largest page (contract §2): fewer requests for a long list. */
export const PAGE_SIZE = 100;

/**
 * Every item of a cursor-paged list: follows `nextCursor` until the API says there is no more.
 * It never stops early on its own: a screen that shows "all my articles" must not quietly show
 * the first thousand. A cursor the API already gave (a server bug) would loop for ever, so it
 * fails instead; `signal` (TanStack Query's, when the screen goes away) stops the paging.
 */
export async function fetchAll<T>(
  path: string,
  query: Query = {},
  { signal }: { signal?: AbortSignal } = {},
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: Page<T> = await api<Page<T>>(path, { query: { ...query, limit: PAGE_SIZE, cursor }, signal });
    items.push(...page.items);
    cursor = page.nextCursor;
    if (cursor !== null) {
      if (seen.has(cursor))
        throw new Error(`The list at ${path} did not advance after ${items.length} items. Please reload the page.`);
      seen.add(cursor);
    }
  } while (cursor !== null);
  return items;
}
