import { Alert, Badge, Button, Checkbox, Group, Modal, PasswordInput, Stack, Switch, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, errorMessage } from '../../api/client';
import type { Role, User } from '../../api/types';
import { useUser } from '../../auth/session';
import { usersKey, useUsers } from '../../components/AssignReviewers';
import { Empty, QueryView } from '../../components/states';
import { formatDate } from '../../lib/format';
import { usePageTitle } from '../../lib/usePageTitle';

const ROLES: { value: Role; label: string; description: string }[] = [
  { value: 'editor', label: 'Editor', description: 'Drafts and revises articles' },
  { value: 'reviewer', label: 'Reviewer', description: 'Medical Advisory Board: signs articles off' },
  { value: 'admin', label: 'Admin', description: 'Users, reviewer assignment, webhooks, audit' },
];

interface Fields {
  email: string;
  name: string;
  password: string;
  roles: Role[];
  credentials: string;
  specialties: string[];
  active: boolean;
}

function UserForm({ user, onDone }: { user: User | null; onDone: () => void }) {
  const queryClient = useQueryClient();
  const me = useUser();
  const [fields, setFields] = useState<Fields>({
    email: user?.email ?? '',
    name: user?.name ?? '',
    password: '',
    roles: user?.roles ?? ['editor'],
    credentials: user?.credentials ?? '',
    specialties: user?.specialties ?? [],
    active: user?.active ?? true,
  });
  const [problems, setProblems] = useState<Partial<Record<keyof Fields, string>>>({});
  const set = <K extends keyof Fields>(key: K, value: Fields[K]) => setFields((f) => ({ ...f, [key]: value }));
  const save = useMutation({
    mutationFn: () =>
      user
        ? api<User>(`/users/${user.id}`, {
            method: 'PATCH',
            body: { name: fields.name.trim(), roles: fields.roles, credentials: fields.credentials.trim() || null, specialties: fields.specialties, active: fields.active },
          })
        : api<User>('/users', {
            method: 'POST',
            body: {
              email: fields.email.trim(),
              name: fields.name.trim(),
              password: fields.password,
              roles: fields.roles,
              ...(fields.credentials.trim() ? { credentials: fields.credentials.trim() } : {}),
              specialties: fields.specialties,
            },
          }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: usersKey });
      onDone();
    },
  });
  const submit = () => {
    const found: typeof problems = {};
    if (!user && !/^\S+@\S+\.\S+$/.test(fields.email.trim())) found.email = 'Enter an email address';
    if (!fields.name.trim()) found.name = 'Enter a name';
    if (!user && fields.password.length < 12) found.password = 'At least 12 characters';
    if (fields.roles.length === 0) found.roles = 'Choose at least one role';
    setProblems(found);
    if (Object.keys(found).length === 0) save.mutate();
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      noValidate
    >
      <Stack>
        {!user && <TextInput label="Email" type="email" required value={fields.email} onChange={(e) => set('email', e.currentTarget.value)} error={problems.email} data-autofocus />}
        <TextInput label="Name" required value={fields.name} onChange={(e) => set('name', e.currentTarget.value)} error={problems.name} />
        {!user && (
          <PasswordInput
            label="Initial password"
            description="At least 12 characters; give it to the person through a safe channel"
            required
            value={fields.password}
            onChange={(e) => set('password', e.currentTarget.value)}
            error={problems.password}
          />
        )}
        <Checkbox.Group label="Roles" required value={fields.roles} onChange={(v) => set('roles', v)} error={problems.roles}>
          <Stack gap={6} mt={6}>
            {ROLES.map((r) => (
              <Checkbox key={r.value} value={r.value} label={r.label} description={r.description} />
            ))}
          </Stack>
        </Checkbox.Group>
        <TextInput label="Credentials" description="Shown to readers with the reviewer's name, e.g. “MD, PhD”" value={fields.credentials} onChange={(e) => set('credentials', e.currentTarget.value)} />
        <TagsInput label="Specialties" description="Press Enter after each" value={fields.specialties} onChange={(v) => set('specialties', v)} />
        {user && (
          <Switch
            label="Active"
            description={fields.active ? 'Can sign in' : 'Deactivated: cannot sign in, and tokens already issued stop working'}
            checked={fields.active}
            onChange={(e) => set('active', e.currentTarget.checked)}
            disabled={user.id === me.id}
          />
        )}
        {save.isError && (
          <Alert color="red" title="Not saved" role="alert">
            <Text size="sm">{errorMessage(save.error)}</Text>
            {save.error instanceof ApiError &&
              save.error.fieldMessages.map((m) => (
                <Text size="sm" key={m}>
                  {m}
                </Text>
              ))}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {user ? 'Save changes' : 'Create user'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function Users() {
  usePageTitle('Users');
  const users = useUsers();
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Users</Title>
        <Button onClick={() => setEditing('new')}>New user</Button>
      </Group>
      <QueryView query={users} loadingLabel="Loading users…">
        {(list) =>
          list.length === 0 ? (
            <Empty>No users.</Empty>
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Email</Table.Th>
                    <Table.Th scope="col">Roles</Table.Th>
                    <Table.Th scope="col">Credentials, specialties</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((u) => (
                    <Table.Tr key={u.id}>
                      <Table.Td>{u.name}</Table.Td>
                      <Table.Td style={{ overflowWrap: 'anywhere' }}>{u.email}</Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {u.roles.map((r) => (
                            <Badge key={r} size="sm" variant="light">
                              {r}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        {[u.credentials, u.specialties.join(', ')].filter(Boolean).join(' · ') || '—'}
                      </Table.Td>
                      <Table.Td>
                        {u.active ? (
                          <Text size="sm">Active since {formatDate(u.createdAt)}</Text>
                        ) : (
                          <Badge color="gray" variant="outline">
                            Deactivated
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Button size="xs" variant="default" onClick={() => setEditing(u)} aria-label={`Edit ${u.name}`}>
                          Edit
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryView>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'New user' : editing ? `Edit ${editing.name}` : ''} size="lg">
        {editing !== null && <UserForm key={editing === 'new' ? 'new' : editing.id} user={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}
