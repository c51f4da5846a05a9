/** Webhook subscriptions (admin, contract §8) and their delivery attempts. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { fetchAll } from './pages';
import type { components } from './schema.gen';
import type { CreatedWebhook, Webhook, WebhookAttempt } from './types';

export type CreateWebhookRequest = components['schemas']['CreateWebhookDto'];

/** Deliveries happen in the worker: their list is looked at again this often while it is shown. */
export const DELIVERIES_POLL_MS = 10_000;

export const webhookKeys = {
  all: ['webhooks'] as const,
  list: () => ['webhooks', 'list'] as const,
  deliveries: (id: string) => ['webhooks', 'detail', id, 'deliveries'] as const,
};

const webhookPath = (id: string) => `/webhooks/${encodeURIComponent(id)}`;

export const webhookQueries = {
  list: () =>
    queryOptions({
      queryKey: webhookKeys.list(),
      queryFn: ({ signal }) => fetchAll<Webhook>('/webhooks', {}, { signal }),
    }),
  deliveries: (id: string) =>
    queryOptions({
      queryKey: webhookKeys.deliveries(id),
      queryFn: ({ signal }) => fetchAll<WebhookAttempt>(`${webhookPath(id)}/deliveries`, {}, { signal }),
      refetchInterval: DELIVERIES_POLL_MS,
    }),
};

/** `POST /webhooks`: the answer carries the signing secret, the only time the API shows it. */
export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateWebhookRequest) => api<CreatedWebhook>('/webhooks', { method: 'POST', body: request }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.list() }),
  });
}

/** `DELETE /webhooks/:id` (by the subscription's id). */
export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(webhookPath(id), { method: 'DELETE' }),
    onSuccess: (_nothing, id) => {
      queryClient.setQueryData<Webhook[]>(webhookKeys.list(), (list) => list?.filter((hook) => hook.id !== id));
      return queryClient.invalidateQueries({ queryKey: webhookKeys.list() });
    },
  });
}
