import { Paper, Stack, Text, Title } from '@mantine/core';
import { memo } from 'react';
import { MarkdownView, ReferenceList } from '../../components/ArticleText';
import { contentFromDraft, type ArticleDraft } from '../../lib/content';

const ID_PREFIX = 'preview-ref-';

/**
 * The draft as readers will see it (the shared renderer), citations linking to its reference list.
 * Memoised: given the deferred draft, a keystroke's urgent render skips it.
 */
export const EditorPreview = memo(function EditorPreview({ draft }: { draft: ArticleDraft }) {
  return (
    <Paper
      withBorder
      p="md"
      component="section"
      className="preview sticky-panel"
      aria-labelledby="preview-title"
      tabIndex={0}
    >
      <Stack gap="sm">
        <Text size="xs" tt="uppercase" fw={700} c="dimmed" id="preview-title">
          Preview
        </Text>
        <Title order={2} size="h3">
          {draft.title || 'Untitled'}
        </Title>
        {draft.summary.trim() && (
          <MarkdownView markdown={draft.summary} referenceCount={draft.references.length} idPrefix={ID_PREFIX} />
        )}
        <MarkdownView markdown={draft.body} referenceCount={draft.references.length} idPrefix={ID_PREFIX} />
        <ReferenceList references={contentFromDraft(draft).references} idPrefix={ID_PREFIX} />
      </Stack>
    </Paper>
  );
});
