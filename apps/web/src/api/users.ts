/** Users (admin, contract §3): the list and the mutations that create and change accounts. */
import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { articleKeys } from './articles';
import { api } from './client';
import { fetchAll } from './pages';
import type { components } from './schema.gen';
import type { User } from './types';

export type CreateUserRequest = components['schemas']['CreateUserDto'];
export type UpdateUserRequest = components['schemas']['UpdateUserDto'];

export const userKeys = {
  all: ['users'] as const,
  list: () => ['users', 'list'] as const,
};

export const userQueries = {
  list: () =>
    queryOptions({ queryKey: userKeys.list(), queryFn: ({ signal }) => fetchAll<User>('/users', {}, { signal }) }),
};

/** All users. Only admins may list them: for anyone else pass `enabled: false` and the query stays idle. */
export function useUsers({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...userQueries.list(), enabled });
}

// Articles name their reviewers, and a deactivated reviewer's sign-offs stop counting: both change with a user.
function afterUserChange(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: userKeys.all });
  void queryClient.invalidateQueries({ queryKey: articleKeys.all });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateUserRequest) => api<User>('/users', { method: 'POST', body: request }),
    onSuccess: () => afterUserChange(queryClient),
  });
}

export function useUpdateUser(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: UpdateUserRequest) =>
      api<User>(`/users/${encodeURIComponent(userId)}`, { method: 'PATCH', body: changes }),
    onSuccess: () => afterUserChange(queryClient),
  });
}
