import {
  Alert,
  Badge,
  Blockquote,
  Button,
  Card,
  Group,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useId, useRef, useState, type Ref } from 'react';
import { commentQueries, useAddComment, useResolveComment } from '../api/comments';
import { errorMessage } from '../api/client';
import type { Anchor, Article, Comment, User } from '../api/types';
import { hasRole } from '../auth/session';
import { locateQuote } from '../lib/anchor';
import { formatDateTime } from '../lib/format';
import { Empty, QueryView } from './states';

export type NameOf = (userId: string) => string;

/** Who wrote a comment, in the words of the screens: "You", a reviewer with credentials, a user's name, or their part. */
export function participantNames(article: Article, me: User, users: User[] | undefined): NameOf {
  return (userId) => {
    if (userId === me.id) return 'You';
    const reviewer = article.reviewers.find((r) => r.id === userId);
    if (reviewer) return `${reviewer.name}${reviewer.credentials ? `, ${reviewer.credentials}` : ''} (reviewer)`;
    const user = users?.find((u) => u.id === userId);
    if (user) return user.name;
    return userId === article.authorId ? 'The author (editor)' : 'A participant';
  };
}

/**
 * Whether `me` may resolve the comment (contract §5): a blocking comment only its author or an admin,
 * any other any participant. The reason, when not, is shown instead of the button.
 */
export function mayResolve(comment: Comment, me: User): { allowed: true } | { allowed: false; reason: string } {
  if (!comment.blocking || comment.authorId === me.id || hasRole(me, 'admin')) return { allowed: true };
  return { allowed: false, reason: 'Blocking: only its author or an admin can resolve it.' };
}

/**
 * Focuses the element `id` once the list shows it (a new comment appears a frame or two after its
 * answer, when the query cache has told the list), else, after a few frames, the fallback.
 */
function focusWhenShown(id: string, fallback: () => HTMLElement | null, frames = 10) {
  const element = document.getElementById(id);
  if (element) element.focus();
  else if (frames === 0) fallback()?.focus();
  else requestAnimationFrame(() => focusWhenShown(id, fallback, frames - 1));
}

/** A quote in a thread's name: enough words to tell threads apart. */
const short = (quote: string) => (quote.length > 60 ? `${quote.slice(0, 59).trimEnd()}…` : quote);

/** The DOM id of a comment's thread, which takes the focus after an action on it. */
export const threadId = (commentId: string) => `comment-${commentId}`;

function ReplyForm({
  articleId,
  parent,
  author,
  onSent,
}: {
  articleId: string;
  parent: Comment;
  author: string;
  onSent: () => void;
}) {
  const [body, setBody] = useState('');
  const reply = useAddComment(articleId);
  const send = () => {
    if (!body.trim() || reply.isPending) return;
    reply.mutate(
      { body: body.trim(), blocking: false, parentId: parent.id },
      {
        onSuccess: () => {
          setBody('');
          onSent();
        },
      },
    );
  };
  // Not a <form>: in the editor the thread stands inside the article's own form, and forms do not nest.
  return (
    <Stack gap={6}>
      <Textarea
        // Not "comment": the new-comment field is named "Comment", and the names should not overlap.
        label={author === 'You' ? 'Add a follow-up' : `Reply to ${author}`}
        description="Ctrl+Enter sends"
        autosize
        minRows={1}
        maxLength={10000}
        value={body}
        onChange={(e) => setBody(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            send();
          }
        }}
        size="sm"
      />
      {reply.isError && (
        <Text c="red.8" size="sm" role="alert">
          {errorMessage(reply.error)}
        </Text>
      )}
      <Group gap="xs">
        <Button size="xs" onClick={send} loading={reply.isPending} disabled={!body.trim()}>
          Send reply
        </Button>
      </Group>
    </Stack>
  );
}

