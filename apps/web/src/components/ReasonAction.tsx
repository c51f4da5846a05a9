import { Button, Group, Modal, Stack, Text, Textarea, type ButtonProps } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useState, type ReactNode } from 'react';
import { z } from 'zod';
import { useArticleAction } from '../api/articles';
import { errorMessage } from '../api/client';
import type { Article } from '../api/types';

const reasonSchema = z.object({ reason: z.string().refine((value) => value.trim() !== '', 'Give a reason') });
const validateReason = schemaResolver(reasonSchema, { sync: true });

interface Props {
  article: Article;
  /** The workflow actions that need a reason (contract §5, §9): recorded in the audit log, and for unpublish shown to readers. */
  action: 'archive' | 'unpublish' | 'declareConflict';
  /** The button that opens the dialog. */
  label: string;
  title: string;
  explanation: ReactNode;
  confirmLabel: string;
  buttonProps?: ButtonProps;
}

/** A button, and a dialog that asks why before it takes the action. */
export function ReasonAction({ article, action, label, title, explanation, confirmLabel, buttonProps }: Props) {
  const [open, setOpen] = useState(false);
  const run = useArticleAction(article.id, action);
  const form = useForm({ initialValues: { reason: '' }, validate: validateReason });
  const close = () => {
    setOpen(false);
    run.reset();
  };
  return (
    <>
      <Button variant="default" color="red" {...buttonProps} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal opened={open} onClose={close} title={title}>
        <form
          onSubmit={form.onSubmit(({ reason }) =>
            run.mutate(
              { reason: reason.trim() },
              {
                onSuccess: () => {
                  form.reset();
                  setOpen(false);
                },
              },
            ),
          )}
          noValidate
        >
          <Stack>
            <Text size="sm">{explanation}</Text>
            <Textarea label="Reason" required autosize minRows={2} data-autofocus {...form.getInputProps('reason')} />
            {run.isError && (
              <Text c="red.8" size="sm" role="alert">
                {errorMessage(run.error)}
              </Text>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" color="red" disabled={!form.values.reason.trim()} loading={run.isPending}>
                {confirmLabel}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
