import { Anchor, Badge, Blockquote, Button, Card, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { articleQueries } from '../api/articles';
import type { Article } from '../api/types';
import { useUser } from '../auth/session';
import { CheckBadges, ReviewDueBadge, StateBadge } from '../components/badges';
import { signerName } from '../components/Signatures';
import { Empty, QueryView } from '../components/states';
import { WaitingOnYou } from '../components/WaitingOnYou';
import { formatDate } from '../lib/format';
import { usePageTitle } from '../lib/usePageTitle';

type Section = 'drafts' | 'in-review' | 'changes' | 'published';

const SECTIONS: { value: Section; label: string; empty: string; pick: (a: Article) => boolean }[] = [
  { value: 'drafts', label: 'Drafts', empty: 'No drafts.', pick: (a) => a.state === 'draft' },
  {
    value: 'in-review',
    label: 'Submitted',
    empty: 'Nothing is with the board.',
    pick: (a) =>
      a.state === 'submitted' || a.state === 'under_review' || (a.state === 'approved' && a.publishedVersion === null),
  },
  {
    value: 'changes',
    label: 'Changes requested',
    empty: 'No article is waiting for your changes.',
    pick: (a) => a.state === 'changes_requested',
  },
  {
    value: 'published',
    label: 'Published',
    empty: 'Nothing published yet.',
    pick: (a) => a.publishedVersion !== null && a.state !== 'archived',
  },
];

/** The reviewers' reasons, quoted from the counted request-changes sign-offs, signed as they were at signing. */
function ChangeRequests({ article }: { article: Article }) {
  const requests = article.signoffs.filter((s) => s.decision === 'request_changes');
  if (requests.length === 0) return null;
  return (
    <Stack gap="xs">
      {requests.map((s) => {
        return (
          <Blockquote
            key={s.id}
            color="orange"
            p="sm"
            cite={`— ${signerName(s.reviewer)}, on revision ${s.revision} (${formatDate(s.signedAt)})`}
          >
            {s.note ?? '(no reason given)'}
          </Blockquote>
        );
      })}
    </Stack>
  );
}

/**
 * The open blocking comments, which hold approval (contract §5): a link to the editor, whose margin
 * lists them beside the text to answer.
 */
function OpenBlocking({ article }: { article: Article }) {
  const open = article.openBlockingComments ?? 0;
  if (open === 0) return null;
  return (
    <Group gap={6}>
      <Badge color="red" variant="light" size="sm" aria-hidden>
        {open}
      </Badge>
      <Anchor component={Link} to={`/articles/${article.id}/edit`} size="sm">
        {open === 1 ? '1 open blocking comment' : `${open} open blocking comments`}
      </Anchor>
      <Text span size="sm" c="dimmed">
        : approval waits for {open === 1 ? 'it' : 'them'}
      </Text>
    </Group>
  );
}

function ArticleCard({ article }: { article: Article }) {
  const editable = article.state === 'draft' || article.state === 'changes_requested';
  return (
    <Card withBorder padding="md" component="li">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Anchor component={Link} to={editable ? `/articles/${article.id}/edit` : `/articles/${article.id}`} fw={600}>
            {article.title}
          </Anchor>
          <Group gap={6}>
            <StateBadge state={article.state} />
            {article.reviewDue && <ReviewDueBadge reason={article.reviewDueReason} />}
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          Revision {article.currentRevision}
          {article.publishedVersion !== null && ` · live version ${article.publishedVersion}`} · updated{' '}
          {formatDate(article.updatedAt)}
          {article.nextReviewDue && ` · next review due ${formatDate(article.nextReviewDue)}`}
        </Text>
        <CheckBadges checks={article.checks} />
        <OpenBlocking article={article} />
        {article.state === 'changes_requested' && <ChangeRequests article={article} />}
        <Group gap="sm">
          {editable && (
            <Button component={Link} to={`/articles/${article.id}/edit`} size="xs">
              {article.state === 'changes_requested' ? 'Revise' : 'Edit'}
            </Button>
          )}
          {article.publishedVersion !== null && !editable && (
            <Button component={Link} to={`/articles/${article.id}/edit`} size="xs" variant="default">
              Start a new revision
            </Button>
          )}
          <Anchor component={Link} to={`/articles/${article.id}/timeline`} size="sm">
            Timeline
          </Anchor>
          {article.currentRevision > 1 && (
            <Anchor component={Link} to={`/articles/${article.id}/compare`} size="sm">
              Compare revisions
            </Anchor>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

export function Desk() {
  usePageTitle("Editor's desk");
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const tab: Section = SECTIONS.find((s) => s.value === params.get('tab'))?.value ?? 'drafts';
  const query = useQuery(articleQueries.list({ authorId: user.id }));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Editor&apos;s desk</Title>
        <Button component={Link} to="/articles/new">
          New article
        </Button>
      </Group>
      <WaitingOnYou />
      <QueryView query={query} loadingLabel="Loading your articles…">
        {(articles) => (
          <Tabs
            value={tab}
            onChange={(value) => setParams(value && value !== 'drafts' ? { tab: value } : {}, { replace: true })}
            keepMounted={false}
          >
            <Tabs.List>
              {SECTIONS.map((section) => {
                const count = articles.filter(section.pick).length;
                const due =
                  section.value === 'published' ? articles.filter((a) => section.pick(a) && a.reviewDue).length : 0;
                return (
                  <Tabs.Tab key={section.value} value={section.value}>
                    {section.label} ({count}){due > 0 && `, ${due} due for review`}
                  </Tabs.Tab>
                );
              })}
            </Tabs.List>
            {SECTIONS.map((section) => {
              const items = articles
                .filter(section.pick)
                .sort((a, b) => Number(b.reviewDue) - Number(a.reviewDue) || b.updatedAt.localeCompare(a.updatedAt));
              return (
                <Tabs.Panel key={section.value} value={section.value} pt="md">
                  {items.length === 0 ? (
                    <Empty>{section.empty}</Empty>
                  ) : (
                    <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
                      {items.map((article) => (
                        <ArticleCard key={article.id} article={article} />
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
