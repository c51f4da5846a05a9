import { Alert, Button, Group, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { z } from 'zod';
import { useArticleAction } from '../api/articles';
import { ApiError, errorMessage } from '../api/client';
import type { SignoffDecision, SignoffResult } from '../api/types';

interface Props {
  articleId: string;
  /** The revision being signed off: named in the dialog, sent as `revision`. */
  revision: number;
  opened: boolean;
  /** The decision the dialog opens on. The form starts once: give the dialog a new `key` to start over. */
  initialDecision: SignoffDecision;
  onClose: () => void;
  onDone: (result: SignoffResult) => void;
  onStale?: () => void;
}

/** "Request changes" needs a reason the editor will read; an approval's note is optional. */
const signoffSchema = z
  .object({ decision: z.enum(['approve', 'request_changes']), note: z.string() })
  .refine((values) => values.decision !== 'request_changes' || values.note.trim() !== '', {
    path: ['note'],
    message: 'Give a reason: the editor needs to know what to change.',
  });
const validateSignoff = schemaResolver(signoffSchema, { sync: true });

const title = (decision: SignoffDecision, revision: number) =>
  decision === 'approve' ? `Approve revision ${revision}` : `Request changes on revision ${revision}`;

/** A reviewer's sign-off on one named revision. */
export function SignoffDialog({ articleId, revision, opened, initialDecision, onClose, onDone, onStale }: Props) {
  const form = useForm({ initialValues: { decision: initialDecision, note: '' }, validate: validateSignoff });
  const signoff = useArticleAction(articleId, 'signOff');
  const stale = signoff.error instanceof ApiError && signoff.error.code === 'stale_revision' ? signoff.error : null;
  const { decision } = form.values;

  return (
    <Modal opened={opened} onClose={onClose} title={title(decision, revision)} size="lg">
      <form
        onSubmit={form.onSubmit(({ note }) =>
          signoff.mutate(
            { decision, revision, ...(note.trim() ? { note: note.trim() } : {}) },
            {
              onSuccess: (result) => {
                form.setFieldValue('note', '');
                onDone(result);
              },
            },
          ),
        )}
        noValidate
      >
        <Stack>
          <Radio.Group
            label="Your decision"
            {...form.getInputProps('decision')}
            // Switching the decision re-asks whether the note is now required, or no longer.
            onChange={(value) => {
              form.setFieldValue('decision', value as SignoffDecision);
              form.clearFieldError('note');
            }}
          >
            <Stack gap="xs" mt={6}>
              <Radio
                value="approve"
                label={`Approve revision ${revision}`}
                description="It is medically accurate and its references support it."
              />
              <Radio
                value="request_changes"
                label="Request changes"
                description="The editor gets your reason and revises the article."
              />
            </Stack>
          </Radio.Group>
          <Textarea
            label={decision === 'request_changes' ? 'Reason' : 'Note (optional)'}
            description={
              decision === 'request_changes'
                ? 'Required: what must change before you can approve'
                : 'Shown to the editor and the other reviewers'
            }
            required={decision === 'request_changes'}
            autosize
            minRows={3}
            maxLength={5000}
            data-autofocus
            {...form.getInputProps('note')}
          />
          {signoff.isError && (
            <Alert color="red" title="Sign-off not recorded" role="alert">
              <Text size="sm">{errorMessage(signoff.error)}</Text>
              {stale && (
                <Group mt="xs">
                  <Text size="sm">
                    The article now stands at revision {stale.currentRevision}: read it before signing off.
                  </Text>
                  {onStale && (
                    <Button size="xs" onClick={onStale}>
                      Load revision {stale.currentRevision}
                    </Button>
                  )}
                </Group>
              )}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={signoff.isPending} color={decision === 'approve' ? 'green' : 'orange'}>
              {title(decision, revision)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
