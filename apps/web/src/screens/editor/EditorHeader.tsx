import { Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { Article } from '../../api/types';
import { StateBadge } from '../../components/badges';

/** The editor's heading: what is edited, on which revision, and the way to the article's other screens. */
export function EditorHeader({ article, base }: { article: Article | null; base: number | null }) {
  return (
    <Group justify="space-between" align="flex-start">
      <Stack gap={4}>
        <Title order={1}>{article ? `Edit: ${article.title}` : 'New article'}</Title>
        {article && (
          <Group gap="xs">
            <StateBadge state={article.state} />
            <Text size="sm" c="dimmed">
              Editing on revision {base} · {article.slug}
            </Text>
          </Group>
        )}
      </Stack>
      {article && (
        <Group gap="sm">
          <Anchor component={Link} to={`/articles/${article.id}`} size="sm">
            Article overview
          </Anchor>
          <Anchor component={Link} to={`/articles/${article.id}/timeline`} size="sm">
            Timeline
          </Anchor>
          {article.currentRevision > 1 && (
            <Anchor component={Link} to={`/articles/${article.id}/compare`} size="sm">
              Compare revisions
            </Anchor>
          )}
        </Group>
      )}
    </Group>
  );
}
