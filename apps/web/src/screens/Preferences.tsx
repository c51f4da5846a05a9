import { Alert, Button, Group, Radio, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../api/client';
import { usePreferences, useSavePreferences } from '../api/me';
import type { EmailPreference, Preferences as PreferencesValue } from '../api/types';
import { QueryView } from '../components/states';
import { usePageTitle } from '../lib/usePageTitle';

const CHOICES: { value: EmailPreference; label: string; description: string; saved: string }[] = [
  {
    value: 'immediate',
    label: 'Immediately',
    description: 'An email for each notification.',
    saved: 'Saved: you will get an email for each notification.',
  },
  {
    value: 'daily',
    label: 'Daily digest',
    description: 'One email a day listing what happened.',
    saved: 'Saved: you will get one digest a day.',
  },
  {
    value: 'off',
    label: 'Never',
    description: 'No email; notifications stay in the app.',
    saved: 'Saved: you will get no email.',
  },
];

function PreferencesForm({ stored }: { stored: PreferencesValue }) {
  const [email, setEmail] = useState<EmailPreference>(stored.email);
  const save = useSavePreferences();
  const changed = email !== stored.email;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ email });
      }}
    >
      <Stack gap="md" maw={520}>
        <Radio.Group
          label="Email me"
          description="Every notification is also listed under Notifications."
          value={email}
          onChange={setEmail}
        >
          <Stack gap="sm" mt="xs">
            {CHOICES.map((choice) => (
              <Radio key={choice.value} value={choice.value} label={choice.label} description={choice.description} />
            ))}
          </Stack>
        </Radio.Group>
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!changed}>
            Save
          </Button>
          {save.isSuccess && !changed && (
            <Text size="sm" role="status">
              {CHOICES.find((c) => c.value === stored.email)?.saved}
            </Text>
          )}
        </Group>
        {save.isError && (
          <Alert color="red" title="Not saved" role="alert">
            {errorMessage(save.error)}
          </Alert>
        )}
      </Stack>
    </form>
  );
}

/** `/preferences`: how notifications are emailed (the emails' unsubscribe link leads here). */
export function Preferences() {
  usePageTitle('Email preferences');
  const query = usePreferences();
  return (
    <Stack>
      <Title order={1}>Email preferences</Title>
      <QueryView query={query} loadingLabel="Loading your preferences…">
        {(stored) => <PreferencesForm stored={stored} />}
      </QueryView>
    </Stack>
  );
}
