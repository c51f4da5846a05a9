import { Alert, Button, Group, MultiSelect, Stack, Text, TextInput } from '@mantine/core';
import { useRef, useState } from 'react';
import { useArticleAction } from '../api/articles';
import { ApiError, errorMessage } from '../api/client';
import type { Article, User } from '../api/types';
import { useUsers } from '../api/users';

/** Names for the ids a conflict_of_interest error lists. */
function conflictExplanation(error: ApiError, users: User[]): string | null {
  if (error.code !== 'conflict_of_interest') return null;
  const ids =
    error.details && !Array.isArray(error.details) && Array.isArray(error.details.reviewerIds)
      ? (error.details.reviewerIds as string[])
      : [];
  const names = ids.map((id) => users.find((u) => u.id === id)?.name ?? 'A chosen reviewer');
  const who = names.length > 0 ? names.join(', ') : 'A chosen reviewer';
  return `${who} wrote a revision of this article or declared a conflict of interest, so cannot review it. The board's sign-off must come from people who did not write the text. Choose someone else.`;
}

/** A day picked in a date input (YYYY-MM-DD) as the instant its reviews are due: the end of that day, UTC. */
const endOfDayUtc = (day: string) => `${day}T23:59:59.999Z`;

/** Admin: the complete set of an article's reviewers (PUT /articles/:id/reviewers), and when their reviews are due. */
export function AssignReviewers({ article }: { article: Article }) {
  const users = useUsers();
  const [selected, setSelected] = useState<string[]>(article.reviewers.map((r) => r.id));
  // Empty: each review keeps its due date (new ones get the default), so saving never moves a deadline unasked.
  const [dueDay, setDueDay] = useState('');
  const assign = useArticleAction(article.id, 'assignReviewers');
  // Saving disables the button, which drops its focus: the outcome takes it, so it is read out.
  const outcomeRef = useRef<HTMLDivElement>(null);
  const focusOutcome = () => requestAnimationFrame(() => outcomeRef.current?.focus());
  if (article.state === 'archived') return <Text size="sm">Archived articles keep their reviewers.</Text>;
  const reviewers = (users.data ?? []).filter((u) => u.active && u.roles.includes('reviewer'));
  const options = reviewers.map((u) => ({
    value: u.id,
    label: `${u.name}${u.credentials ? `, ${u.credentials}` : ''}${u.specialties.length ? ` (${u.specialties.join(', ')})` : ''}`,
  }));
  // Keep assigned reviewers selectable even if no longer listed as active reviewers.
  article.reviewers.forEach((r) => {
    if (!options.some((o) => o.value === r.id)) options.push({ value: r.id, label: r.name });
  });
  const explanation = assign.error instanceof ApiError ? conflictExplanation(assign.error, users.data ?? []) : null;
  const changed =
    dueDay !== '' || JSON.stringify([...selected].sort()) !== JSON.stringify(article.reviewers.map((r) => r.id).sort());
  return (
    <Stack gap="xs">
      {users.isError && <Alert color="red">{errorMessage(users.error)}</Alert>}
      <MultiSelect
        label="Reviewers"
        description="Medical Advisory Board members who will sign this article off"
        placeholder={users.isPending ? 'Loading reviewers…' : 'Choose reviewers'}
        data={options}
        value={selected}
        onChange={setSelected}
        searchable
        clearable
        // Enter submits the highlighted option, and on a chosen one Mantine toggles it off: with the chosen
        // reviewers out of the list (removed by their pill's × or Backspace), Enter can only add.
        hidePickedOptions
        // What was typed highlights its first match, so that Enter adds it.
        selectFirstOptionOnChange
        nothingFoundMessage="No active reviewer matches"
      />
      <TextInput
        type="date"
        label="Due by"
        description="Optional. Leave empty to keep the current due dates; new reviews get the usual deadline."
        value={dueDay}
        onChange={(e) => setDueDay(e.currentTarget.value)}
        w={{ base: '100%', xs: 220 }}
      />
      <Group>
        <Button
          onClick={() =>
            assign.mutate(
              { reviewerIds: selected, dueAt: dueDay ? endOfDayUtc(dueDay) : undefined },
              {
                onSuccess: () => {
                  setDueDay('');
                  focusOutcome();
                },
                onError: focusOutcome,
              },
            )
          }
          loading={assign.isPending}
          disabled={!changed}
        >
          Save reviewers
        </Button>
        {assign.isSuccess && !changed && (
          <Text size="sm" role="status" ref={outcomeRef} tabIndex={-1}>
            Reviewers saved.
          </Text>
        )}
      </Group>
      {assign.isError && (
        <Alert color="red" title="Reviewers not saved" role="alert" ref={outcomeRef} tabIndex={-1}>
          <Text size="sm">{errorMessage(assign.error)}</Text>
          {explanation && (
            <Text size="sm" mt={4}>
              {explanation}
            </Text>
          )}
        </Alert>
      )}
    </Stack>
  );
}
