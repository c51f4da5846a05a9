import { Badge, Group } from '@mantine/core';
import type { ArticleState, CheckName, CheckStatus } from '../api/types';
import { STATE_COLOR, STATE_LABEL } from '../lib/format';

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
/** Every check of a revision, in the order they are shown: the three that can block approval first. */
const CHECK_ORDER: readonly CheckName[] = ['citations', 'links', 'consistency', 'staleness', 'readability'];
const CHECK_LABEL: Record<CheckName, string> = {
  citations: 'Citations',
  links: 'Links',
  staleness: 'Reference age',
  readability: 'Reading level',
  consistency: 'Quantities match',
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

export function ReviewDueBadge() {
  return (
    <Badge color="red" variant="filled" leftSection={<span aria-hidden>⏰</span>}>
      Review due
    </Badge>
  );
}