/** A comment, its replies, a reply box, and what the user may do with it. */
function Thread({
  comment,
  replies,
  articleId,
  nameOf,
  canAct,
  me,
  onJump,
  onResolved,
}: {
  comment: Comment;
  replies: Comment[];
  articleId: string;
  nameOf: NameOf;
  canAct: boolean;
  me: User;
  /** Shows the anchored passage; false when it cannot be found (then the thread says so). */
  onJump?: (comment: Comment) => boolean;
  onResolved: (comment: Comment) => void;
}) {
  const resolve = useResolveComment(articleId);
  const cardRef = useRef<HTMLLIElement>(null);
  const headingId = useId();
  const [notice, setNotice] = useState<string | null>(null);
  const [jumpProblem, setJumpProblem] = useState<string | null>(null);
  const outdated = comment.placement?.status === 'outdated';
  const anchored = comment.placement?.status === 'anchored';
  const rule = mayResolve(comment, me);
  const author = nameOf(comment.authorId);
  return (
    <Card
      withBorder
      component="li"
      padding="sm"
      id={threadId(comment.id)}
      ref={cardRef}
      tabIndex={-1}
      aria-labelledby={headingId}
    >
      <Stack gap={6}>
        <Group gap={6} justify="space-between">
          <Text size="sm" fw={600} id={headingId}>
            {author}
            <span className="visually-hidden">
              {`: ${comment.blocking ? 'blocking comment' : 'comment'}${comment.anchor ? ` on “${short(comment.anchor.quote)}”` : ''}${comment.resolved ? ', resolved' : ''}`}
            </span>
          </Text>
          <Group gap={4}>
            {comment.blocking && (
              <Badge color="red" variant={comment.resolved ? 'outline' : 'filled'} size="sm">
                Blocking
              </Badge>
            )}
            {comment.resolved && (
              <Badge color="green" variant="light" size="sm">
                Resolved
              </Badge>
            )}
            {outdated && (
              <Badge color="gray" variant="light" size="sm" title="The quoted text is no longer in this revision">
                Outdated
              </Badge>
            )}
          </Group>
        </Group>
        <Text size="xs" c="dimmed">
          On revision {comment.revision} · {formatDateTime(comment.createdAt)}
        </Text>
        {comment.anchor && (
          <Blockquote p={6} color={comment.blocking ? 'red' : 'yellow'} fz="sm">
            <span className="visually-hidden">{outdated ? 'Originally quoted: ' : 'Quoted: '}</span>“
            {comment.anchor.quote}”
          </Blockquote>
        )}
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {comment.body}
        </Text>
        {replies.length > 0 && (
          <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Replies">
            {replies.map((r) => (
              <Stack
                key={r.id}
                component="li"
                gap={2}
                pl="sm"
                style={{ borderLeft: '2px solid var(--mantine-color-gray-4)' }}
              >
                <Text size="xs" fw={600}>
                  {nameOf(r.authorId)} · {formatDateTime(r.createdAt)}
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {r.body}
                </Text>
              </Stack>
            ))}
          </Stack>
        )}
        {(onJump && anchored) || (canAct && !comment.resolved) ? (
          <Group gap="xs">
            {onJump && anchored && (
              <Button
                size="xs"
                variant="light"
                onClick={() => setJumpProblem(onJump(comment) ? null : 'That passage is no longer in the text.')}
              >
                Jump to passage
              </Button>
            )}
            {canAct && !comment.resolved && rule.allowed && (
              <Button
                size="xs"
                variant="outline"
                color="green"
                loading={resolve.isPending}
                onClick={() => resolve.mutate(comment.id, { onSuccess: () => onResolved(comment) })}
              >
                Resolve
              </Button>
            )}
          </Group>
        ) : null}
        {canAct && !comment.resolved && !rule.allowed && (
          <Text size="xs" c="dimmed">
            {rule.reason}
          </Text>
        )}
        {jumpProblem && (
          <Text size="xs" c="orange.9" role="status">
            {jumpProblem}
          </Text>
        )}
        {resolve.isError && (
          <Text c="red.8" size="sm" role="alert">
            {errorMessage(resolve.error)}
          </Text>
        )}
        {canAct && (
          <ReplyForm
            articleId={articleId}
            parent={comment}
            author={author}
            onSent={() => {
              setNotice('Reply sent.');
              cardRef.current?.focus();
            }}
          />
        )}
        <Text size="xs" c="green.9" role="status">
          {notice}
        </Text>
      </Stack>
    </Card>
  );
}

