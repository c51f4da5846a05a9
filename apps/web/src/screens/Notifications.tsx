import { Alert, Anchor, Badge, Button, Card, Group, Stack, Switch, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../api/client';
import { meQueries, useMarkRead } from '../api/me';
import type { UserNotification } from '../api/types';
import { Empty, QueryView } from '../components/states';
import { formatDateTime } from '../lib/format';
import { inAppPath } from '../lib/links';
import { usePageTitle } from '../lib/usePageTitle';

function NotificationRow({ notification, onOpen }: { notification: UserNotification; onOpen: () => void }) {
  const unread = notification.readAt === null;
  const to = inAppPath(notification.path);
  // Opening it is reading it; the list refreshes when the API says so.
  const open = () => {
    if (unread) onOpen();
  };
  return (
    <Card withBorder component="li" padding="sm">
      <Stack gap={4}>
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          {to === null ? (
            <Anchor href={notification.path} onClick={open} fw={unread ? 700 : 400}>
              {notification.message}
            </Anchor>
          ) : (
            <Anchor component={Link} to={to} onClick={open} fw={unread ? 700 : 400}>
              {notification.message}
            </Anchor>
          )}
          {unread && (
            <Badge variant="filled" color="blue" style={{ flexShrink: 0 }}>
              Unread
            </Badge>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {notification.title}
          {notification.revision !== null && ` · revision ${notification.revision}`} ·{' '}
          <time dateTime={notification.createdAt}>{formatDateTime(notification.createdAt)}</time>
        </Text>
      </Stack>
    </Card>
  );
}

/** `/notifications`: what happened to the articles I work on, newest first, each leading to its screen. */
export function Notifications() {
  usePageTitle('Notifications');
  const [params, setParams] = useSearchParams();
  const unreadOnly = params.get('unread') === 'true';
  const query = useInfiniteQuery(meQueries.notifications(unreadOnly));
  const markRead = useMarkRead();
  const unread = query.data?.pages[0]?.unread ?? 0;
  const markingAll = markRead.isPending && markRead.variables !== undefined && 'all' in markRead.variables;
  return (
    <Stack>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Stack gap={4}>
          <Title order={1}>Notifications</Title>
          {query.data && (
            <Text size="sm" role="status">
              {unread === 0 ? 'All read.' : `${unread} unread.`}
            </Text>
          )}
        </Stack>
        <Group gap="md">
          <Switch
            label="Unread only"
            checked={unreadOnly}
            onChange={(e) => setParams(e.currentTarget.checked ? { unread: 'true' } : {}, { replace: true })}
          />
          <Button
            variant="default"
            onClick={() => markRead.mutate({ all: true })}
            loading={markingAll}
            disabled={unread === 0}
          >
            Mark all read
          </Button>
        </Group>
      </Group>
      {markRead.isError && (
        <Alert color="red" title="Not marked read" role="alert">
          {errorMessage(markRead.error)}
        </Alert>
      )}
      <QueryView query={query} loadingLabel="Loading your notifications…">
        {(data) => {
          const items = data.pages.flatMap((page) => page.items);
          if (items.length === 0)
            return <Empty>{unreadOnly ? 'No unread notifications.' : 'No notifications yet.'}</Empty>;
          return (
            <Stack gap="sm">
              <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Notifications">
                {items.map((n) => (
                  <NotificationRow key={n.id} notification={n} onOpen={() => markRead.mutate({ ids: [n.id] })} />
                ))}
              </Stack>
              {query.hasNextPage && (
                <Group>
                  <Button
                    variant="default"
                    onClick={() => void query.fetchNextPage()}
                    loading={query.isFetchingNextPage}
                  >
                    Load more
                  </Button>
                </Group>
              )}
              {query.isFetchNextPageError && <Alert color="red">{errorMessage(query.error)}</Alert>}
            </Stack>
          );
        }}
      </QueryView>
    </Stack>
  );
}
