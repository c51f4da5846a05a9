import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { z } from 'zod';
import { ApiError, errorMessage } from '../../api/client';
import { WEBHOOK_EVENTS, type CreatedWebhook, type Webhook, type WebhookEvent } from '../../api/types';
import { useCreateWebhook, useDeleteWebhook, webhookQueries } from '../../api/webhooks';
import { Empty, QueryView } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/usePageTitle';

const isWebAddress = (value: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(value.trim()).protocol);
  } catch {
    return false;
  }
};

/** The API's rules for a subscription (contract §8): an http(s) receiver and at least one event. */
const validateWebhook = schemaResolver(
  z.object({
    url: z.string().refine(isWebAddress, 'Enter the receiver’s full address, starting with https://'),
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'Choose at least one event'),
  }),
  { sync: true },
);

function CreateWebhook({ onCreated }: { onCreated: (hook: CreatedWebhook) => void }) {
  const form = useForm<{ url: string; events: WebhookEvent[] }>({
    initialValues: { url: '', events: ['article.published', 'article.unpublished'] },
    validate: validateWebhook,
  });
  const create = useCreateWebhook();
  return (
    <form
      onSubmit={form.onSubmit(({ url, events }) =>
        create.mutate(
          { url: url.trim(), events },
          {
            onSuccess: (hook) => {
              form.setFieldValue('url', '');
              onCreated(hook);
            },
          },
        ),
      )}
      noValidate
      aria-labelledby="new-webhook"
    >
      <Stack gap="sm">
        <Title order={2} size="h4" id="new-webhook">
          New subscription
        </Title>
        <TextInput
          label="URL"
          type="url"
          required
          placeholder="https://hooks.example.org/imprimatur"
          {...form.getInputProps('url')}
        />
        <Checkbox.Group label="Events" required {...form.getInputProps('events')}>
          <Group mt={6}>
            {WEBHOOK_EVENTS.map((e) => (
              <Checkbox key={e} value={e} label={e} />
            ))}
          </Group>
        </Checkbox.Group>
        {create.isError && (
          <Alert color="red" role="alert">
            {errorMessage(create.error)}
            {create.error instanceof ApiError && create.error.fieldMessages.map((m) => <div key={m}>{m}</div>)}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={create.isPending}>
            Subscribe
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The signing secret, shown once: the API never returns it again. */
function SecretOnce({ hook, onClose }: { hook: CreatedWebhook; onClose: () => void }) {
  return (
    <Alert
      color="yellow"
      title="Copy the signing secret now"
      role="status"
      withCloseButton
      closeButtonLabel="I have stored the secret"
      onClose={onClose}
    >
      <Stack gap="xs">
        <Text size="sm">
          This is the only time the secret of {hook.url} is shown. The receiver needs it to verify signatures (Standard
          Webhooks).
        </Text>
        <Group gap="xs" wrap="nowrap" align="center">
          <Code style={{ overflowWrap: 'anywhere', flex: 1 }} aria-label="Signing secret">
            {hook.secret}
          </Code>
          <CopyButton value={hook.secret}>
            {({ copied, copy }) => (
              <Button size="xs" color={copied ? 'green' : undefined} onClick={copy}>
                {copied ? 'Copied' : 'Copy secret'}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Stack>
    </Alert>
  );
}

export function Webhooks() {
  usePageTitle('Webhooks');
  const hooks = useQuery(webhookQueries.list());
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const remove = useDeleteWebhook();
  return (
    <Stack>
      <Title order={1}>Webhooks</Title>
      {created && <SecretOnce hook={created} onClose={() => setCreated(null)} />}
      <CreateWebhook onCreated={setCreated} />
      <Title order={2} size="h4">
        Subscriptions
      </Title>
      <QueryView query={hooks} loadingLabel="Loading subscriptions…">
        {(list) =>
          list.length === 0 ? (
            <Empty>No subscriptions.</Empty>
          ) : (
            <Table.ScrollContainer minWidth={600}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">URL</Table.Th>
                    <Table.Th scope="col">Events</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((h) => (
                    <Table.Tr key={h.id}>
                      <Table.Td style={{ overflowWrap: 'anywhere' }}>{h.url}</Table.Td>
                      <Table.Td>{h.events.join(', ')}</Table.Td>
                      <Table.Td>
                        {h.active ? (
                          <Badge color="green" variant="light">
                            Active
                          </Badge>
                        ) : (
                          <Badge color="gray" variant="outline">
                            Disabled
                            {h.disabledReason
                              ? ` (${h.disabledReason === 'gone' ? 'receiver answered 410' : h.disabledReason})`
                              : ''}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Anchor component={Link} to={`/admin/webhooks/${h.id}`} size="sm">
                            Deliveries
                          </Anchor>
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            onClick={() => setDeleting(h)}
                            aria-label={`Delete the subscription of ${h.url}`}
                          >
                            Delete
                          </Button>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryView>
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title="Delete this subscription?">
        <Stack>
          <Text size="sm">{deleting?.url} will receive no more events; deliveries still pending are abandoned.</Text>
          {remove.isError && (
            <Text c="red.8" size="sm" role="alert">
              {errorMessage(remove.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => deleting && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
            >
              Delete subscription
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

const OUTCOME_COLOR: Record<string, string> = {
  delivered: 'green',
  retrying: 'yellow',
  failed: 'red',
  disabled: 'gray',
};

export function WebhookDeliveries() {
  const { id = '' } = useParams();
  usePageTitle('Webhook deliveries');
  const hooks = useQuery(webhookQueries.list());
  const attempts = useQuery(webhookQueries.deliveries(id));
  const hook = hooks.data?.find((h) => h.id === id);
  return (
    <Stack>
      <Stack gap={4}>
        <Title order={1}>Deliveries</Title>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {hook ? hook.url : 'Subscription'} ·{' '}
          <Anchor component={Link} to="/admin/webhooks">
            All webhooks
          </Anchor>
        </Text>
      </Stack>
      <QueryView query={attempts} loadingLabel="Loading deliveries…">
        {(list) =>
          list.length === 0 ? (
            <Empty>No delivery attempts yet.</Empty>
          ) : (
            <Table.ScrollContainer minWidth={720}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">When</Table.Th>
                    <Table.Th scope="col">Event</Table.Th>
                    <Table.Th scope="col">Attempt</Table.Th>
                    <Table.Th scope="col">Answer</Table.Th>
                    <Table.Th scope="col">Outcome</Table.Th>
                    <Table.Th scope="col">webhook-id</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((a) => {
                    const outcome = typeof a.outcome === 'string' ? a.outcome : '';
                    return (
                      <Table.Tr key={`${a.deliveryId}-${a.attempt}`}>
                        <Table.Td>{formatDateTime(a.at)}</Table.Td>
                        <Table.Td>
                          {a.eventType}{' '}
                          <Text span size="xs">
                            #{a.eventId}
                          </Text>
                        </Table.Td>
                        <Table.Td>{a.attempt}</Table.Td>
                        <Table.Td>
                          {a.statusCode !== null ? `HTTP ${a.statusCode}` : (a.error ?? 'no answer')} · {a.durationMs}{' '}
                          ms
                        </Table.Td>
                        <Table.Td>
                          <Badge color={OUTCOME_COLOR[outcome] ?? 'gray'} variant="light">
                            {outcome || '—'}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          <Code fz="xs">{a.messageId}</Code>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryView>
    </Stack>
  );
}