/** What a comment is written on, when it is not an anchor in the body: a passage of the summary, the references or a version. */
export interface QuotedPassage {
  /** Where, in words: "summary", "references", "patient version". */
  where: string;
  text: string;
}

/** The comment's text, with a quoted passage the server cannot anchor (only body quotes are anchors, contract §5) written first. */
export const withPassage = (body: string, passage: QuotedPassage | null) =>
  passage ? `On the ${passage.where}: “${passage.text}”\n\n${body}` : body;

/** New comment: on the selected quote (the anchor), on a quoted passage elsewhere, or on the article as a whole. */
export function NewComment({
  articleId,
  revisionBody,
  anchor,
  passage = null,
  onClearAnchor,
  textareaRef,
}: {
  articleId: string;
  /** The Markdown of the revision under review: a typed quote is looked up in it. */
  revisionBody: string;
  anchor: Anchor | null;
  passage?: QuotedPassage | null;
  onClearAnchor: () => void;
  textareaRef?: Ref<HTMLTextAreaElement>;
}) {
  const [body, setBody] = useState('');
  const [blocking, setBlocking] = useState(false);
  const [typedQuote, setTypedQuote] = useState('');
  const [quoteError, setQuoteError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const create = useAddComment(articleId);
  const send = () => {
    if (!body.trim()) return;
    let target = anchor;
    if (!target && !passage && typedQuote.trim()) {
      target = locateQuote(revisionBody, typedQuote);
      if (!target) {
        setQuoteError('That text does not occur in this revision. Copy it exactly from the article.');
        return;
      }
    }
    setQuoteError(null);
    create.mutate(
      { body: withPassage(body.trim(), target ? null : passage), blocking, ...(target ? { anchor: target } : {}) },
      {
        onSuccess: (comment) => {
          setBody('');
          setBlocking(false);
          setTypedQuote('');
          onClearAnchor();
          // The new comment's thread takes the focus (the emptied form's button is disabled); else the form's heading.
          focusWhenShown(threadId(comment.id), () => headingRef.current);
        },
      },
    );
  };
  const quoted = anchor?.quote ?? passage?.text ?? null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
      aria-labelledby="new-comment-title"
    >
      <Stack gap="xs">
        <Title order={3} size="h5" id="new-comment-title" ref={headingRef} tabIndex={-1}>
          {quoted !== null ? 'Comment on the selected text' : 'New comment'}
        </Title>
        {quoted !== null ? (
          <>
            <Group gap="xs" align="flex-start" wrap="nowrap">
              <Blockquote p={6} fz="sm" style={{ flex: 1 }}>
                “{quoted}”
              </Blockquote>
              <Button size="xs" variant="subtle" onClick={onClearAnchor}>
                Clear
              </Button>
            </Group>
            {!anchor && passage && (
              <Text size="xs" c="dimmed">
                From the {passage.where}: the comment quotes it in its text (only passages of the body are marked in the
                text and followed across revisions).
              </Text>
            )}
          </>
        ) : (
          <TextInput
            label="Quote (optional)"
            description="Select text in the article, or paste it here, to comment on that passage"
            value={typedQuote}
            onChange={(e) => setTypedQuote(e.currentTarget.value)}
            error={quoteError}
          />
        )}
        <Textarea
          label="Comment"
          autosize
          minRows={2}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          maxLength={10000}
          ref={textareaRef}
        />
        <Switch
          label="Blocking"
          description="Approval waits until this is resolved"
          checked={blocking}
          onChange={(e) => setBlocking(e.currentTarget.checked)}
        />
        {create.isError && (
          <Alert color="red" role="alert">
            {errorMessage(create.error)}
          </Alert>
        )}
        <Group>
          <Button type="submit" size="sm" loading={create.isPending} disabled={!body.trim()}>
            {blocking ? 'Add blocking comment' : 'Add comment'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * The article's comment threads, placed on `revision` (default: the current one, contract §19):
 * those whose quote is still in that revision (or that quote nothing) first, then, apart, the
 * outdated ones with the text they quoted. `onJump` adds "Jump to passage" to anchored threads.
 */
export function CommentsPanel({
  article,
  revision,
  nameOf,
  canAct,
  me,
  onJump,
  title = 'Comments',
}: {
  article: Article;
  revision?: number;
  nameOf: NameOf;
  canAct: boolean;
  me: User;
  onJump?: (comment: Comment) => boolean;
  title?: string;
}) {
  const comments = useQuery(commentQueries.list(article.id, revision));
  const [filter, setFilter] = useState<'open' | 'all'>('open');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  // Threads that stay in the list are in the page already: the focus moves at once.
  const setFocusTarget = (id: string) => (document.getElementById(id) ?? headingRef.current)?.focus();

  return (
    <Stack gap="sm" component="section" aria-labelledby={titleId}>
      <Group justify="space-between">
        <Title order={2} size="h4" id={titleId} ref={headingRef} tabIndex={-1}>
          {title}
        </Title>
        <SegmentedControl
          size="xs"
          value={filter}
          onChange={setFilter}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'all', label: 'All' },
          ]}
          aria-label="Which comments"
        />
      </Group>
      {comments.isError ? (
        // Beside the text being edited or reviewed, not the screen's own failure: shown, not announced as an alert.
        <Stack gap="xs">
          <Text size="sm" c="red.8" fw={600}>
            The comments did not load
          </Text>
          <Text size="sm">{errorMessage(comments.error)}</Text>
          <Group>
            <Button size="xs" variant="default" onClick={() => void comments.refetch()}>
              Try again
            </Button>
          </Group>
        </Stack>
      ) : (
        <QueryView query={comments} loadingLabel="Loading comments…">
          {(items) => {
            const top = items.filter((c) => !c.parentId && (filter === 'all' || !c.resolved));
            const current = top.filter((c) => c.placement?.status !== 'outdated');
            const outdated = top.filter((c) => c.placement?.status === 'outdated');
            const shown = [...current, ...outdated];
            const openBlocking = items.filter((c) => c.blocking && !c.resolved).length;
            // Resolved out of the open list: the next thread takes the focus (or the one before, or the heading).
            const onResolved = (comment: Comment) => {
              if (filter === 'all') return setFocusTarget(threadId(comment.id));
              const i = shown.findIndex((c) => c.id === comment.id);
              const next = shown[i + 1] ?? shown[i - 1];
              setFocusTarget(next ? threadId(next.id) : titleId);
            };
            const thread = (c: Comment) => (
              <Thread
                key={c.id}
                comment={c}
                replies={items.filter((r) => r.parentId === c.id)}
                articleId={article.id}
                nameOf={nameOf}
                canAct={canAct}
                me={me}
                onJump={onJump}
                onResolved={onResolved}
              />
            );
            return (
              <Stack gap="xs">
                <Text size="sm">
                  {openBlocking === 0
                    ? 'No open blocking comment.'
                    : `${openBlocking} open blocking comment${openBlocking === 1 ? '' : 's'}: approval waits for them.`}
                </Text>
                {current.length === 0 && outdated.length === 0 ? (
                  <Empty>{filter === 'open' ? 'No open comments.' : 'No comments yet.'}</Empty>
                ) : (
                  current.length > 0 && (
                    <Stack
                      component="ul"
                      gap="xs"
                      p={0}
                      m={0}
                      style={{ listStyle: 'none' }}
                      aria-label={revision ? `Comments on revision ${revision}` : 'Comments'}
                    >
                      {current.map(thread)}
                    </Stack>
                  )
                )}
                {outdated.length > 0 && (
                  <Stack gap="xs" component="section" aria-label="Outdated comments">
                    <Title order={3} size="h5">
                      Outdated — the quoted text changed
                    </Title>
                    <Text size="xs" c="dimmed">
                      Their quotes are no longer in revision {outdated[0].placement?.revision}: each shows the text it
                      was written on.
                    </Text>
                    <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
                      {outdated.map(thread)}
                    </Stack>
                  </Stack>
                )}
              </Stack>
            );
          }}
        </QueryView>
      )}
    </Stack>
  );
}
