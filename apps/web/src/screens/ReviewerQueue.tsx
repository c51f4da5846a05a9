import { Anchor, Badge, Card, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { articleQueries } from '../api/articles';
import { commentQueries } from '../api/comments';
import type { Article, User } from '../api/types';
import { useUser } from '../auth/session';
import { CheckBadges, ReviewDueBy, StateBadge } from '../components/badges';
import { Empty, QueryView } from '../components/states';
import { WaitingOnYou } from '../components/WaitingOnYou';
import { daysSince, dueWords, plural } from '../lib/format';
import { usePageTitle } from '../lib/usePageTitle';

type Bucket = 'your-turn' | 'waiting' | 'done';

/** Where an assigned article stands for this reviewer. */
export function bucketOf(article: Article, me: User): Bucket {
  const mine = article.signoffs.find((s) => s.reviewer.id === me.id && s.revision === article.currentRevision);
  if (article.state === 'submitted') return 'your-turn';
  if (article.state === 'under_review') return mine ? 'done' : 'your-turn';
  if (article.state === 'draft' || article.state === 'changes_requested') return 'waiting';
  return 'done';
}

const BUCKETS: { value: Bucket; label: string; empty: string }[] = [
  { value: 'your-turn', label: 'Your turn', empty: 'Nothing is waiting for your sign-off.' },
  { value: 'waiting', label: 'Waiting on editor', empty: 'No article is back with its editor.' },
  { value: 'done', label: 'Done', empty: 'Nothing signed off yet.' },
];

function OpenBlocking({ articleId }: { articleId: string }) {
  const comments = useQuery(commentQueries.list(articleId));
  if (comments.isPending)
    return (
      <Text span size="sm">
        counting comments…
      </Text>
    );
  if (comments.isError)
    return (
      <Text span size="sm">
        comments unavailable
      </Text>
    );
  const open = comments.data.filter((c) => c.blocking && !c.resolved).length;
  return (
    <Badge color={open > 0 ? 'red' : 'gray'} variant={open > 0 ? 'light' : 'outline'}>
      {plural(open, 'open blocking comment')}
    </Badge>
  );
}

function QueueRow({ article, me }: { article: Article; me: User }) {
  const others = article.signoffs.filter((s) => s.reviewer.id !== me.id);
  const othersAssigned = article.reviewers.filter((r) => r.id !== me.id);
  const bucket = bucketOf(article, me);
  const myDue = article.reviewers.find((r) => r.id === me.id)?.dueAt ?? null;
  return (
    <Card withBorder component="li" padding="md">
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start">
          <Anchor component={Link} to={`/articles/${article.id}/review`} fw={600}>
            {article.title}
          </Anchor>
          <StateBadge state={article.state} />
        </Group>
        <Text size="sm">
          Revision {article.currentRevision} · {bucket === 'your-turn' ? 'waiting ' : 'last change '}
          {plural(daysSince(article.updatedAt), 'day')}
          {bucket === 'your-turn' ? '' : ' ago'}
          {bucket === 'your-turn' && myDue && (
            <>
              {' · your review '}
              <ReviewDueBy dueAt={myDue} />
            </>
          )}
        </Text>
        <Group gap={6}>
          <OpenBlocking articleId={article.id} />
          <CheckBadges checks={article.checks} />
        </Group>
        <Text size="sm">
          Other reviewers:{' '}
          {othersAssigned.length === 0
            ? 'none assigned'
            : othersAssigned
                .map((r) => {
                  const s = others.find((o) => o.reviewer.id === r.id);
                  if (s) return `${r.name} — ${s.decision === 'approve' ? 'approved' : 'requested changes'}`;
                  return `${r.name} — no verdict yet${r.dueAt ? `, ${dueWords(r.dueAt)}` : ''}`;
                })
                .join('; ')}
        </Text>
      </Stack>
    </Card>
  );
}

export function ReviewerQueue() {
  usePageTitle('Review queue');
  const me = useUser();
  const [params, setParams] = useSearchParams();
  const tab: Bucket = BUCKETS.find((b) => b.value === params.get('tab'))?.value ?? 'your-turn';
  const query = useQuery(articleQueries.list({ reviewerId: me.id }));
  return (
    <Stack>
      <Title order={1}>Review queue</Title>
      <WaitingOnYou />
      <QueryView query={query} loadingLabel="Loading your reviews…">
        {(articles) => (
          <Tabs
            value={tab}
            onChange={(v) => setParams(v && v !== 'your-turn' ? { tab: v } : {}, { replace: true })}
            keepMounted={false}
          >
            <Tabs.List>
              {BUCKETS.map((b) => (
                <Tabs.Tab key={b.value} value={b.value}>
                  {b.label} ({articles.filter((a) => bucketOf(a, me) === b.value).length})
                </Tabs.Tab>
              ))}
            </Tabs.List>
            {BUCKETS.map((b) => {
              const items = articles
                .filter((a) => bucketOf(a, me) === b.value)
                .sort((x, y) => x.updatedAt.localeCompare(y.updatedAt));
              return (
                <Tabs.Panel key={b.value} value={b.value} pt="md">
                  {items.length === 0 ? (
                    <Empty>{b.empty}</Empty>
                  ) : (
                    <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
                      {items.map((a) => (
                        <QueueRow key={a.id} article={a} me={me} />
                      ))}
                    </Stack>
                  )}
                </Tabs.Panel>
              );
            })}
          </Tabs>
        )}
      </QueryView>
    </Stack>
  );
}
