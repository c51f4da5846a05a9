import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
  Typography,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { Link, Navigate, useParams } from 'react-router';
import { DEFAULT_REFERENCE_ID_PREFIX } from '@imprimatur/domain/rendering';
import { articleQueries, useArticleAction, useInvalidateArticle, useLastSignedRevision } from '../api/articles';
import { commentQueries } from '../api/comments';
import type {
  Anchor as TextAnchor,
  Article,
  Comment,
  Revision,
  SignoffDecision,
  User,
  VariantHtml,
} from '../api/types';
import { useUsers } from '../api/users';
import { hasRole, useUser } from '../auth/session';
import { ReferenceList, StoredHtmlView } from '../components/ArticleText';
import { CheckBadges, StateBadge } from '../components/badges';
import { ChangeSignificance } from '../components/ChangeSignificance';
import { ChecksPanel } from '../components/ChecksPanel';
import { CommentsPanel, NewComment, participantNames, type QuotedPassage } from '../components/CommentsPanel';
import { FloatingCommentButton } from '../components/FloatingCommentButton';
import { ReasonAction } from '../components/ReasonAction';
import { ContentHash } from '../components/Signatures';
import { SignoffDialog } from '../components/SignoffDialog';
import { ErrorState, Loading } from '../components/states';
import { anchorFromSelection, normalise } from '../lib/anchor';
import { AUDIENCE_LABEL } from '../lib/content';
import { plural } from '../lib/format';
import { highlightPlacements, type PlacedQuote } from '../lib/highlight';
import { sanitiseArticleHtml } from '../lib/render';
import { usePageTitle } from '../lib/usePageTitle';

/** The stored HTML's citations link to `#ref-n`, as on the reader page: the reference list beside it has those ids. */
const REFERENCE_ID_PREFIX = DEFAULT_REFERENCE_ID_PREFIX;

/**
 * The revision's body as the server stored it when the revision was written (contract §12): the HTML
 * that is hashed, signed and published byte for byte, not a rendering of our own. Selecting text in it
 * starts a comment anchored to that text (in the Markdown body); open comments are marked in it where
 * the server placed them on this revision (contract §19).
 */
function ReviewText({
  revision,
  placed,
  containerRef,
}: {
  revision: Revision;
  placed: PlacedQuote[];
  containerRef: RefObject<HTMLDivElement | null>;
}) {
  const { body, bodyHtml } = revision;
  const html = useMemo(() => sanitiseArticleHtml(bodyHtml), [bodyHtml]);
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    container.innerHTML = html;
    highlightPlacements(container, body, placed);
  }, [html, body, placed, containerRef]);
  return (
    <Typography>
      <div ref={containerRef} className="article-text" />
    </Typography>
  );
}

/** Selections outside the body are quoted, not anchored: the parts of the revision they may come from, by name. */
const PASSAGE = 'data-passage';

/**
 * What the selection inside `article` is about: an anchor in the body (contract §5), a quoted
 * passage of another part (summary, references, a version), or why it cannot be commented on.
 */
function readSelection(
  article: HTMLElement,
  bodyText: HTMLElement | null,
  body: string,
): { anchor: TextAnchor } | { passage: QuotedPassage } | { problem: string } | null {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!article.contains(range.startContainer) || !article.contains(range.endContainer)) return null;
  if (bodyText?.contains(range.startContainer) && bodyText.contains(range.endContainer))
    return anchorFromSelection(bodyText, body);
  const text = normalise(selection.toString()).trim();
  if (!text) return null;
  const node = range.commonAncestorContainer;
  const part = (node instanceof Element ? node : node.parentElement)?.closest(`[${PASSAGE}]`);
  if (!part || !article.contains(part)) return { problem: 'Select text within one part of the article.' };
  if (text.length > 2000) return { problem: 'Select at most 2,000 characters.' };
  return { passage: { where: part.getAttribute(PASSAGE) ?? 'article', text } };
}

/**
 * An audience's version as the server stored it with the revision: its title (or the article's), its
 * summary (or the article's) and its body, all rendered when the revision was written. Comments anchor
 * to the professional body only (contract §5): a selection here is quoted in the comment's text.
 */
