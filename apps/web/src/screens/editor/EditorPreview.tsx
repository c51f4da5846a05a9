import { Paper, Stack, Text, Title } from '@mantine/core';
import { memo } from 'react';
import type { Audience } from '../../api/types';
import { MarkdownView, ReferenceList } from '../../components/ArticleText';
import { AUDIENCE_LABEL, contentFromDraft, type ArticleDraft } from '../../lib/content';

const ID_PREFIX = 'preview-ref-';

/** What readers who chose `audience` get: its version, with the article's title and summary where it has none; the article itself without one. */
function shownText(draft: ArticleDraft, audience: Audience) {
  const variant = audience === 'professional' ? undefined : draft.variants.find((v) => v.audience === audience);
  if (!variant) return { title: draft.title, summary: draft.summary, body: draft.body, variant: false };
  return {
    title: variant.title.trim() || draft.title,
    summary: variant.summary.trim() ? variant.summary : draft.summary,
    body: variant.body,
    variant: true,
  };
}

/**
 * The draft as readers will see it (the shared renderer), for the audience whose tab is open,
 * citations linking to its reference list. Memoised: given the deferred draft, a keystroke's urgent
 * render skips it.
 */
export const EditorPreview = memo(function EditorPreview({
  draft,
  audience = 'professional',
}: {
  draft: ArticleDraft;
  audience?: Audience;
}) {
  const shown = shownText(draft, audience);
  const label = AUDIENCE_LABEL[audience];
  return (
    <Paper
      withBorder
      p="md"
      component="section"
      className="preview sticky-panel"
      aria-labelledby="preview-title"
      aria-describedby="preview-audience"
      tabIndex={0}
    >
      <Stack gap="sm">
        <Text size="xs" tt="uppercase" fw={700} c="dimmed" id="preview-title">
          Preview
        </Text>
        <Text size="sm" id="preview-audience" data-testid="preview-audience">
          {audience === 'professional'
            ? 'Professional version: the article’s own text.'
            : shown.variant
              ? `${label} version, as readers who choose “${label}” will see it.`
              : `No ${label.toLowerCase()} version: readers who choose “${label}” get the professional text below.`}
        </Text>
        <Title order={2} size="h3">
          {shown.title || 'Untitled'}
        </Title>
        {shown.summary.trim() && (
          <MarkdownView markdown={shown.summary} referenceCount={draft.references.length} idPrefix={ID_PREFIX} />
        )}
        <MarkdownView markdown={shown.body} referenceCount={draft.references.length} idPrefix={ID_PREFIX} />
        <ReferenceList references={contentFromDraft(draft).references} idPrefix={ID_PREFIX} />
      </Stack>
    </Paper>
  );
});
