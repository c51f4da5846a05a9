import { Alert, Button, Group, Modal, PasswordInput, Radio, Stack, Text, Textarea } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useRef, useState } from 'react';
import { z } from 'zod';
import { useArticleAction } from '../api/articles';
import { ApiError, errorMessage } from '../api/client';
import type { ChangeClass, ContentChange, SignoffDecision, SignoffResult } from '../api/types';
import { OneTimeSecret } from '../lib/secret';
import { ChangeSignificance } from './ChangeSignificance';
import { ContentHash } from './Signatures';

interface Props {
  articleId: string;
  /** The revision being signed off: named in the dialog, sent as `revision`. */
  revision: number;
  /** That revision's content hash (the article's `currentContentHash`): shown in short, sent as `contentHash`. */
  contentHash: string;
  /** The revision's class and its reasons (contract §15), said before the reviewer signs; null class: revision 1. */
  significance?: { changeClass: ChangeClass | null; changes: readonly ContentChange[] };
  /** Who is signing, as their signature will print them. */
  signer?: { name: string; credentials: string | null };
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

export const WRONG_PASSWORD =
  'That password is not right. Your sign-off was not recorded; enter the password you sign in with.';

const duration = (seconds: number) =>
  seconds < 60
    ? `${seconds} second${seconds === 1 ? '' : 's'}`
    : `${Math.ceil(seconds / 60)} minute${Math.ceil(seconds / 60) === 1 ? '' : 's'}`;

/** The sign-off's failure in words; a wrong password and the throttle are the reviewer's to act on. */
function failure(error: unknown): string {
  if (error instanceof ApiError && error.code === 'reauthentication_failed') return WRONG_PASSWORD;
  if (error instanceof ApiError && error.status === 429) {
    const wait = error.retryAfterSeconds;
    return `Too many wrong passwords. Wait ${wait ? duration(wait) : 'a few minutes'} before you try again; your sign-off was not recorded.`;
  }
  return errorMessage(error);
}

/**
 * A reviewer's sign-off on one named revision, as an electronic signature (contract §12, after 21 CFR
 * Part 11 §11.200): the reviewer types their own password, and the request names the revision's
 * content hash, so that the signature is bound to exactly the text they were shown.
 *
 * The password never enters React state: the field is uncontrolled, read once on submit and emptied
 * at once, and it travels in the mutation only as a OneTimeSecret that the request body takes.
 */
export function SignoffDialog({
  articleId,
  revision,
  contentHash,
  significance,
  signer,
  opened,
  initialDecision,
  onClose,
  onDone,
  onStale,
}: Props) {
  const form = useForm({ initialValues: { decision: initialDecision, note: '' }, validate: validateSignoff });
  const passwordRef = useRef<HTMLInputElement>(null);
  const [passwordMissing, setPasswordMissing] = useState(false);
  const signoff = useArticleAction(articleId, 'signOff');
  const stale = signoff.error instanceof ApiError && signoff.error.code === 'stale_revision' ? signoff.error : null;
  const wrongPassword = signoff.error instanceof ApiError && signoff.error.code === 'reauthentication_failed';
  const { decision } = form.values;

  const forgetPassword = () => {
    if (passwordRef.current) passwordRef.current.value = '';
  };
  const close = () => {
    forgetPassword();
    onClose();
  };

  const sign = ({ note }: { note: string }) => {
    if (signoff.isPending) return; // Enter pressed again while the signature is on its way
    const password = passwordRef.current?.value ?? '';
    if (!password) {
      setPasswordMissing(true);
      passwordRef.current?.focus();
      return;
    }
    forgetPassword();
    signoff.mutate(
      {
        decision,
        revision,
        contentHash,
        password: new OneTimeSecret(password),
        ...(note.trim() ? { note: note.trim() } : {}),
      },
      {
        onSuccess: (result) => {
          form.setFieldValue('note', '');
          onDone(result);
        },
        onError: () => passwordRef.current?.focus(),
      },
    );
  };
  // The note is wrong: say too, at once, whether the password is missing.
  const noteInvalid = () => setPasswordMissing(!passwordRef.current?.value);

  return (
    <Modal opened={opened} onClose={close} title={title(decision, revision)} size="lg">
      <form onSubmit={(event) => form.onSubmit(sign, noteInvalid)(event)} noValidate>
        <Stack>
          <Text size="sm">
            You are signing revision {revision}, content <ContentHash hash={contentHash} />: the text as the review
            workspace shows it, which is what readers will get.
          </Text>
          {significance && (
            <ChangeSignificance
              revision={revision}
              changeClass={significance.changeClass}
              changes={significance.changes}
              compact
            />
          )}
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
          <PasswordInput
            ref={passwordRef}
            label="Your password"
            description={`This is your electronic signature (21 CFR Part 11)${
              signer ? ` as ${signer.name}${signer.credentials ? `, ${signer.credentials}` : ''}` : ''
            }: signing with the password you sign in with means you ${
              decision === 'approve' ? 'approve' : 'request changes to'
            } this exact text. It is checked, never stored.`}
            autoComplete="current-password"
            required
            maxLength={1024}
            error={passwordMissing ? 'Enter your password to sign.' : wrongPassword}
            // Mantine's PasswordInput does not mark its input invalid itself.
            aria-invalid={passwordMissing || wrongPassword || undefined}
            onChange={() => {
              if (passwordMissing) setPasswordMissing(false);
            }}
          />
          {signoff.isError && (
            <Alert color="red" title="Sign-off not recorded" role="alert">
              <Text size="sm">{failure(signoff.error)}</Text>
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
            <Button variant="default" onClick={close}>
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
