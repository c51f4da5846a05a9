import { Anchor, Badge, Blockquote, Code, Group, Stack, Text, Timeline as MantineTimeline, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { articleQueries, type TimelineEntry } from '../api/articles';
import { Empty, QueryView } from '../components/states';
import { formatDateTime, humanAction, shortHash } from '../lib/format';
import { usePageTitle } from '../lib/usePageTitle';

const KIND: Record<string, { color: string; label: string }> = {
  revision: { color: 'blue', label: 'Revision' },
  article: { color: 'indigo', label: 'Transition' },
  reviewers: { color: 'grape', label: 'Assignment' },
  conflict: { color: 'grape', label: 'Assignment' },
  review: { color: 'indigo', label: 'Transition' },
  comment: { color: 'yellow', label: 'Comment' },
  signoff: { color: 'green', label: 'Sign-off' },
  checks: { color: 'cyan', label: 'Check' },
};

function kindOf(action: string) {
  const prefix = action.split('.')[0];
  if (action === 'article.published' || action === 'article.unpublished')
    return { color: 'teal', label: 'Publication' };
  if (action === 'signoff.dismissed') return { color: 'gray', label: 'Dismissal' };
  if (action === 'article.created') return KIND.revision;
  return KIND[prefix] ?? { color: 'gray', label: 'Event' };
}

/** The entry's data in words, for the actions people care about; the rest as compact JSON. */
export function describe(entry: TimelineEntry): string | null {
  const d = entry.data;
  const s = (key: string): string | null => {
    const value = d[key];
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
  };
  switch (entry.action) {
    case 'article.created':
      return s('title') ? `“${s('title')}” at /${s('slug') ?? ''}` : null;
    case 'revision.created': {
      const state = d.state as { from?: string; to?: string } | undefined;
      return [
        `Revision ${s('number') ?? '?'}`,
        s('title') && `“${s('title')}”`,
        s('references') && `${s('references')} references`,
        s('changeNote') && `— ${s('changeNote')}`,
        state?.from && state.to && `(${state.from.replace(/_/g, ' ')} → ${state.to.replace(/_/g, ' ')})`,
      ]
        .filter(Boolean)
        .join(' ');
    }
    case 'comment.created':
      return `${d.blocking === true ? 'Blocking comment' : d.parentId ? 'Reply' : 'Comment'} on revision ${s('revision') ?? '?'}${d.anchored === true ? ', on a quoted passage' : ''}`;
    case 'comment.resolved':
      return `${d.blocking === true ? 'Blocking comment' : 'Comment'} resolved`;
    case 'signoff.recorded': {
      const hash = s('contentHash');
      return `${d.decision === 'approve' ? 'Approved' : 'Requested changes on'} revision ${s('revision')}${hash ? ` (content ${shortHash(hash)})` : ''}${s('note') ? `: “${s('note')}”` : ''}`;
    }
    case 'signoff.dismissed':
      return `Sign-off on revision ${s('revision') ?? '?'} no longer counts${s('reason') ? ` (${s('reason')})` : ''}`;
    case 'checks.completed':
      return `${s('check') ?? 'Check'}: ${s('status') ?? ''}${s('revision') ? ` on revision ${s('revision')}` : ''}`;
    case 'reviewers.assigned': {
      const count = (key: string) => (Array.isArray(d[key]) ? (d[key] as unknown[]).length : 0);
      return `${count('reviewerIds')} reviewer(s) assigned: ${count('added')} added, ${count('removed')} removed`;
    }
    default:
      if (s('from') && s('to'))
        return `${s('from')?.replace(/_/g, ' ')} → ${s('to')?.replace(/_/g, ' ')}${s('reason') ? `: ${s('reason')}` : ''}`;
      return null;
  }
}

export function Timeline() {
  const { id = '' } = useParams();
  const article = useQuery(articleQueries.detail(id));
  const history = useQuery(articleQueries.history(id));
  usePageTitle(article.data ? `Timeline: ${article.data.title}` : 'Timeline');
  return (
    <Stack>
      <Stack gap={4}>
        <Title order={1}>Timeline{article.data ? `: ${article.data.title}` : ''}</Title>
        <Group gap="sm">
          <Anchor component={Link} to={`/articles/${id}`} size="sm">
            Article overview
          </Anchor>
          <Anchor component={Link} to={`/articles/${id}/compare`} size="sm">
            Compare revisions
          </Anchor>
        </Group>
      </Stack>
      <QueryView query={history} loadingLabel="Loading the timeline…">
        {(entries) =>
          entries.length === 0 ? (
            <Empty>Nothing has happened yet.</Empty>
          ) : (
            <MantineTimeline
              bulletSize={14}
              lineWidth={2}
              active={entries.length}
              component="ol"
              aria-label="Events, oldest first"
              style={{ listStyle: 'none', paddingLeft: 0 }}
            >
              {entries.map((entry) => {
                const kind = kindOf(entry.action);
                const words = describe(entry);
                return (
                  <MantineTimeline.Item
                    key={entry.seq}
                    color={kind.color}
                    component="li"
                    title={
                      <Group gap={6}>
                        <Text fw={600} size="sm">
                          {humanAction(entry.action)}
                        </Text>
                        <Badge size="xs" variant="light" color={kind.color}>
                          {kind.label}
                        </Badge>
                      </Group>
                    }
                  >
                    <Text size="sm" c="dimmed">
                      {formatDateTime(entry.at)} · {entry.actor?.email ?? 'the system'}
                    </Text>
                    {words ? (
                      <>
                        <Text size="sm">{words}</Text>
                        {/* The comment's text (its first 280 characters), which the audit entry does not hold. */}
                        {entry.commentText && (
                          <Blockquote p={6} mt={4} fz="sm" color="yellow" style={{ whiteSpace: 'pre-wrap' }}>
                            <span className="visually-hidden">Comment text: </span>
                            {entry.commentText}
                          </Blockquote>
                        )}
                      </>
                    ) : (
                      Object.keys(entry.data).length > 0 && (
                        <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                          {JSON.stringify(entry.data)}
                        </Code>
                      )
                    )}
                  </MantineTimeline.Item>
                );
              })}
            </MantineTimeline>
          )
        }
      </QueryView>
    </Stack>
  );
}
