/**
 * The signed-in user's working day (contract §17): what waits on them, their notifications and how
 * they are emailed. Query keys, queries and mutations live here, so that the bell, the notifications
 * page and the task lists share one cache and one way of refreshing it.
 */
import { infiniteQueryOptions, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { MarkedRead, NotificationPage, Preferences, Task } from './types';

const all = ['me'] as const;

export const meKeys = {
  all,
  tasks: () => [...all, 'tasks'] as const,
  /** The notification lists and the bell's count: one prefix, so that marking read refreshes them all. */
  notifications: () => [...all, 'notifications'] as const,
  notificationList: (unreadOnly: boolean) => [...all, 'notifications', 'list', { unreadOnly }] as const,
  unreadCount: () => [...all, 'notifications', 'unread-count'] as const,
  preferences: () => [...all, 'preferences'] as const,
};

/** How often the bell asks for the unread count while the tab is open. */
export const UNREAD_POLL_MS = 60_000;
/** Notifications per page of the notifications screen. */
export const NOTIFICATIONS_PAGE_SIZE = 20;

export const meQueries = {
  tasks: () =>
    queryOptions({
      queryKey: meKeys.tasks(),
      queryFn: ({ signal }) => api<{ items: Task[] }>('/me/tasks', { signal }),
      select: (tasks) => tasks.items,
    }),
  /** The unread count rides on any page of the list; one unread item is the least the API will send. */
  unreadCount: () =>
    queryOptions({
      queryKey: meKeys.unreadCount(),
      queryFn: ({ signal }) =>
        api<NotificationPage>('/me/notifications', { query: { unread: 'true', limit: 1 }, signal }),
      select: (page) => page.unread,
      refetchInterval: UNREAD_POLL_MS,
      // Coming back to the tab is when a stale count misleads most: ask again whatever staleTime says.
      refetchOnWindowFocus: 'always',
    }),
  notifications: (unreadOnly: boolean) =>
    infiniteQueryOptions({
      queryKey: meKeys.notificationList(unreadOnly),
      queryFn: ({ signal, pageParam }) =>
        api<NotificationPage>('/me/notifications', {
          query: { unread: unreadOnly ? 'true' : undefined, limit: NOTIFICATIONS_PAGE_SIZE, cursor: pageParam },
          signal,
        }),
      initialPageParam: null as string | null,
      getNextPageParam: (page) => page.nextCursor,
    }),
  preferences: () =>
    queryOptions({
      queryKey: meKeys.preferences(),
      queryFn: ({ signal }) => api<Preferences>('/me/preferences', { signal }),
    }),
};

export function useTasks() {
  return useQuery(meQueries.tasks());
}

export function useUnreadCount() {
  return useQuery(meQueries.unreadCount());
}

/** `POST /me/notifications/read`: these notifications, or every unread one. */
export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (which: { ids: string[] } | { all: true }) =>
      api<MarkedRead>('/me/notifications/read', { method: 'POST', body: which }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: meKeys.notifications() }),
  });
}

export function usePreferences() {
  return useQuery(meQueries.preferences());
}

/** `PATCH /me/preferences`: the answer is what is now stored. */
export function useSavePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (preferences: Preferences) =>
      api<Preferences>('/me/preferences', { method: 'PATCH', body: preferences }),
    onSuccess: (saved) => queryClient.setQueryData(meKeys.preferences(), saved),
  });
}
