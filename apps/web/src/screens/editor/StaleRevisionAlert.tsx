import { Alert, Button, Grid, Group, Loader, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { articleQueries } from '../../api/articles';
import type { Revision } from '../../api/types';
import { useUser } from '../../auth/session';
import type { ArticleDraft } from '../../lib/content';

interface Props {
  articleId: string;
  revision: number;
  /** The text this editor holds, unsaved. */
  mine: ArticleDraft;
  /** Discards the unsaved text and opens `revision`. */
  onReload: () => void;
  /** Keeps the unsaved text and makes `revision` its base: saving then replaces what that revision says. */
  onKeepMine: (revision: Revision) => void;
}

/**
 * Someone saved `revision` while this editor was open (a 409 stale_revision, or a background refetch).
 * A revision must start from the latest one, but the unsaved text is not thrown away: the two are shown
 * side by side, and the editor chooses to reload theirs or to carry their own text onto it. Who saved it
 * is named, and "you, in another tab" when it was this user.
 */
export function StaleRevisionAlert({ articleId, revision, mine, onReload, onKeepMine }: Props) {
  const me = useUser();
  const [comparing, setComparing] = useState(false);
  const theirs = useQuery({ ...articleQueries.revision(articleId, revision), enabled: revision > 0 });
  const byMe = theirs.data?.authorId === me.id;
  const who = theirs.data ? (byMe ? 'You saved' : 'Someone else saved') : 'Someone saved';
  return (
    <Alert color="orange" title="This article changed while you were editing" role="alert">
      <Stack gap="xs">
        <Text size="sm">
          {who} revision {revision}
          {byMe ? ' in another tab or window' : ''}. Your changes are not saved yet and are still here: compare them
          with revision {revision}, then keep yours on top of it or reload it.
        </Text>
        <Group>
          <Button size="xs" variant="default" onClick={() => setComparing((open) => !open)} aria-expanded={comparing}>
            {comparing ? 'Hide the comparison' : `Compare with revision ${revision}`}
          </Button>
          <Button size="xs" disabled={!theirs.data} onClick={() => theirs.data && onKeepMine(theirs.data)}>
            Keep my changes on revision {revision}
          </Button>
          <Button size="xs" variant="light" color="red" onClick={onReload}>
            Reload revision {revision}
          </Button>
        </Group>
        {comparing &&
          (theirs.data ? (
            <SideBySide mine={mine} theirs={theirs.data} />
          ) : theirs.isError ? (
            <Text size="sm">Revision {revision} could not be loaded.</Text>
          ) : (
            <Loader size="sm" aria-label={`Loading revision ${revision}`} />
          ))}
      </Stack>
    </Alert>
  );
}

function SideBySide({ mine, theirs }: { mine: ArticleDraft; theirs: Revision }) {
  const column = (heading: string, title: string, summary: string, body: string, references: string[]) => (
    <Grid.Col span={{ base: 12, md: 6 }}>
      <section aria-label={heading}>
        <Title order={4} size="h6">
          {heading}
        </Title>
        <ScrollArea.Autosize mah={360} type="auto">
          <Text size="sm" fw={600}>
            {title}
          </Text>
          {summary && (
            <Text size="sm" fs="italic">
              {summary}
            </Text>
          )}
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {body}
          </Text>
          <Text size="xs" c="dimmed">
            References: {references.map((r, i) => `${i + 1}. ${r}`).join('; ') || 'none'}
          </Text>
        </ScrollArea.Autosize>
      </section>
    </Grid.Col>
  );
  return (
    <Grid gap="md">
      {column(
        'Your unsaved text',
        mine.title,
        mine.summary,
        mine.body,
        mine.references.map((r) => r.title),
      )}
      {column(
        `Revision ${theirs.number}`,
        theirs.title,
        theirs.summary ?? '',
        theirs.body,
        theirs.references.map((r) => r.title),
      )}
    </Grid>
  );
}
