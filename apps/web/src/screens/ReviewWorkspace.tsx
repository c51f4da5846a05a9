import { Alert, Anchor, Badge, Button, Grid, Group, Modal, Paper, Stack, Text, Textarea, Title, Typography } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { articleKeys, fetchAll, getArticle, invalidateArticle } from '../api/articles';
import { api, errorMessage } from '../api/client';
import type { Anchor as TextAnchor, Article, AuditEntry, Revision, SignoffDecision } from '../api/types';
import { hasRole, useUser } from '../auth/session';
import { useUsers } from '../components/AssignReviewers';
import { MarkdownView, ReferenceList } from '../components/ArticleText';
import { CheckBadges, StateBadge } from '../components/badges';
import { ChecksPanel } from '../components/ChecksPanel';
import { CommentsPanel, NewComment, useComments, type NameOf } from '../components/CommentsPanel';
import { SignoffDialog } from '../components/SignoffDialog';
import { ErrorState, Loading } from '../components/states';
import { anchorFromSelection } from '../lib/anchor';
import { highlightQuotes } from '../lib/highlight';
import { renderArticleHtml } from '../lib/render';
import { usePageTitle } from '../lib/usePageTitle';

/** The review's reference list ids: citations in the text link to `#review-ref-n`. */
const REFERENCE_ID_PREFIX = 'review-ref-';