function VariantText({ revision, html }: { revision: Revision; html: VariantHtml }) {
  const variant = revision.variants.find((v) => v.audience === html.audience);
  const label = AUDIENCE_LABEL[html.audience];
  const id = `version-${html.audience}`;
  // What readers of this version are shown from the article itself.
  const borrowed = [!variant?.title && 'title', !variant?.summary && revision.summary && 'summary'].filter(
    (field): field is string => Boolean(field),
  );
  return (
    <Stack
      gap="sm"
      component="section"
      aria-labelledby={id}
      className="audience-version"
      {...{ [PASSAGE]: `${label.toLowerCase()} version` }}
    >
      <Text size="xs" tt="uppercase" fw={700} c="dimmed" component="h2" id={id} m={0}>
        {label} version
      </Text>
      <Title order={3} size="h3">
        {variant?.title ?? revision.title}
      </Title>
      {borrowed.length > 0 && (
        <Text size="xs" c="dimmed">
          Shown with the article’s {borrowed.join(' and ')}: this version has no {borrowed.join(' or ')} of its own.
        </Text>
      )}
      {html.summaryHtml && <StoredHtmlView html={html.summaryHtml} />}
      <StoredHtmlView html={html.bodyHtml} />
      <Text size="xs" c="dimmed">
        Selected text of the {label.toLowerCase()} version is quoted in the comment: only passages of the professional
        body are marked in the text and followed across revisions.
      </Text>
    </Stack>
  );
}

function ConflictButton({ article }: { article: Article }) {
  return (
    <ReasonAction
      article={article}
      action="declareConflict"
      label="Declare a conflict of interest"
      title="Declare a conflict of interest"
      explanation="You will be unassigned from this article and your sign-offs on it stop counting."
      confirmLabel="Declare conflict"
      buttonProps={{ variant: 'subtle', color: 'gray', size: 'xs' }}
    />
  );
}

/** The article's author who is not on its board (nor an admin): their place is the editor, not the review. */
const isAuthorOnly = (article: Article, me: User) =>
  article.authorId === me.id &&
  hasRole(me, 'editor') &&
  !hasRole(me, 'admin') &&
  !article.reviewers.some((r) => r.id === me.id);

/** Which sign-off dialog is open; a new `key` each time it opens, so that its form starts afresh. */
interface DialogState {
  opened: boolean;
  decision: SignoffDecision;
  key: number;
}

