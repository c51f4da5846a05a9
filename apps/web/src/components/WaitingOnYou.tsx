import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { Link } from 'react-router';
import { useTasks } from '../api/me';
import type { Task, TaskKind } from '../api/types';
import { hasRole, useUser } from '../auth/session';
import { formatDate } from '../lib/format';
import { taskPath } from '../lib/links';
import { OverdueBadge } from './badges';
import { Empty, QueryView } from './states';

export const TASK_LABEL: Record<TaskKind, string> = {
  review: 'Review',
  revise: 'Revise',
  re_review: 'Re-review',
  assign: 'Assign reviewers',
};

function TaskRow({ task, admin }: { task: Task; admin: boolean }) {
  return (
    <Card withBorder component="li" padding="sm">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Stack gap={2}>
          <Text size="sm" fw={600}>
            {TASK_LABEL[task.kind]}
          </Text>
          <Anchor component={Link} to={taskPath(task, { admin })} fw={600}>
            {task.title}
          </Anchor>
          <Text size="sm" c="dimmed">
            Revision {task.revision} · {task.dueAt ? `due ${formatDate(task.dueAt)}` : 'no due date'} · waiting since{' '}
            {formatDate(task.since)}
          </Text>
        </Stack>
        {task.overdue && <OverdueBadge />}
      </Group>
    </Card>
  );
}

/** `GET /me/tasks` at the top of a queue: what is waiting on the signed-in user, most urgent first as the API orders it. */
export function WaitingOnYou() {
  const user = useUser();
  const tasks = useTasks();
  const heading = useId();
  return (
    <Card withBorder component="section" aria-labelledby={heading} padding="md">
      <Stack gap="sm">
        <Title order={2} size="h4" id={heading}>
          Waiting on you
        </Title>
        <QueryView query={tasks} loadingLabel="Loading what is waiting on you…">
          {(items) =>
            items.length === 0 ? (
              <Empty>Nothing is waiting on you.</Empty>
            ) : (
              <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-labelledby={heading}>
                {items.map((task) => (
                  <TaskRow key={`${task.kind}:${task.articleId}`} task={task} admin={hasRole(user, 'admin')} />
                ))}
              </Stack>
            )
          }
        </QueryView>
      </Stack>
    </Card>
  );
}
