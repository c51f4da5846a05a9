import { Alert, Button, Group, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, errorMessage } from '../api/client';
import type { SignoffDecision, SignoffResult } from '../api/types';

interface Props {
  articleId: string;
  /** The revision being signed off: named in the dialog, sent as `revision`. */
  revision: number;
  opened: boolean;
  initialDecision: SignoffDecision;
  onClose: () => void;
  onDone: (result: SignoffResult) => void;
  onStale?: () => void;
}

const title = (decision: SignoffDecision, revision: number) =>
  decision === 'approve' ? `Approve revision ${revision}` : `Request changes on revision ${revision}`;

/** A reviewer's sign-off on one named revision; "Request changes" needs a reason the editor will read. */
export function SignoffDialog({ articleId, revision, opened, initialDecision, onClose, onDone, onStale }: Props) {
  const [decision, setDecision] = useState<SignoffDecision>(initialDecision);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [lastInitial, setLastInitial] = useState(initialDecision);
  if (lastInitial !== initialDecision) {
    setLastInitial(initialDecision);
    setDecision(initialDecision);
  }

  const signoff = useMutation({
    mutationFn: () =>
      api<SignoffResult>(`/articles/${articleId}/signoffs`, {
        method: 'POST',
        body: { decision, revision, ...(note.trim() ? { note: note.trim() } : {}) },
      }),
    onSuccess: (result) => {
      setNote('');
      onDone(result);
    },
  });
  const stale = signoff.error instanceof ApiError && signoff.error.code === 'stale_revision' ? signoff.error : null;

  const submit = () => {
    if (decision === 'request_changes' && !note.trim()) {
      setNoteError('Give a reason: the editor needs to know what to change.');
      return;
    }
    setNoteError(null);
    signoff.mutate();
  };

  return (
    <Modal opened={opened} onClose={onClose} title={title(decision, revision)} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack>
          <Radio.Group label="Your decision" value={decision} onChange={(v) => setDecision(v)}>
            <Stack gap="xs" mt={6}>
              <Radio value="approve" label={`Approve revision ${revision}`} description="It is medically accurate and its references support it." />
              <Radio value="request_changes" label="Request changes" description="The editor gets your reason and revises the article." />
            </Stack>
          </Radio.Group>
          <Textarea
            label={decision === 'request_changes' ? 'Reason' : 'Note (optional)'}
            description={decision === 'request_changes' ? 'Required: what must change before you can approve' : 'Shown to the editor and the other reviewers'}
            required={decision === 'request_changes'}
            autosize
            minRows={3}
            maxLength={5000}
            value={note}
            onChange={(e) => {
              setNote(e.currentTarget.value);
              if (noteError && e.currentTarget.value.trim()) setNoteError(null);
            }}
            error={noteError}
            data-autofocus
          />
          {signoff.isError && (
            <Alert color="red" title="Sign-off not recorded" role="alert">
              <Text size="sm">{errorMessage(signoff.error)}</Text>
              {stale && (
                <Group mt="xs">
                  <Text size="sm">The article now stands at revision {stale.currentRevision}: read it before signing off.</Text>
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
