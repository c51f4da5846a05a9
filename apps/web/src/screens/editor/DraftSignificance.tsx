import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { classifyChange } from '@imprimatur/domain/articles/significance';
import { memo, useMemo } from 'react';
import { ChangeClassBadge, ChangeSignificance, FIRST_REVISION } from '../../components/ChangeSignificance';
import { contentFromDraft, type ArticleDraft } from '../../lib/content';
import type { Compared } from './useComparedRevision';

/** The classifier reads words and numbers across the whole text: once the typing pauses, not per keystroke. */
export const CLASSIFY_DEBOUNCE_MS = 300;

function against(compared: Extract<Compared, { status: 'ready' }>): string {
  const { revision, live, version } = compared;
  if (live)
    return `Compared with the live text (version ${version}, revision ${revision.number}), as the server will when you save.`;
  return `Compared with revision ${revision.number}, the one you are editing: the article has no live version.`;
}

function Classified({ draft, compared }: { draft: ArticleDraft; compared: Extract<Compared, { status: 'ready' }> }) {
  const [settled] = useDebouncedValue(draft, CLASSIFY_DEBOUNCE_MS);
  const base = compared.revision;
  const significance = useMemo(() => classifyChange(base, contentFromDraft(settled)), [base, settled]);
  const unchanged = significance.changeClass === 'editorial' && significance.changes.length === 0;
  return (
    <>
      <div aria-live="polite" data-testid="draft-significance">
        {unchanged ? (
          <Text size="sm">No change yet.</Text>
        ) : (
          // The draft is a revision after the first: its class is never null.
          <ChangeSignificance
            revision={compared.revision.number + 1}
            changeClass={significance.changeClass}
            changes={significance.changes}
          />
        )}
      </div>
      <Text size="xs" c="dimmed">
        {against(compared)}
      </Text>
    </>
  );
}

/**
 * The class the draft will have when it is saved (contract §15), by the shared classifier the server
 * runs, on what is being typed: clinical (the full board) or editorial, and why. Memoised: given the
 * deferred draft, a keystroke's urgent render skips it.
 */
export const DraftSignificance = memo(function DraftSignificance({
  draft,
  compared,
}: {
  draft: ArticleDraft;
  compared: Compared;
}) {
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="draft-significance-title">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h5" id="draft-significance-title">
            Change class
          </Title>
          {compared.status === 'new' && <ChangeClassBadge changeClass={null} />}
        </Group>
        {compared.status === 'new' && <Text size="sm">{FIRST_REVISION}.</Text>}
        {compared.status === 'loading' && <Text size="sm">Loading the text to compare with…</Text>}
        {compared.status === 'error' && (
          <Text size="sm" c="orange.9">
            The live text could not be loaded, so the class of this draft is not known yet; the server classifies it
            when you save.
          </Text>
        )}
        {compared.status === 'ready' && <Classified draft={draft} compared={compared} />}
      </Stack>
    </Paper>
  );
});
