import { Anchor, Group, NativeSelect, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { ARTICLE_STATES } from '@imprimatur/domain/articles/workflow';
import { articleQueries, type ArticleFilters } from '../../api/articles';
import { CheckBadges, ReviewDueBadge, StateBadge } from '../../components/badges';
import { Empty, QueryView } from '../../components/states';
import { WaitingOnYou } from '../../components/WaitingOnYou';
import { formatDate, STATE_LABEL } from '../../lib/format';
import { usePageTitle } from '../../lib/usePageTitle';
import classes from './AdminArticles.module.css';

/** Admin: every article, filterable, each linking to its overview where reviewers are assigned. */
export function AdminArticles() {
  usePageTitle('Articles & reviewers');
  const [params, setParams] = useSearchParams();
  const state = ARTICLE_STATES.find((s) => s === params.get('state')) ?? '';
  const q = params.get('q') ?? '';
  const reviewDue = params.get('reviewDue') === 'true';
  const [debouncedQ] = useDebouncedValue(q, 300);
  const filters: ArticleFilters = {
    state: state || undefined,
    q: debouncedQ.trim() || undefined,
    reviewDue: reviewDue ? 'true' : undefined,
  };
  const query = useQuery(articleQueries.list(filters));
  const update = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  return (
    <Stack>
      <Title order={1}>Articles &amp; reviewers</Title>
      <WaitingOnYou />
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label="Title contains"
          value={q}
          onChange={(e) => update('q', e.currentTarget.value)}
          w={{ base: '100%', xs: 260 }}
        />
        <NativeSelect
          label="State"
          value={state}
          onChange={(e) => update('state', e.currentTarget.value)}
          data={[
            { value: '', label: 'Any state' },
            ...ARTICLE_STATES.map((s) => ({ value: s, label: STATE_LABEL[s] })),
          ]}
        />
        <Switch
          label="Review due only"
          checked={reviewDue}
          onChange={(e) => update('reviewDue', e.currentTarget.checked ? 'true' : '')}
          mb={8}
        />
      </Group>
      <QueryView query={query} loadingLabel="Loading articles…">
        {(articles) =>
          articles.length === 0 ? (
            <Empty>No article matches.</Empty>
          ) : (
            <Table.ScrollContainer minWidth={720}>
              <Table striped className={classes.table}>
                <Table.Thead>
                  <Table.Tr>
                    {/* Whole badges take their room; the titles keep enough to read. */}
                    <Table.Th scope="col" miw={240}>
                      Article
                    </Table.Th>
                    <Table.Th scope="col">State</Table.Th>
                    <Table.Th scope="col">Reviewers</Table.Th>
                    <Table.Th scope="col">Checks</Table.Th>
                    <Table.Th scope="col">Updated</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {articles.map((a) => (
                    <Table.Tr key={a.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/articles/${a.id}`}>
                          {a.title}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          revision {a.currentRevision}
                          {a.publishedVersion !== null && ` · live v${a.publishedVersion}`}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {/* One above the other: side by side they would take the titles' room. */}
                        <Stack gap={4} align="flex-start">
                          <StateBadge state={a.state} />
                          {a.reviewDue && <ReviewDueBadge reason={a.reviewDueReason} />}
                        </Stack>
                      </Table.Td>
                      <Table.Td>
                        {a.reviewers.length === 0 ? (
                          <Anchor component={Link} to={`/articles/${a.id}`} size="sm">
                            Assign reviewers
                          </Anchor>
                        ) : (
                          <Text size="sm">{a.reviewers.map((r) => r.name).join(', ')}</Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <CheckBadges checks={a.checks} />
                      </Table.Td>
                      <Table.Td>{formatDate(a.updatedAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryView>
    </Stack>
  );
}
