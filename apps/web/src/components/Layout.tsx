import { Anchor, AppShell, Badge, Burger, Button, Group, NavLink, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import type { Role } from '../api/types';
import { hasRole, useSession, useUser } from '../auth/session';
import { NotificationBell } from './NotificationBell';

interface NavItem {
  to: string;
  label: string;
  roles: Role[];
}

const NAV: NavItem[] = [
  { to: '/desk', label: "Editor's desk", roles: ['editor'] },
  { to: '/articles/new', label: 'New article', roles: ['editor'] },
  { to: '/reviews', label: 'Review queue', roles: ['reviewer'] },
  { to: '/admin/articles', label: 'Articles & reviewers', roles: ['admin'] },
  { to: '/admin/users', label: 'Users', roles: ['admin'] },
  { to: '/admin/webhooks', label: 'Webhooks', roles: ['admin'] },
  { to: '/admin/audit', label: 'Audit log', roles: ['admin'] },
  { to: '/admin/editorial-policy', label: 'Editorial policy', roles: ['admin'] },
  { to: '/preferences', label: 'Email preferences', roles: ['editor', 'reviewer', 'admin'] },
];

const ROLE_LABEL: Record<Role, string> = { editor: 'Editor', reviewer: 'Reviewer', admin: 'Admin' };

/** The signed-in frame: header with the user's name and roles, the notification bell, navigation, sign out. */
export function Layout() {
  const user = useUser();
  const { signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();

  // A new screen closes the mobile menu, and keyboard and screen-reader users start at its content.
  const first = useRef(true);
  useEffect(() => {
    close();
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.pathname, close]);

  const items = NAV.filter((item) => hasRole(user, ...item.roles));
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
            />
            <Anchor component={Link} to="/" underline="never" c="inherit">
              <Title order={2} className="brand">
                Imprimatur
              </Title>
            </Anchor>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <div className="signed-in-as">
              <Text size="sm" fw={600} lh={1.2} truncate="end" maw={{ base: 96, xs: 220 }}>
                <VisuallyHidden>Signed in as </VisuallyHidden>
                {user.name}
              </Text>
              <Group gap={4} wrap="nowrap" aria-label="Your roles">
                {user.roles.map((role) => (
                  <Badge
                    key={role}
                    size="xs"
                    variant="light"
                    color={role === 'admin' ? 'grape' : role === 'reviewer' ? 'teal' : 'blue'}
                  >
                    {ROLE_LABEL[role]}
                  </Badge>
                ))}
              </Group>
            </div>
            <NotificationBell />
            <Button component={Link} to="/preferences" variant="subtle" size="compact-sm" visibleFrom="xs">
              Preferences
            </Button>
            <Button variant="default" size="compact-sm" onClick={signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {items.map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={item.label}
            active={
              location.pathname === item.to ||
              (item.to !== '/articles/new' && location.pathname.startsWith(`${item.to}/`))
            }
            aria-current={location.pathname === item.to ? 'page' : undefined}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
