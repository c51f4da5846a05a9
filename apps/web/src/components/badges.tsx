import { Badge, Group, Text } from '@mantine/core';
import type { ArticleState, CheckName, CheckStatus, ReviewDueReason } from '../api/types';
import { formatDate, isPast, STATE_COLOR, STATE_LABEL } from '../lib/format';

export function StateBadge({ state }: { state: ArticleState }) {
  return (
    <Badge color={STATE_COLOR[state]} variant="light">
      {STATE_LABEL[state]}
    </Badge>
  );
}

/** Never green unless passed: pending is grey and says "pending". */
export const CHECK_COLOR: Record<CheckStatus, string> = {
  passed: 'green',
  warning: 'yellow',
  failed: 'red',
  pending: 'gray',
};
const CHECK_ICON: Record<CheckStatus, string> = { passed: '✓', warning: '!', failed: '✗', pending: '…' };
/** Every check of a revision, in the order they are shown: the four that can block approval first. */
const CHECK_ORDER: readonly CheckName[] = ['citations', 'links', 'consistency', 'evidence', 'staleness', 'readability'];
const CHECK_LABEL: Record<CheckName, string> = {
  citations: 'Citations',
  links: 'Links',
  staleness: 'Reference age',
  readability: 'Reading level',
  consistency: 'Quantities match',
  evidence: 'Evidence',
};

export function CheckBadge({ name, status }: { name: CheckName; status: CheckStatus }) {
  return (
    <Badge
      color={CHECK_COLOR[status]}
      variant={status === 'pending' ? 'outline' : 'light'}
      leftSection={<span aria-hidden>{CHECK_ICON[status]}</span>}
    >
      {CHECK_LABEL[name]}: {status}
    </Badge>
  );
}

export function CheckBadges({ checks }: { checks: Record<CheckName, CheckStatus> }) {
  return (
    <Group gap={4}>
      {CHECK_ORDER.map((name) => (
        <CheckBadge key={name} name={name} status={checks[name]} />
      ))}
    </Group>
  );
}

/** Why a live article is due for review, when it is not simply its review date that came. */
const REVIEW_DUE_WORDS: Record<NonNullable<ReviewDueReason>, string> = {
  schedule: 'Review due',
  retraction: 'Review due: a cited paper was retracted',
};

export function ReviewDueBadge({ reason }: { reason?: ReviewDueReason }) {
  return (
    <Badge color="red" variant="filled" leftSection={<span aria-hidden>⏰</span>}>
      {REVIEW_DUE_WORDS[reason ?? 'schedule']}
    </Badge>
  );
}

/** "Overdue" in words beside the date: never the colour alone. */
export function OverdueBadge({ size = 'md' }: { size?: 'xs' | 'sm' | 'md' }) {
  return (
    <Badge component="span" size={size} color="red" variant="filled" leftSection={<span aria-hidden>⏰</span>}>
      Overdue
    </Badge>
  );
}

/** An open review's deadline: "due 9 Dec 2026", and "Overdue" once it has passed. */
export function ReviewDueBy({ dueAt }: { dueAt: string }) {
  return (
    <>
      <Text span size="sm">
        due {formatDate(dueAt)}
      </Text>
      {isPast(dueAt) && (
        <>
          {' '}
          <OverdueBadge size="xs" />
        </>
      )}
    </>
  );
}
