import { Badge, Group, List, Stack, Text } from '@mantine/core';
import { describeChange } from '@imprimatur/domain/articles/significance';
import type { ChangeClass, ContentChange } from '../api/types';

/** A revision's class (contract §15) as reviewers and editors read it; null: the article's first revision. */
export const CHANGE_CLASS_LABEL: Record<ChangeClass, string> = {
  clinical: 'Clinical change',
  editorial: 'Editorial change',
};

/** What the class means for the review (contract §15: `EDITORIAL_SIGNOFFS` applies only to a live article). */
export const CHANGE_CLASS_MEANING: Record<ChangeClass, string> = {
  clinical: 'needs the full board',
  editorial: 'a live article’s editorial fix needs fewer approvals',
};

export const FIRST_REVISION = 'First revision: full review';
/** A revision written before revisions were classified: the server treats it as clinical. */
export const NOT_CLASSIFIED = 'Not classified (written before change classes): full review';

const COLOR: Record<ChangeClass, string> = { clinical: 'red', editorial: 'blue' };

export function ChangeClassBadge({
  changeClass,
  revision = 1,
}: {
  changeClass: ChangeClass | null;
  revision?: number;
}) {
  return (
    <Badge color={changeClass ? COLOR[changeClass] : 'gray'} variant="light" data-testid="change-class">
      {changeClass ? CHANGE_CLASS_LABEL[changeClass] : revision === 1 ? 'First revision' : 'Not classified'}
    </Badge>
  );
}

/**
 * The class of a revision and its reasons, in words: the badge, what it means for the review, and
 * each change that made it so, in the domain's words (naming the audience version a change is in). `changes` empty on an editorial revision: nothing in the text changed.
 */
export function ChangeSignificance({
  revision,
  changeClass,
  changes,
  compact = false,
}: {
  /** The revision's number: a null class is the first revision's, or else an unclassified older one's. */
  revision: number;
  changeClass: ChangeClass | null;
  changes: readonly ContentChange[];
  /** In a dialog: the reasons in smaller print. */
  compact?: boolean;
}) {
  return (
    <Stack gap={4} data-testid="change-significance">
      <Group gap="xs">
        <ChangeClassBadge changeClass={changeClass} revision={revision} />
        <Text size="sm">
          {changeClass
            ? `${CHANGE_CLASS_LABEL[changeClass]}: ${CHANGE_CLASS_MEANING[changeClass]}.`
            : `${revision === 1 ? FIRST_REVISION : NOT_CLASSIFIED}.`}
        </Text>
      </Group>
      {changeClass && changes.length === 0 && (
        <Text size="xs" c="dimmed">
          Nothing in the text, references or versions changed.
        </Text>
      )}
      {changeClass && changes.length > 0 && (
        <List size={compact ? 'xs' : 'sm'} spacing={2} aria-label="Why">
          {changes.map((change, i) => (
            <List.Item key={i}>{describeChange(change)}</List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