export function ReviewWorkspace() {
  const { id = '' } = useParams();
  const me = useUser();
  const article = useQuery(articleQueries.detail(id));
  const current = article.data?.currentRevision;
  const revision = useQuery({ ...articleQueries.revision(id, current ?? 0), enabled: current !== undefined });
  // Placed on the revision shown (contract §19): every open comment whose quote is still in it is marked there.
  const comments = useQuery({ ...commentQueries.list(id, current ?? 0), enabled: current !== undefined });
  const users = useUsers({ enabled: hasRole(me, 'admin') });
  const lastSignoff = useLastSignedRevision(id, me.id).data ?? null;
  const refresh = useInvalidateArticle(id);
  const [anchor, setAnchor] = useState<TextAnchor | null>(null);
  const [passage, setPassage] = useState<QuotedPassage | null>(null);
  const newCommentRef = useRef<HTMLDivElement>(null);
  const commentFieldRef = useRef<HTMLTextAreaElement>(null);
  const articleRef = useRef<HTMLElement>(null);
  const bodyTextRef = useRef<HTMLDivElement>(null);
  // Phones: no hover and no room beside the text, so a button by the selection leads to the comment form.
  const phone = useMediaQuery('(max-width: 47.99em)') ?? false;
  const [selectionProblem, setSelectionProblem] = useState<string | null>(null);
  const [dialog, setDialog] = useState<DialogState>({ opened: false, decision: 'approve', key: 0 });
  const openDialog = (decision: SignoffDecision) => setDialog((d) => ({ opened: true, decision, key: d.key + 1 }));
  const closeDialog = () => setDialog((d) => ({ ...d, opened: false }));
  const [signedNotice, setSignedNotice] = useState<string | null>(null);
  const decisionRef = useRef<HTMLDivElement>(null);
  // The dialog hands the focus back to the button that opened it, which a decision may have removed
  // or disabled: then the decision itself takes it (WCAG 2.4.3), after the modal's own return.
  const focusDecision = () =>
    window.setTimeout(() => {
      if (document.activeElement === document.body || document.activeElement === null) decisionRef.current?.focus();
    }, 60);
  usePageTitle(article.data ? `Review: ${article.data.title}` : 'Review');
  const startReview = useArticleAction(id, 'startReview');

  const placed = useMemo(
    () =>
      (comments.data ?? []).flatMap((c): PlacedQuote[] =>
        !c.resolved && c.placement?.status === 'anchored' && c.placement.start !== null && c.placement.end !== null
          ? [{ id: c.id, start: c.placement.start, end: c.placement.end, blocking: c.blocking }]
          : [],
      ),
    [comments.data],
  );

  if (article.isError) return <ErrorState error={article.error} onRetry={() => void article.refetch()} />;
  // The article's author answers the board in the editor, where the comments stand beside the text.
  if (article.data && isAuthorOnly(article.data, me))
    return (
      <Navigate
        to={`/articles/${id}/edit`}
        replace
        state={{
          notice: 'You wrote this article: its reviewers’ comments are beside the text here, to answer or resolve.',
        }}
      />
    );
  if (revision.isError) return <ErrorState error={revision.error} onRetry={() => void revision.refetch()} />;
  if (!article.data || !revision.data) return <Loading label="Loading the revision…" />;

  const a = article.data;
  const rev = revision.data;
  const hasVariants = rev.variantsHtml.length > 0;
  const assigned = a.reviewers.some((r) => r.id === me.id);
  const mySignoff = a.signoffs.find((s) => s.reviewer.id === me.id);
  // A sign-off (or a comment) on a submitted article starts its review by itself (contract §19).
  const canSignOff = assigned && (a.state === 'under_review' || a.state === 'submitted');
  const canComment = a.state !== 'archived';
  const nameOf = participantNames(a, me, users.data);
  const capture = (andFocus = false) => {
    if (!articleRef.current) return;
    const result = readSelection(articleRef.current, bodyTextRef.current, rev.body);
    if (!result) return;
    if ('problem' in result) setSelectionProblem(result.problem);
    else {
      setSelectionProblem(null);
      setAnchor('anchor' in result ? result.anchor : null);
      setPassage('passage' in result ? result.passage : null);
    }
    // Versions side by side (or a phone's one column) put the comment form under them, perhaps out of sight.
    if (andFocus) {
      commentFieldRef.current?.focus({ preventScroll: true });
      newCommentRef.current?.scrollIntoView({ block: 'nearest' });
    } else if (hasVariants) newCommentRef.current?.scrollIntoView({ block: 'nearest' });
  };
  const jumpToMark = (comment: Comment) => {
    const mark = bodyTextRef.current?.querySelector<HTMLElement>(`mark[data-comment="${comment.id}"]`);
    if (!mark) return false;
    mark.tabIndex = -1;
    mark.focus({ preventScroll: true });
    mark.scrollIntoView({ block: 'center' });
    return true;
  };

  return (
    <Stack>
      <Stack gap={4}>
        <Title order={1}>Review: {a.title}</Title>
        <Group gap="xs">
          <StateBadge state={a.state} />
          <Text size="sm">
            Revision {rev.number}, content <ContentHash hash={rev.contentHash} />
          </Text>
          <CheckBadges checks={a.checks} />
        </Group>
      </Stack>

      {/* Before anyone signs: what kind of change this is, and why (contract §15). */}
      <Paper withBorder p="sm" component="section" aria-label="Change class">
        <ChangeSignificance revision={rev.number} changeClass={rev.changeClass} changes={rev.changes} />
      </Paper>

      <Group gap="sm">
        {a.state === 'submitted' && assigned && (
          <Button onClick={() => startReview.mutate()} loading={startReview.isPending}>
            Start the review
          </Button>
        )}
        {canSignOff && (
          <>
            <Button color="green" onClick={() => openDialog('approve')}>
              Approve revision {rev.number}
            </Button>
            <Button color="orange" variant="outline" onClick={() => openDialog('request_changes')}>
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
      {!assigned && !hasRole(me, 'admin') && (
        <Alert color="gray">You are not assigned to review this article: you can read it but not sign it off.</Alert>
      )}
      {a.state === 'submitted' && assigned && (
        <Text size="sm">
          The editor submitted this revision. Your first comment or sign-off starts the review, or start it now.
        </Text>
      )}
      {startReview.isError && <ErrorState error={startReview.error} title="The review did not start" />}
      <div ref={decisionRef} tabIndex={-1}>
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
      </div>

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7, lg: hasVariants ? 12 : 7 }}>
          <Paper
            withBorder
            p="md"
            component="article"
            aria-label={`Revision ${rev.number}`}
            ref={articleRef}
            onMouseUp={() => capture()}
            onKeyUp={() => capture()}
            onTouchEnd={() => capture()}
          >
            <Stack gap="sm">
              {rev.changeNote && (
                <Alert color="blue" title={`Change note, revision ${rev.number}`}>
                  {rev.changeNote}
                </Alert>
              )}
              {hasVariants && (
                <Text size="sm">
                  This revision is written for {plural(rev.variantsHtml.length + 1, 'audience')}; one sign-off covers
                  every version.
                </Text>
              )}
              {/* Wide screens (≥ 1200 px): the versions side by side; narrower, one after the other under their headings. */}
              <SimpleGrid cols={{ base: 1, lg: Math.min(1 + rev.variantsHtml.length, 3) }} spacing="lg">
                <Stack
                  gap="sm"
                  component={hasVariants ? 'section' : 'div'}
                  aria-labelledby={hasVariants ? 'version-professional' : undefined}
                  className={hasVariants ? 'audience-version' : undefined}
                >
                  {hasVariants && (
                    <Text size="xs" tt="uppercase" fw={700} c="dimmed" component="h2" id="version-professional" m={0}>
                      {AUDIENCE_LABEL.professional} version
                    </Text>
                  )}
                  <Title order={hasVariants ? 3 : 2} size="h3" {...{ [PASSAGE]: 'title' }}>
                    {rev.title}
                  </Title>
                  {rev.summaryHtml && (
                    <div {...{ [PASSAGE]: 'summary' }}>
                      <StoredHtmlView html={rev.summaryHtml} />
                    </div>
                  )}
                  <ReviewText revision={rev} placed={placed} containerRef={bodyTextRef} />
                </Stack>
                {rev.variantsHtml.map((html) => (
                  <VariantText key={html.audience} revision={rev} html={html} />
                ))}
              </SimpleGrid>
              <div {...{ [PASSAGE]: 'references' }}>
                <ReferenceList references={rev.references} idPrefix={REFERENCE_ID_PREFIX} />
              </div>
            </Stack>
          </Paper>
          <FloatingCommentButton container={articleRef} enabled={phone && canComment} onComment={() => capture(true)} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5, lg: hasVariants ? 12 : 5 }}>
          {/* With the versions side by side across the screen, the panels go under them, side by side too. */}
          <SimpleGrid cols={{ base: 1, lg: hasVariants ? 2 : 1 }} spacing="lg">
            {canComment && (
              <Paper withBorder p="md" ref={newCommentRef}>
                {selectionProblem && (
                  <Text c="orange.9" size="sm" role="status" mb="xs">
                    {selectionProblem}
                  </Text>
                )}
                <NewComment
                  articleId={id}
                  revisionBody={rev.body}
                  anchor={anchor}
                  passage={passage}
                  onClearAnchor={() => {
                    setAnchor(null);
                    setPassage(null);
                  }}
                  textareaRef={commentFieldRef}
                />
              </Paper>
            )}
            <Paper withBorder p="md">
              <CommentsPanel
                article={a}
                revision={rev.number}
                nameOf={nameOf}
                canAct={canComment}
                me={me}
                onJump={jumpToMark}
              />
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
                    const s = a.signoffs.find((x) => x.reviewer.id === r.id);
                    return (
                      <Group key={r.id} gap={6}>
                        <Text size="sm">{r.id === me.id ? 'You' : r.name}:</Text>
                        <Badge
                          size="sm"
                          variant="light"
                          color={s ? (s.decision === 'approve' ? 'green' : 'orange') : 'gray'}
                        >
                          {s ? (s.decision === 'approve' ? 'approved' : 'requested changes') : 'no verdict yet'}
                        </Badge>
                      </Group>
                    );
                  })}
                </Stack>
              </Paper>
            )}
          </SimpleGrid>
        </Grid.Col>
      </Grid>

      <SignoffDialog
        key={dialog.key}
        articleId={id}
        revision={rev.number}
        // The hash of the revision on the screen (the article's currentContentHash, once loaded): should
        // the two ever differ, the API refuses the sign-off rather than record one for text not shown.
        contentHash={rev.contentHash}
        significance={{ changeClass: rev.changeClass, changes: rev.changes }}
        signer={{ id: me.id, name: me.name, credentials: me.credentials }}
        comments={comments.data}
        opened={dialog.opened}
        initialDecision={dialog.decision}
        onClose={closeDialog}
        onStale={() => {
          closeDialog();
          refresh();
        }}
        onDone={(result) => {
          closeDialog();
          focusDecision();
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
