import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { articleQueries } from '../../api/articles';
import type { Article, Revision } from '../../api/types';

/**
 * What the draft's class is computed against, as the server will when it is saved (contract §15): the
 * live revision if the article is published, else the revision being edited (the previous one).
 */
export type Compared =
  | { status: 'new' }
  | { status: 'loading' }
  | { status: 'error' }
  | { status: 'ready'; revision: Revision; live: boolean; version: number | null };

export function useComparedRevision(loaded: { article: Article; revision: Revision } | null): Compared {
  const article = loaded?.article ?? null;
  const version = article?.publishedVersion ?? null;
  const live = useQuery({
    ...articleQueries.liveRevision(article?.slug ?? '', version ?? 0),
    enabled: version !== null,
  });
  const liveNumber = live.data ?? null;
  // Editing the live revision itself (nothing saved since it was published): no second request.
  const other = liveNumber !== null && liveNumber !== loaded?.revision.number;
  const liveRevision = useQuery({
    ...articleQueries.revision(article?.id ?? '', liveNumber ?? 0),
    enabled: other,
  });

  const liveError = live.isError || liveRevision.isError;
  const liveData = liveRevision.data;
  // One object while nothing changes: the panel that reads it is memoised.
  return useMemo((): Compared => {
    if (!loaded) return { status: 'new' };
    if (version === null || live.data === null)
      return { status: 'ready', revision: loaded.revision, live: false, version };
    if (liveError) return { status: 'error' };
    if (live.data === undefined) return { status: 'loading' };
    if (!other) return { status: 'ready', revision: loaded.revision, live: true, version };
    return liveData ? { status: 'ready', revision: liveData, live: true, version } : { status: 'loading' };
  }, [loaded, version, live.data, liveError, other, liveData]);
}
