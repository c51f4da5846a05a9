import { ReReviewAction } from '../components/ReReviewAction';
import { Anchor, Badge, Button, Card, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { articleQueries } from '../api/articles';
import { hasRole, useUser } from '../auth/session';
import { AssignReviewers } from '../components/AssignReviewers';
import { CheckBadges, ReviewDueBadge, ReviewDueBy, StateBadge } from '../components/badges';
import { ReasonAction } from '../components/ReasonAction';
import { ContentHash, SignatureList } from '../components/Signatures';
import { QueryView } from '../components/states';
import { formatDate } from '../lib/format';
import { usePageTitle } from '../lib/usePageTitle';

/** `/articles/:id`: where an article stands, and the way to each screen about it. */
export function ArticleOverview() {
  const { id = '' } = useParams();
  const user = useUser();
  const query = useQuery(articleQueries.detail(id));
  usePageTitle(query.data?.title ?? 'Article');
  return (
    <QueryView query={query} loadingLabel="Loading the article…">
      {(article) => {
        const assigned = article.reviewers.some((r) => r.id === user.id);
        // A deadline matters while the board is reviewing; once signed, or before submission, it says nothing.
        const inReview = article.state === 'submitted' || article.state === 'under_review';
        return (
          <Stack>
            <Stack gap={4}>
              <Title order={1}>{article.title}</Title>
              <Group gap="xs">
                <StateBadge state={article.state} />
                {article.reviewDue && <ReviewDueBadge reason={article.reviewDueReason} />}
                <Text size="sm" c="dimmed">
                  Revision {article.currentRevision}
                  {article.publishedVersion !== null
                    ? ` · live version ${article.publishedVersion}`
                    : ' · not published'}{' '}
                  · /{article.slug}
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
                        const signoff = article.signoffs.find((s) => s.reviewer.id === r.id);
                        return (
                          <List.Item key={r.id}>
                            {r.name}
                            {r.credentials && `, ${r.credentials}`}:{' '}
                            {signoff ? (
                              <Badge
                                size="sm"
                                variant="light"
                                color={signoff.decision === 'approve' ? 'green' : 'orange'}
                              >
                                {signoff.decision === 'approve'
                                  ? `approved revision ${signoff.revision}`
                                  : `requested changes on revision ${signoff.revision}`}
                              </Badge>
                            ) : (
                              <>
                                <Text span size="sm" c="dimmed">
                                  no sign-off on revision {article.currentRevision} yet
                                </Text>
                                {inReview && r.dueAt && (
                                  <>
                                    {' · '}
                                    <ReviewDueBy dueAt={r.dueAt} />
                                  </>
                                )}
                              </>
                            )}
                          </List.Item>
                        );
                      })}
                    </List>
                  )}
                  <Title order={3} size="h5" mt="xs">
                    Signatures on revision {article.currentRevision}
                  </Title>
                  <Text size="sm">
                    Content <ContentHash hash={article.currentContentHash} />
                  </Text>
                  {article.signoffs.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      Nobody has signed revision {article.currentRevision} yet.
                    </Text>
                  ) : (
                    <SignatureList signoffs={article.signoffs} />
                  )}
                  <Text size="sm" c="dimmed">
                    Last reviewed {formatDate(article.lastReviewed)} · next review due{' '}
                    {formatDate(article.nextReviewDue)} · last updated {formatDate(article.lastUpdated)}
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
                      {article.state !== 'archived' && (
                        <ReasonAction
                          article={article}
                          action="archive"
                          label="Archive"
                          title={`Archive: ${article.title}`}
                          explanation="An archived article cannot be revised or reviewed again."
                          confirmLabel="Archive"
                        />
                      )}
                      {article.state === 'approved' && article.publishedVersion !== null && (
                        <ReReviewAction article={article} />
                      )}
                      {article.publishedVersion !== null && (
                        <ReasonAction
                          article={article}
                          action="unpublish"
                          label="Unpublish"
                          title={`Unpublish: ${article.title}`}
                          explanation="Readers will see a retraction notice with this reason instead of the article."
                          confirmLabel="Unpublish"
                        />
                      )}
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
