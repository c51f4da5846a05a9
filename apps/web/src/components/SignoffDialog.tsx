import {
  Alert,
  Anchor,
  Button,
  Group,
  List,
  Modal,
  PasswordInput,
  Radio,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import { useArticleAction } from '../api/articles';
import { ApiError, errorMessage } from '../api/client';
import type { ChangeClass, Comment, ContentChange, SignoffDecision, SignoffResult } from '../api/types';
import { formatDateTime } from '../lib/format';
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
  /** Who is signing, as their signature will print them; `id` finds their own comments. */
  signer?: { id?: string; name: string; credentials: string | null };
  /**
   * The article's comments (the workspace's list): an approval while one of the signer's own blocking
   * comments is open asks first, since the article cannot be approved until it is resolved (contract §5).
   */
  comments?: readonly Comment[];
  opened: boolean;
  /** The decision the dialog opens on. The form starts once: give the dialog a new `key` to start over. */
  initialDecision: SignoffDecision;
  onClose: () => void;
  /** After the sign-off; after the final approval, once the approver has read what happens next. */
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

/** When a just-approved article goes live, if later than now (its `publishAt`); null: at once. */
const scheduledAt = (article: Pick<SignoffResult['article'], 'publishAt'>, now: number) =>
  article.publishAt && new Date(article.publishAt).getTime() > now ? article.publishAt : null;

/** "Approved — will be published at …" or "Approved — published": the approval that completed the board's. */
export function approvalOutcome(article: Pick<SignoffResult['article'], 'publishAt'>, now = Date.now()): string {
  const at = scheduledAt(article, now);
  return at ? `Approved — will be published at ${formatDateTime(at)}` : 'Approved — published';
}

/** The final approval's outcome: when readers get the article, and where. */
function Approved({ result, at, onDone }: { result: SignoffResult; at: number; onDone: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The dialog's next meaningful place once the form is gone: the outcome, read out as it takes the focus.
  useEffect(() => headingRef.current?.focus(), []);
  const readerPage = `/read/${result.article.slug}`;
  const scheduled = scheduledAt(result.article, at) !== null;
  return (
    <Stack>
      <Title order={2} size="h3" tabIndex={-1} ref={headingRef}>
        {approvalOutcome(result.article, at)}
      </Title>
      <Text size="sm">
        Your approval of revision {result.signoff.revision} completed the board&apos;s sign-off.{' '}
        {scheduled
          ? 'Until then readers keep getting what is live now.'
          : 'Publishing runs in the background: readers get it within moments.'}
      </Text>
      <Text size="sm">
        The reader page: <Anchor href={readerPage}>{readerPage}</Anchor>
      </Text>
      <Group justify="flex-end">
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
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
  comments = [],
  opened,
  initialDecision,
  onClose,
  onDone,
  onStale,
}: Props) {
  const form = useForm({ initialValues: { decision: initialDecision, note: '' }, validate: validateSignoff });
  const passwordRef = useRef<HTMLInputElement>(null);
  const [passwordMissing, setPasswordMissing] = useState(false);
  /** Asked "approve anyway?" about the signer's own open blocking comments, and not answered yet. */
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);
  const approveRef = useRef<HTMLButtonElement>(null);
  /** The approval that completed the board's, and when it was answered (what "later" is measured from). */
  const [approved, setApproved] = useState<{ result: SignoffResult; at: number } | null>(null);
  const signoff = useArticleAction(articleId, 'signOff');
  const stale = signoff.error instanceof ApiError && signoff.error.code === 'stale_revision' ? signoff.error : null;
  const wrongPassword = signoff.error instanceof ApiError && signoff.error.code === 'reauthentication_failed';
  const { decision } = form.values;
  const ownOpenBlocking = signer?.id
    ? comments.filter((c) => c.blocking && !c.resolved && c.authorId === signer.id)
    : [];

  const forgetPassword = () => {
    if (passwordRef.current) passwordRef.current.value = '';
  };
  const close = () => {
    forgetPassword();
    // Signed already: closing is being done with the outcome.
    if (approved) onDone(approved.result);
    else onClose();
  };

  const sign = ({ note }: { note: string }, anyway = false) => {
    if (signoff.isPending) return; // Enter pressed again while the signature is on its way
    const password = passwordRef.current?.value ?? '';
    if (!password) {
      setPasswordMissing(true);
      passwordRef.current?.focus();
      return;
    }
    if (decision === 'approve' && ownOpenBlocking.length > 0 && !anyway) {
      setConfirming(true);
      requestAnimationFrame(() => confirmRef.current?.focus());
      return;
    }
    setConfirming(false);
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
          if (result.signoff.decision === 'approve' && result.article.state === 'approved')
            setApproved({ result, at: Date.now() });
          else onDone(result);
        },
        onError: () => passwordRef.current?.focus(),
      },
    );
  };
  // The note is wrong: say too, at once, whether the password is missing.
  const noteInvalid = () => setPasswordMissing(!passwordRef.current?.value);

  return (
    <Modal opened={opened} onClose={close} title={title(decision, revision)} size="lg">
      {approved ? (
        <Approved result={approved.result} at={approved.at} onDone={() => onDone(approved.result)} />
      ) : (
        <form onSubmit={(event) => form.onSubmit((values) => sign(values), noteInvalid)(event)} noValidate>
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
                setConfirming(false);
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
            {confirming && decision === 'approve' ? (
              <Alert
                color="yellow"
                ref={confirmRef}
                tabIndex={-1}
                role="alert"
                title={
                  ownOpenBlocking.length === 1
                    ? 'You have an open blocking comment on this article: approve anyway?'
                    : `You have ${ownOpenBlocking.length} open blocking comments on this article: approve anyway?`
                }
              >
                <List size="sm" aria-label="Your open blocking comments" spacing="xs">
                  {ownOpenBlocking.map((c) => (
                    <List.Item key={c.id}>
                      {c.anchor && (
                        <Text size="sm" fs="italic">
                          On “{c.anchor.quote}”:
                        </Text>
                      )}
                      {c.body}
                    </List.Item>
                  ))}
                </List>
                <Text size="sm" mt="xs">
                  Your approval is recorded, but the article is not approved while a blocking comment is open: resolve
                  it in the comments once it has been dealt with.
                </Text>
                <Group justify="flex-end" mt="sm">
                  <Button
                    variant="default"
                    onClick={() => {
                      setConfirming(false);
                      requestAnimationFrame(() => approveRef.current?.focus());
                    }}
                  >
                    Not yet
                  </Button>
                  <Button
                    color="green"
                    loading={signoff.isPending}
                    onClick={() => form.onSubmit((values) => sign(values, true), noteInvalid)()}
                  >
                    Approve anyway
                  </Button>
                </Group>
              </Alert>
            ) : (
              <Group justify="flex-end">
                <Button variant="default" onClick={close}>
                  Cancel
                </Button>
                <Button
                  ref={approveRef}
                  type="submit"
                  loading={signoff.isPending}
                  color={decision === 'approve' ? 'green' : 'orange'}
                >
                  {title(decision, revision)}
                </Button>
              </Group>
            )}
          </Stack>
        </form>
      )}
    </Modal>
  );
}
