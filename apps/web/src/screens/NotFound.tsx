import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { Role } from '../api/types';
import { usePageTitle } from '../lib/usePageTitle';

export function NotFound() {
  usePageTitle('Page not found');
  return (
    <Stack>
      <Title order={1}>Page not found</Title>
      <Text>There is no screen at this address.</Text>
      <Anchor component={Link} to="/">
        Go to your start page
      </Anchor>
    </Stack>
  );
}

export function Forbidden({ roles }: { roles: Role[] }) {
  usePageTitle('Not available');
  return (
    <Stack>
      <Title order={1}>Not available to you</Title>
      <Text>This screen is for {roles.join(' or ')} accounts.</Text>
      <Anchor component={Link} to="/">
        Go to your start page
      </Anchor>
    </Stack>
  );
}
