import { Paper, Stack, Text, Title, Typography } from '@mantine/core';
import { placeAnchor } from '@imprimatur/domain/articles/anchor';
import { useQuery } from '@tanstack/react-query';
import { memo, useEffect, useMemo, useRef } from 'react';
import { commentQueries } from '../../api/comments';
import type { Audience, Comment } from '../../api/types';
import { MarkdownView, ReferenceList } from '../../components/ArticleText';
import { useEditorComments } from '../../components/EditorComments';
import { AUDIENCE_LABEL, contentFromDraft, type ArticleDraft } from '../../lib/content';
import { highlightPlacements, type PlacedQuote } from '../../lib/highlight';
import { renderArticleHtml } from '../../lib/render';

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
        {shown.variant ? (
          <MarkdownView markdown={shown.body} referenceCount={draft.references.length} idPrefix={ID_PREFIX} />
        ) : (
          <CommentedBody body={shown.body} referenceCount={draft.references.length} />
        )}
        <ReferenceList references={contentFromDraft(draft).references} idPrefix={ID_PREFIX} />
      </Stack>
    </Paper>
  );
});

/** Open anchored comments placed on the draft's own text, found by their quote with its context as the server places them. */
export function placedOnDraft(comments: readonly Comment[], body: string): PlacedQuote[] {
  return comments.flatMap((c): PlacedQuote[] => {
    if (c.resolved || !c.anchor) return [];
    const placement = placeAnchor(c.anchor, body, 0);
    return placement.status === 'anchored' && placement.start !== null && placement.end !== null
      ? [{ id: c.id, start: placement.start, end: placement.end, blocking: c.blocking }]
      : [];
  });
}

/**
 * The professional body with the article's open comments marked where their quotes stand in the draft
 * (contract §19: comments follow the text), as the review workspace marks them; a quote the draft no
 * longer has is not marked (the margin lists it as outdated).
 */
function CommentedBody({ body, referenceCount }: { body: string; referenceCount: number }) {
  const context = useEditorComments();
  const comments = useQuery({
    ...commentQueries.list(context?.article.id ?? '', context?.revision),
    enabled: context !== null,
  });
  const html = useMemo(() => renderArticleHtml(body, { referenceCount, idPrefix: ID_PREFIX }), [body, referenceCount]);
  const placed = useMemo(() => placedOnDraft(comments.data ?? [], body), [comments.data, body]);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const container = ref.current;
    if (!container) return;
    // Set here, not by React, so the marks of the last pass never pile up on the next.
    container.innerHTML = html;
    highlightPlacements(container, body, placed);
  }, [html, body, placed]);
  return (
    <Typography>
      {/* renderArticleHtml sanitises with the shared allow-list (DOMPurify), as MarkdownView does. */}
      <div ref={ref} className="article-text" />
    </Typography>
  );
}
