import { Alert, Button, Group, Stack, Text } from '@mantine/core';

/**
 * Someone else saved `revision` while this editor was open (a 409 stale_revision, or a background
 * refetch): a revision must start from the latest one, so the way on is to reload it.
 */
export function StaleRevisionAlert({ revision, onReload }: { revision: number; onReload: () => void }) {
  return (
    <Alert color="orange" title="This article changed while you were editing" role="alert">
      <Stack gap="xs">
        <Text size="sm">
          Someone else saved revision {revision}. Your revision must start from the latest one: reload it, then make
          your changes again (copy anything you want to keep first).
        </Text>
        <Group>
          <Button size="xs" onClick={onReload}>
            Reload revision {revision}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
