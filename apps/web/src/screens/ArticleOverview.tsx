import { Anchor, Badge, Button, Card, Group, List, Modal, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { articleKeys, getArticle, invalidateArticle } from '../api/articles';
import { api, errorMessage } from '../api/client';
import type { Article } from '../api/types';
import { hasRole, useUser } from '../auth/session';
import { AssignReviewers } from '../components/AssignReviewers';
import { CheckBadges, ReviewDueBadge, StateBadge } from '../components/badges';
import { QueryView } from '../components/states';
import { formatDate } from '../lib/format';
import { usePageTitle } from '../lib/usePageTitle';

function ReasonAction({ article, action, label }: { article: Article; action: 'archive' | 'unpublish'; label: string }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const run = useMutation({
    mutationFn: () => api<Article>(`/articles/${article.id}/${action}`, { method: 'POST', body: { reason: reason.trim() } }),
    onSuccess: (updated) => {
      queryClient.setQueryData(articleKeys.one(article.id), updated);
      invalidateArticle(queryClient, article.id);
      setOpen(false);
    },
  });
  return (
    <>
      <Button variant="default" color="red" onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`${label}: ${article.title}`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) run.mutate();
          }}
        >
          <Stack>
            <Text size="sm">
              {action === 'archive'
                ? 'An archived article cannot be revised or reviewed again.'
                : 'Readers will see a retraction notice with this reason instead of the article.'}
            </Text>
            <Textarea label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} data-autofocus />
            {run.isError && (
              <Text c="red.8" size="sm" role="alert">
                {errorMessage(run.error)}
              </Text>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" color="red" disabled={!reason.trim()} loading={run.isPending}>
                {label}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

/** `/articles/:id`: where an article stands, and the way to each screen about it. */
export function ArticleOverview() {
  const { id = '' } = useParams();
  const user = useUser();
  const query = useQuery({ queryKey: articleKeys.one(id), queryFn: () => getArticle(id) });
  usePageTitle(query.data?.title ?? 'Article');
  return (
    <QueryView query={query} loadingLabel="Loading the article…">
      {(article) => {
        const assigned = article.reviewers.some((r) => r.id === user.id);
        return (
          <Stack>
            <Stack gap={4}>
              <Title order={1}>{article.title}</Title>
              <Group gap="xs">
                <StateBadge state={article.state} />
                {article.reviewDue && <ReviewDueBadge />}
                <Text size="sm" c="dimmed">
                  Revision {article.currentRevision}
                  {article.publishedVersion !== null ? ` · live version ${article.publishedVersion}` : ' · not published'} · /{article.slug}
                </Text>
              </Group>
            </Stack>
            <Group gap="sm">
              {hasRole(user, 'editor') && article.state !== 'archived' && (
                <Button component={Link} to={`/articles/${id}/edit`}>
                  Edit
                </Button>
              )}
              {(assigned || hasRole(user, 'admin')) && (
                <Button component={Link} to={`/articles/${id}/review`} variant={assigned ? 'filled' : 'default'}>
                  Review workspace
                </Button>
              )}
              {article.currentRevision > 1 && (
                <Button component={Link} to={`/articles/${id}/compare`} variant="default">
                  Compare revisions
                </Button>
              )}
              <Button component={Link} to={`/articles/${id}/timeline`} variant="default">
                Timeline
              </Button>
              {article.publishedVersion !== null && (
                <Anchor href={`/read/${article.slug}`} target="_blank" rel="noopener">
                  Reader page
                </Anchor>
              )}
            </Group>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Card withBorder component="section" aria-labelledby="overview-review">
                <Stack gap="xs">
                  <Title order={2} size="h4" id="overview-review">
                    Review
                  </Title>
                  <CheckBadges checks={article.checks} />
                  {article.reviewers.length === 0 ? (
                    <Text size="sm">No reviewers assigned yet.</Text>
                  ) : (
                    <List size="sm" spacing={4}>
                      {article.reviewers.map((r) => {
                        const signoff = article.signoffs.find((s) => s.reviewerId === r.id);
                        return (
                          <List.Item key={r.id}>
                            {r.name}
                            {r.credentials && `, ${r.credentials}`}:{' '}
                            {signoff ? (
                              <Badge size="sm" variant="light" color={signoff.decision === 'approve' ? 'green' : 'orange'}>
                                {signoff.decision === 'approve' ? `approved revision ${signoff.revision}` : `requested changes on revision ${signoff.revision}`}
                              </Badge>
                            ) : (
                              <Text span size="sm" c="dimmed">
                                no sign-off on revision {article.currentRevision} yet
                              </Text>
                            )}
                          </List.Item>
                        );
                      })}
                    </List>
                  )}
                  <Text size="sm" c="dimmed">
                    Last reviewed {formatDate(article.lastReviewed)} · next review due {formatDate(article.nextReviewDue)} · last updated{' '}
                    {formatDate(article.lastUpdated)}
                  </Text>
                </Stack>
              </Card>
              {hasRole(user, 'admin') && (
                <Card withBorder component="section" aria-labelledby="overview-admin">
                  <Stack gap="sm">
                    <Title order={2} size="h4" id="overview-admin">
                      Assign reviewers
                    </Title>
                    <AssignReviewers article={article} />
                    <Group>
                      {article.state !== 'archived' && <ReasonAction article={article} action="archive" label="Archive" />}
                      {article.publishedVersion !== null && <ReasonAction article={article} action="unpublish" label="Unpublish" />}
                    </Group>
                  </Stack>
                </Card>
              )}
            </SimpleGrid>
          </Stack>
        );
      }}
    </QueryView>
  );
}
