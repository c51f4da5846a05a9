import { Alert, Anchor, Button, Grid, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { policyQueries, POLICY_READER_PATH, useSavePolicy } from '../../api/policy';
import type { EditorialPolicy as Policy } from '../../api/types';
import { MarkdownView } from '../../components/ArticleText';
import { QueryView } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { usePageTitle } from '../../lib/usePageTitle';
import { UnsavedChangesGuard } from '../editor/UnsavedChangesGuard';

const ID_PREFIX = 'policy-ref-';

/** The policy's Markdown with the shared preview; `saved` is the version readers now get (the API's last answer). */
function PolicyForm({ saved }: { saved: Policy | null }) {
  const [body, setBody] = useState(saved?.body ?? '');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const shown = useDeferredValue(body);
  const save = useSavePolicy();
  const fieldRef = useRef<HTMLTextAreaElement>(null);
  const dirty = body !== (saved?.body ?? '');
  // While a save is under way, leaving does not ask: what is being saved is not lost.
  const saving = useRef(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setNotice(null);
    if (body.trim() === '') {
      setError('Write the policy: readers are shown it from every article page.');
      fieldRef.current?.focus();
      return;
    }
    setError(null);
    saving.current = true;
    save.mutate(body, {
      onSuccess: (policy) => setNotice(`Saved at ${formatDateTime(policy.updatedAt)}. Readers see it now.`),
      onSettled: () => {
        saving.current = false;
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <UnsavedChangesGuard dirty={dirty} shouldBlock={() => dirty && !saving.current} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack>
            <Textarea
              ref={fieldRef}
              label="Policy"
              description="Markdown: headings (##), lists, links. Shown to readers exactly as previewed."
              required
              autosize
              minRows={14}
              maxRows={40}
              value={body}
              error={error}
              onChange={(event) => {
                setBody(event.currentTarget.value);
                if (error) setError(null);
              }}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 14 } }}
            />
            <Group>
              <Button type="submit" loading={save.isPending} disabled={!dirty}>
                Save the policy
              </Button>
              {dirty && (
                <Text size="sm" c="dimmed" role="status">
                  Unsaved changes.
                </Text>
              )}
            </Group>
            {notice && !dirty && (
              <Alert color="green" role="status">
                {notice}
              </Alert>
            )}
            {save.isError && (
              <Alert color="red" title="Not saved" role="alert">
                {errorMessage(save.error)}
              </Alert>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Paper
            withBorder
            p="md"
            component="section"
            className="preview sticky-panel"
            aria-labelledby="policy-preview-title"
            tabIndex={0}
          >
            <Stack gap="sm">
              <Text size="xs" tt="uppercase" fw={700} c="dimmed" id="policy-preview-title">
                Preview
              </Text>
              {shown.trim() ? (
                <MarkdownView markdown={shown} referenceCount={0} idPrefix={ID_PREFIX} />
              ) : (
                <Text size="sm" c="dimmed">
                  Nothing written yet.
                </Text>
              )}
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>
    </form>
  );
}

/** `/admin/editorial-policy` (admin): the policy readers are shown at /read/editorial-policy (contract §14). */
export function EditorialPolicy() {
  usePageTitle('Editorial policy');
  const policy = useQuery(policyQueries.policy());
  return (
    <Stack>
      <Stack gap={4}>
        <Title order={1}>Editorial policy</Title>
        <Text size="sm">
          How articles are written, reviewed and kept up to date, in words for readers. Every reader page links to it
          (“View editorial policy”); readers find it at{' '}
          <Anchor href={POLICY_READER_PATH} target="_blank" rel="noopener">
            {POLICY_READER_PATH}
          </Anchor>
          . Each save is recorded in the audit log.
        </Text>
      </Stack>
      <QueryView query={policy} loadingLabel="Loading the policy…">
        {(saved) => (
          <Stack>
            <Text size="sm" c="dimmed">
              {saved ? `Last saved ${formatDateTime(saved.updatedAt)}.` : 'No policy yet: readers are shown none.'}
            </Text>
            <PolicyForm saved={saved} />
          </Stack>
        )}
      </QueryView>
    </Stack>
  );
}
