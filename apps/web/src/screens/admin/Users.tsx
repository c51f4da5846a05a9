import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  PasswordInput,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { ROLES as ROLE_NAMES } from '@imprimatur/domain/users/roles';
import { useState } from 'react';
import { z } from 'zod';
import { ApiError, errorMessage } from '../../api/client';
import type { Role, User } from '../../api/types';
import { useCreateUser, useUpdateUser, useUsers } from '../../api/users';
import { useUser } from '../../auth/session';
import { Empty, QueryView } from '../../components/states';
import { formatDate } from '../../lib/format';
import { usePageTitle } from '../../lib/usePageTitle';

const ROLES: { value: Role; label: string; description: string }[] = [
  { value: 'editor', label: 'Editor', description: 'Drafts and revises articles' },
  { value: 'reviewer', label: 'Reviewer', description: 'Medical Advisory Board: signs articles off' },
  { value: 'admin', label: 'Admin', description: 'Users, reviewer assignment, webhooks, audit' },
];

/** What an admin may change on any account. */
const profile = {
  name: z.string().refine((value) => value.trim() !== '', 'Enter a name'),
  roles: z.array(z.enum(ROLE_NAMES)).min(1, 'Choose at least one role'),
  credentials: z.string(),
  specialties: z.array(z.string()),
  active: z.boolean(),
};
/** A new account also needs its email and a first password (the API's rules: contract §3). */
const validateNewUser = schemaResolver(
  z.object({
    ...profile,
    email: z.string().refine((value) => /^\S+@\S+\.\S+$/.test(value.trim()), 'Enter an email address'),
    password: z.string().min(12, 'At least 12 characters'),
  }),
  { sync: true },
);
const validateUserChanges = schemaResolver(z.object({ ...profile, email: z.string(), password: z.string() }), {
  sync: true,
});

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
  const me = useUser();
  const form = useForm<Fields>({
    initialValues: {
      email: user?.email ?? '',
      name: user?.name ?? '',
      password: '',
      roles: user?.roles ?? ['editor'],
      credentials: user?.credentials ?? '',
      specialties: user?.specialties ?? [],
      active: user?.active ?? true,
    },
    validate: user ? validateUserChanges : validateNewUser,
  });
  const create = useCreateUser();
  const update = useUpdateUser(user?.id ?? '');
  const save = user ? update : create;
  const send = (fields: Fields) => {
    const name = fields.name.trim();
    const credentials = fields.credentials.trim();
    if (user) {
      update.mutate(
        {
          name,
          roles: fields.roles,
          credentials: credentials || null,
          specialties: fields.specialties,
          active: fields.active,
        },
        { onSuccess: onDone },
      );
    } else {
      create.mutate(
        {
          email: fields.email.trim(),
          name,
          password: fields.password,
          roles: fields.roles,
          ...(credentials ? { credentials } : {}),
          specialties: fields.specialties,
        },
        { onSuccess: onDone },
      );
    }
  };
  return (
    <form onSubmit={form.onSubmit(send)} noValidate>
      <Stack>
        {!user && <TextInput label="Email" type="email" required data-autofocus {...form.getInputProps('email')} />}
        <TextInput label="Name" required {...form.getInputProps('name')} />
        {!user && (
          <PasswordInput
            label="Initial password"
            description="At least 12 characters; give it to the person through a safe channel"
            required
            {...form.getInputProps('password')}
          />
        )}
        <Checkbox.Group label="Roles" required {...form.getInputProps('roles')}>
          <Stack gap={6} mt={6}>
            {ROLES.map((r) => (
              <Checkbox key={r.value} value={r.value} label={r.label} description={r.description} />
            ))}
          </Stack>
        </Checkbox.Group>
        <TextInput
          label="Credentials"
          description="Shown to readers with the reviewer's name, e.g. “MD, PhD”"
          {...form.getInputProps('credentials')}
        />
        <TagsInput label="Specialties" description="Press Enter after each" {...form.getInputProps('specialties')} />
        {user && (
          <Switch
            label="Active"
            description={
              form.values.active ? 'Can sign in' : 'Deactivated: cannot sign in, and tokens already issued stop working'
            }
            disabled={user.id === me.id}
            {...form.getInputProps('active', { type: 'checkbox' })}
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
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New user' : editing ? `Edit ${editing.name}` : ''}
        size="lg"
      >
        {editing !== null && (
          <UserForm
            key={editing === 'new' ? 'new' : editing.id}
            user={editing === 'new' ? null : editing}
            onDone={() => setEditing(null)}
          />
        )}
      </Modal>
    </Stack>
  );
}
