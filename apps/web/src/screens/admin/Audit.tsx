import { Alert, Button, Code, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { auditQueries, useAuditExport, type AuditFilters } from '../../api/audit';
import { errorMessage } from '../../api/client';
import { Empty, ErrorState, Loading } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/usePageTitle';

const FILTERS = ['articleId', 'actorId', 'action', 'since', 'until', 'order'] as const;
type Filter = (typeof FILTERS)[number];

/** The filters as the URL holds them (strings, '' for none) → the API's query. */
function auditFilters(applied: Record<Filter, string>): AuditFilters {
  const { order, ...rest } = applied;
  const filters: AuditFilters = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== ''));
  return order === 'asc' || order === 'desc' ? { ...filters, order } : filters;
}

function VerifyBanner() {
  const verify = useQuery(auditQueries.verify());
  if (verify.isPending) return <Loading label="Verifying the hash chain…" />;
  if (verify.isError)
    return (
      <ErrorState error={verify.error} title="The chain could not be verified" onRetry={() => void verify.refetch()} />
    );
  const v = verify.data;
  return v.valid ? (
    <Alert color="green" title={`Chain verified: ${v.entries.toLocaleString('en')} entries`} role="status">
      <Text size="sm">
        Every entry's hash matches its content and the entry before it. Head:{' '}
        <Code style={{ overflowWrap: 'anywhere' }}>{v.head}</Code>
      </Text>
      <Button size="xs" variant="default" mt="xs" onClick={() => void verify.refetch()} loading={verify.isFetching}>
        Verify again
      </Button>
    </Alert>
  ) : (
    <Alert color="red" title={`Chain broken at entry ${v.brokenAt}`} role="alert">
      <Text size="sm">
        The {v.entries.toLocaleString('en')} entries before it verify; entry {v.brokenAt} does not match its hash or its
        predecessor. The log may have been tampered with.
      </Text>
    </Alert>
  );
}

export function Audit() {
  usePageTitle('Audit log');
  const [params, setParams] = useSearchParams();
  const applied = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<Filter, string>;
  const [form, setForm] = useState(applied);
  const [expanded, setExpanded] = useState<number | null>(null);
  const entries = useInfiniteQuery(auditQueries.list(auditFilters(applied)));
  const exporter = useAuditExport();
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    FILTERS.forEach((f) => form[f].trim() && next.set(f, form[f].trim()));
    setParams(next);
  };
  const field = (key: Filter) => ({
    value: form[key],
    onChange: (e: { currentTarget: { value: string } }) => setForm((f) => ({ ...f, [key]: e.currentTarget.value })),
  });
  const items = entries.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Audit log</Title>
        <Group gap="xs">
          <Button
            variant="default"
            size="sm"
            onClick={() => exporter.mutate('csv')}
            loading={exporter.isPending && exporter.variables === 'csv'}
          >
            Export CSV
          </Button>
          <Button
            variant="default"
            size="sm"
            onClick={() => exporter.mutate('jsonl')}
            loading={exporter.isPending && exporter.variables === 'jsonl'}
          >
            Export JSONL
          </Button>
        </Group>
      </Group>
      {exporter.isError && (
        <Alert color="red" role="alert">
          {errorMessage(exporter.error)}
        </Alert>
      )}
      <VerifyBanner />
      <form onSubmit={apply} aria-label="Filters">
        <Group align="flex-end" wrap="wrap" gap="sm">
          <TextInput
            label="Action"
            placeholder="article.submitted"
            {...field('action')}
            w={{ base: '100%', xs: 200 }}
          />
          <TextInput label="Article id" {...field('articleId')} w={{ base: '100%', xs: 300 }} />
          <TextInput label="Actor id" {...field('actorId')} w={{ base: '100%', xs: 300 }} />
          <TextInput label="Since" type="date" {...field('since')} />
          <TextInput label="Until (before)" type="date" {...field('until')} />
          <NativeSelect
            label="Order"
            data={[
              { value: '', label: 'Newest first' },
              { value: 'asc', label: 'Oldest first' },
            ]}
            {...field('order')}
          />
          <Button type="submit">Apply filters</Button>
          <Button
            variant="subtle"
            onClick={() => {
              setForm(Object.fromEntries(FILTERS.map((f) => [f, ''])) as Record<Filter, string>);
              setParams(new URLSearchParams());
            }}
          >
            Clear
          </Button>
        </Group>
      </form>
      {entries.isPending ? (
        <Loading label="Loading entries…" />
      ) : entries.isError ? (
        <ErrorState error={entries.error} onRetry={() => void entries.refetch()} />
      ) : items.length === 0 ? (
        <Empty>No entries match.</Empty>
      ) : (
        <>
          <Table.ScrollContainer minWidth={760}>
            <Table striped fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">#</Table.Th>
                  <Table.Th scope="col">When</Table.Th>
                  <Table.Th scope="col">Actor</Table.Th>
                  <Table.Th scope="col">Action</Table.Th>
                  <Table.Th scope="col">Entity</Table.Th>
                  <Table.Th scope="col">Hash</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((e) => (
                  <Table.Tr key={e.seq} style={{ verticalAlign: 'top' }}>
                    <Table.Td>{e.seq}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>{e.actor?.email ?? 'system'}</Table.Td>
                    <Table.Td>
                      <Code>{e.action}</Code>
                      {expanded === e.seq && (
                        <Code block fz="xs" mt={4} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                          {JSON.stringify(e.data, null, 2)}
                        </Code>
                      )}
                    </Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      {e.entityType}
                      {e.entityId ? ` ${e.entityId}` : ''}
                    </Table.Td>
                    <Table.Td>
                      <Code fz="xs" title={e.hash} style={{ overflowWrap: 'anywhere' }}>
                        {e.hash}
                      </Code>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => setExpanded(expanded === e.seq ? null : e.seq)}
                        aria-expanded={expanded === e.seq}
                      >
                        {expanded === e.seq ? 'Hide data' : 'Show data'}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {entries.hasNextPage && (
            <Group>
              <Button
                variant="default"
                onClick={() => void entries.fetchNextPage()}
                loading={entries.isFetchingNextPage}
              >
                Load more
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
