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
import { useState } from 'react';
import { commentQueries, useAddComment, useResolveComment } from '../api/comments';
import { errorMessage } from '../api/client';
import type { Anchor, Article, Comment } from '../api/types';
import { locateQuote } from '../lib/anchor';
import { formatDateTime } from '../lib/format';
import { Empty, QueryView } from './states';

export type NameOf = (userId: string) => string;

function ReplyForm({ articleId, parent, onDone }: { articleId: string; parent: Comment; onDone: () => void }) {
  const [body, setBody] = useState('');
  const reply = useAddComment(articleId);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (body.trim())
          reply.mutate({ body: body.trim(), blocking: false, parentId: parent.id }, { onSuccess: onDone });
      }}
    >
      <Stack gap={6}>
        <Textarea
          label="Reply"
          autosize
          minRows={2}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          data-autofocus
        />
        {reply.isError && (
          <Text c="red.8" size="sm" role="alert">
            {errorMessage(reply.error)}
          </Text>
        )}
        <Group gap="xs">
          <Button size="xs" type="submit" loading={reply.isPending} disabled={!body.trim()}>
            Send reply
          </Button>
          <Button size="xs" variant="default" onClick={onDone}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Thread({
  comment,
  replies,
  articleId,
  nameOf,
  canAct,
}: {
  comment: Comment;
  replies: Comment[];
  articleId: string;
  nameOf: NameOf;
  canAct: boolean;
}) {
  const [replying, setReplying] = useState(false);
  const resolve = useResolveComment(articleId);
  return (
    <Card withBorder component="li" padding="sm" id={`comment-${comment.id}`}>
      <Stack gap={6}>
        <Group gap={6} justify="space-between">
          <Text size="sm" fw={600}>
            {nameOf(comment.authorId)}
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
            {comment.placement?.status === 'outdated' && (
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
            <span className="visually-hidden">Quoted: </span>“{comment.anchor.quote}”
          </Blockquote>
        )}
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {comment.body}
        </Text>
        {replies.map((r) => (
          <Stack key={r.id} gap={2} pl="sm" style={{ borderLeft: '2px solid var(--mantine-color-gray-4)' }}>
            <Text size="xs" fw={600}>
              {nameOf(r.authorId)} · {formatDateTime(r.createdAt)}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {r.body}
            </Text>
          </Stack>
        ))}
        {canAct && !replying && (
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={() => setReplying(true)}>
              Reply
            </Button>
            {!comment.resolved && (
              <Button
                size="xs"
                variant="outline"
                color="green"
                onClick={() => resolve.mutate(comment.id)}
                loading={resolve.isPending}
              >
                Resolve
              </Button>
            )}
          </Group>
        )}
        {replying && <ReplyForm articleId={articleId} parent={comment} onDone={() => setReplying(false)} />}
        {resolve.isError && (
          <Text c="red.8" size="sm" role="alert">
            {errorMessage(resolve.error)}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

/** New comment: on the selected quote (the anchor) or on the article as a whole. */
export function NewComment({
  articleId,
  revisionBody,
  anchor,
  onClearAnchor,
}: {
  articleId: string;
  /** The Markdown of the revision under review: a typed quote is looked up in it. */
  revisionBody: string;
  anchor: Anchor | null;
  onClearAnchor: () => void;
}) {
  const [body, setBody] = useState('');
  const [blocking, setBlocking] = useState(false);
  const [typedQuote, setTypedQuote] = useState('');
  const [quoteError, setQuoteError] = useState<string | null>(null);
  const create = useAddComment(articleId);
  const send = () => {
    if (!body.trim()) return;
    let target = anchor;
    if (!target && typedQuote.trim()) {
      target = locateQuote(revisionBody, typedQuote);
      if (!target) {
        setQuoteError('That text does not occur in this revision. Copy it exactly from the article.');
        return;
      }
    }
    setQuoteError(null);
    create.mutate(
      { body: body.trim(), blocking, ...(target ? { anchor: target } : {}) },
      {
        onSuccess: () => {
          setBody('');
          setBlocking(false);
          setTypedQuote('');
          onClearAnchor();
        },
      },
    );
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
      aria-labelledby="new-comment-title"
    >
      <Stack gap="xs">
        <Title order={3} size="h5" id="new-comment-title">
          {anchor ? 'Comment on the selected text' : 'New comment'}
        </Title>
        {anchor ? (
          <Group gap="xs" align="flex-start" wrap="nowrap">
            <Blockquote p={6} fz="sm" style={{ flex: 1 }}>
              “{anchor.quote}”
            </Blockquote>
            <Button size="xs" variant="subtle" onClick={onClearAnchor}>
              Clear
            </Button>
          </Group>
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

export function CommentsPanel({ article, nameOf, canAct }: { article: Article; nameOf: NameOf; canAct: boolean }) {
  const comments = useQuery(commentQueries.list(article.id));
  const [filter, setFilter] = useState<'open' | 'all'>('open');
  return (
    <Stack gap="sm" component="section" aria-labelledby="threads-title">
      <Group justify="space-between">
        <Title order={2} size="h4" id="threads-title">
          Comments
        </Title>
        <SegmentedControl
          size="xs"
          value={filter}
          onChange={(v) => setFilter(v)}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'all', label: 'All' },
          ]}
          aria-label="Which comments"
        />
      </Group>
      <QueryView query={comments} loadingLabel="Loading comments…">
        {(items) => {
          const top = items.filter((c) => !c.parentId && (filter === 'all' || !c.resolved));
          const openBlocking = items.filter((c) => c.blocking && !c.resolved).length;
          return (
            <Stack gap="xs">
              <Text size="sm">
                {openBlocking === 0
                  ? 'No open blocking comment.'
                  : `${openBlocking} open blocking comment${openBlocking === 1 ? '' : 's'}: approval waits for them.`}
              </Text>
              {top.length === 0 ? (
                <Empty>{filter === 'open' ? 'No open comments.' : 'No comments yet.'}</Empty>
              ) : (
                <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
                  {top.map((c) => (
                    <Thread
                      key={c.id}
                      comment={c}
                      replies={items.filter((r) => r.parentId === c.id)}
                      articleId={article.id}
                      nameOf={nameOf}
                      canAct={canAct}
                    />
                  ))}
                </Stack>
              )}
            </Stack>
          );
        }}
      </QueryView>
    </Stack>
  );
}
