/** The audit log (admin, contract §9): its pages, the chain's verdict and the export. */
import { infiniteQueryOptions, queryOptions, useMutation } from '@tanstack/react-query';
import { api, download } from './client';
import type { operations } from './schema.gen';
import type { AuditEntry, AuditVerdict, Page } from './types';

/** `GET /audit` filters (its query without the paging). */
export type AuditFilters = Omit<
  NonNullable<operations['AuditController_list']['parameters']['query']>,
  'cursor' | 'limit'
>;
export type AuditExportFormat = 'csv' | 'jsonl';

/** Entries per "Load more": the log is long, and read newest first. */
export const AUDIT_PAGE_SIZE = 50;

export const auditKeys = {
  all: ['audit'] as const,
  verify: () => ['audit', 'verify'] as const,
  list: (filters: AuditFilters) => ['audit', 'list', filters] as const,
};

export const auditQueries = {
  /** Verified afresh whenever the screen opens: a stale "valid" would say nothing. */
  verify: () =>
    queryOptions({
      queryKey: auditKeys.verify(),
      queryFn: ({ signal }) => api<AuditVerdict>('/audit/verify', { signal }),
      staleTime: 0,
    }),
  list: (filters: AuditFilters) =>
    infiniteQueryOptions({
      queryKey: auditKeys.list(filters),
      queryFn: ({ pageParam, signal }) =>
        api<Page<AuditEntry>>('/audit', {
          query: { ...filters, order: filters.order ?? 'desc', limit: AUDIT_PAGE_SIZE, cursor: pageParam },
          signal,
        }),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextCursor,
    }),
};

/** Saves the whole log as a file (streamed by the API). */
export function useAuditExport() {
  return useMutation({
    mutationFn: (format: AuditExportFormat) => download('/audit/export', `audit-log.${format}`, { format }),
  });
}
