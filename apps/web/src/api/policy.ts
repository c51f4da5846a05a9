/** The editorial policy (contract §14): what readers are told about how articles are written and reviewed. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from './client';
import type { EditorialPolicy } from './types';

export const policyKeys = { policy: ['editorial-policy'] as const };

/** Where readers find it: a page of the reader site, outside the app. */
export const POLICY_READER_PATH = '/read/editorial-policy';

export const policyQueries = {
  /** `GET /public/editorial-policy`; null while none has been written (the API answers 404). */
  policy: () =>
    queryOptions({
      queryKey: policyKeys.policy,
      queryFn: async ({ signal }): Promise<EditorialPolicy | null> => {
        try {
          return await api<EditorialPolicy>('/public/editorial-policy', { signal });
        } catch (error) {
          if (error instanceof ApiError && error.status === 404) return null;
          throw error;
        }
      },
    }),
};

/** `PUT /admin/editorial-policy` (admin, audited): the answer is the policy as readers now get it. */
export function useSavePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => api<EditorialPolicy>('/admin/editorial-policy', { method: 'PUT', body: { body } }),
    onSuccess: (policy) => queryClient.setQueryData(policyKeys.policy, policy),
  });
}