/** The revision as readers will see it (the shared rendering); selecting text in it starts a comment anchored to that text. */
function ReviewText({ revision, quotes, onSelect }: { revision: Revision; quotes: { id: string; quote: string; blocking: boolean }[]; onSelect: (result: { anchor: TextAnchor } | { problem: string }) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const html = useMemo(() => renderArticleHtml(revision.body, { referenceCount: revision.references.length, idPrefix: REFERENCE_ID_PREFIX }), [revision]);
  useEffect(() => {
    const container = ref.current;
    if (!container) return;
    container.innerHTML = html;
    highlightQuotes(container, quotes);
  }, [html, quotes]);
  const capture = () => {
    if (!ref.current) return;
    const result = anchorFromSelection(ref.current, revision.body);
    if (result) onSelect(result);
  };
  return (
    <Typography>
      <div ref={ref} className="article-text" onMouseUp={capture} onKeyUp={capture} onTouchEnd={capture} />
    </Typography>
  );
}

function ConflictButton({ article }: { article: Article }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const declare = useMutation({
    mutationFn: () => api<Article>(`/articles/${article.id}/conflicts`, { method: 'POST', body: { reason: reason.trim() } }),
    onSuccess: (updated) => {
      queryClient.setQueryData(articleKeys.one(article.id), updated);
      invalidateArticle(queryClient, article.id);
      setOpen(false);
    },
  });
  return (
    <>
      <Button variant="subtle" color="gray" size="xs" onClick={() => setOpen(true)}>
        Declare a conflict of interest
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Declare a conflict of interest">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) declare.mutate();
          }}
        >
          <Stack>
            <Text size="sm">You will be unassigned from this article and your sign-offs on it stop counting.</Text>
            <Textarea label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} data-autofocus />
            {declare.isError && (
              <Text c="red.8" size="sm" role="alert">
                {errorMessage(declare.error)}
              </Text>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" color="red" disabled={!reason.trim()} loading={declare.isPending}>
                Declare conflict
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

/** The revision this reviewer last signed off (from the article's history), if older than the current one. */
function useLastSignoff(articleId: string, userId: string) {
  const history = useQuery({ queryKey: articleKeys.history(articleId), queryFn: () => fetchAll<AuditEntry>(`/articles/${articleId}/history`) });
  const mine = (history.data ?? []).filter((e) => e.action === 'signoff.recorded' && e.actor?.id === userId);
  const last = mine[mine.length - 1];
  return typeof last?.data.revision === 'number' ? last.data.revision : null;
}

export function ReviewWorkspace() {
  const { id = '' } = useParams();
  const me = useUser();
  const queryClient = useQueryClient();
  const article = useQuery({ queryKey: articleKeys.one(id), queryFn: () => getArticle(id) });
  const current = article.data?.currentRevision;
  const revision = useQuery({
    queryKey: articleKeys.revision(id, current ?? 0),
    queryFn: () => api<Revision>(`/articles/${id}/revisions/${current}`),
    enabled: current !== undefined,
    staleTime: Infinity,
  });
  const comments = useComments(id);
  const users = useUsers(hasRole(me, 'admin'));
  const lastSignoff = useLastSignoff(id, me.id);
  const [anchor, setAnchor] = useState<TextAnchor | null>(null);
  const [selectionProblem, setSelectionProblem] = useState<string | null>(null);
  const [dialog, setDialog] = useState<SignoffDecision | null>(null);
  const [signedNotice, setSignedNotice] = useState<string | null>(null);
  usePageTitle(article.data ? `Review: ${article.data.title}` : 'Review');

  const startReview = useMutation({
    mutationFn: () => api<Article>(`/articles/${id}/start-review`, { method: 'POST', body: {} }),
    onSuccess: (updated) => {
      queryClient.setQueryData(articleKeys.one(id), updated);
      invalidateArticle(queryClient, id);
    },
  });

  const quotes = useMemo(
    () => (comments.data ?? []).filter((c) => c.anchor && !c.resolved && c.revision === current).map((c) => ({ id: c.id, quote: c.anchor?.quote ?? '', blocking: c.blocking })),
    [comments.data, current],
  );

  if (article.isError) return <ErrorState error={article.error} onRetry={() => void article.refetch()} />;
  if (revision.isError) return <ErrorState error={revision.error} onRetry={() => void revision.refetch()} />;
  if (!article.data || !revision.data) return <Loading label="Loading the revision…" />;

  const a = article.data;
  const rev = revision.data;
  const assigned = a.reviewers.some((r) => r.id === me.id);
  const mySignoff = a.signoffs.find((s) => s.reviewerId === me.id);
  const canSignOff = assigned && a.state === 'under_review';
  const canComment = a.state !== 'archived';
  const nameOf: NameOf = (userId) => {
    if (userId === me.id) return 'You';
    const reviewer = a.reviewers.find((r) => r.id === userId);
    if (reviewer) return `${reviewer.name}${reviewer.credentials ? `, ${reviewer.credentials}` : ''} (reviewer)`;
    const user = users.data?.find((u) => u.id === userId);
    if (user) return user.name;
    return userId === a.authorId ? 'The author (editor)' : 'A participant';
  };

  return (
    <Stack>
      <Stack gap={4}>
        <Title order={1}>Review: {a.title}</Title>
        <Group gap="xs">
          <StateBadge state={a.state} />
          <Text size="sm">Revision {rev.number}</Text>
          <CheckBadges checks={a.checks} />
        </Group>
      </Stack>

      <Group gap="sm">
        {a.state === 'submitted' && assigned && (
          <Button onClick={() => startReview.mutate()} loading={startReview.isPending}>
            Start the review
          </Button>
        )}
        {canSignOff && (
          <>
            <Button color="green" onClick={() => setDialog('approve')}>
              Approve revision {rev.number}
            </Button>
            <Button color="orange" variant="outline" onClick={() => setDialog('request_changes')}>
              Request changes
            </Button>
          </>
        )}
        {lastSignoff !== null && lastSignoff < rev.number && (
          <Anchor component={Link} to={`/articles/${id}/compare?from=${lastSignoff}&to=${rev.number}`}>
            Changes since my last sign-off (revision {lastSignoff})
          </Anchor>
        )}
        <Anchor component={Link} to={`/articles/${id}/timeline`}>
          Timeline
        </Anchor>
        {assigned && <ConflictButton article={a} />}
      </Group>
      {!assigned && !hasRole(me, 'admin') && <Alert color="gray">You are not assigned to review this article: you can read it but not sign it off.</Alert>}
      {a.state === 'submitted' && assigned && <Text size="sm">The editor submitted this revision. Start the review to comment and sign off.</Text>}
      {startReview.isError && <ErrorState error={startReview.error} title="The review did not start" />}
      {mySignoff && (
        <Alert color={mySignoff.decision === 'approve' ? 'green' : 'orange'} role="status">
          You {mySignoff.decision === 'approve' ? 'approved' : 'requested changes on'} revision {mySignoff.revision}
          {mySignoff.note ? `: “${mySignoff.note}”` : '.'}
        </Alert>
      )}
      {signedNotice && !mySignoff && (
        <Alert color="green" role="status">
          {signedNotice}
        </Alert>
      )}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="md" component="article" aria-label={`Revision ${rev.number}`}>
            <Stack gap="sm">
              {rev.changeNote && (
                <Alert color="blue" title={`Change note, revision ${rev.number}`}>
                  {rev.changeNote}
                </Alert>
              )}
              <Title order={2} size="h3">
                {rev.title}
              </Title>
              {rev.summary && <MarkdownView markdown={rev.summary} referenceCount={rev.references.length} idPrefix={REFERENCE_ID_PREFIX} />}
              <ReviewText
                revision={rev}
                quotes={quotes}
                onSelect={(result) => {
                  if ('anchor' in result) {
                    setAnchor(result.anchor);
                    setSelectionProblem(null);
                  } else setSelectionProblem(result.problem);
                }}
              />
              <ReferenceList references={rev.references} idPrefix={REFERENCE_ID_PREFIX} />
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            {canComment && (
              <Paper withBorder p="md">
                {selectionProblem && (
                  <Text c="orange.9" size="sm" role="status" mb="xs">
                    {selectionProblem}
                  </Text>
                )}
                <NewComment articleId={id} revisionBody={rev.body} anchor={anchor} onClearAnchor={() => setAnchor(null)} />
              </Paper>
            )}
            <Paper withBorder p="md">
              <CommentsPanel article={a} nameOf={nameOf} canAct={canComment} />
            </Paper>
            <Paper withBorder p="md">
              <ChecksPanel articleId={id} references={rev.references} canRerun={hasRole(me, 'editor', 'admin')} />
            </Paper>
            {a.reviewers.length > 0 && (
              <Paper withBorder p="md" component="section" aria-labelledby="verdicts-title">
                <Title order={2} size="h4" id="verdicts-title" mb="xs">
                  Sign-offs on revision {rev.number}
                </Title>
                <Stack gap={4}>
                  {a.reviewers.map((r) => {
                    const s = a.signoffs.find((x) => x.reviewerId === r.id);
                    return (
                      <Group key={r.id} gap={6}>
                        <Text size="sm">{r.id === me.id ? 'You' : r.name}:</Text>
                        <Badge size="sm" variant="light" color={s ? (s.decision === 'approve' ? 'green' : 'orange') : 'gray'}>
                          {s ? (s.decision === 'approve' ? 'approved' : 'requested changes') : 'no verdict yet'}
                        </Badge>
                      </Group>
                    );
                  })}
                </Stack>
              </Paper>
            )}
          </Stack>
        </Grid.Col>
      </Grid>

      <SignoffDialog
        articleId={id}
        revision={rev.number}
        opened={dialog !== null}
        initialDecision={dialog ?? 'approve'}
        onClose={() => setDialog(null)}
        onStale={() => {
          setDialog(null);
          invalidateArticle(queryClient, id);
        }}
        onDone={(result) => {
          queryClient.setQueryData(articleKeys.one(id), result.article);
          invalidateArticle(queryClient, id);
          setDialog(null);
          setSignedNotice(
            result.signoff.decision === 'approve'
              ? `You approved revision ${result.signoff.revision}.${result.article.state === 'approved' ? ' The article is approved and will be published.' : ''}`
              : `You requested changes on revision ${result.signoff.revision}. The editor has your reason.`,
          );
        }}
      />
    </Stack>
  );
}
