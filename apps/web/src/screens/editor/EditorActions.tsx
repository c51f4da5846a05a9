import { Alert, Button, Group, List, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import type { ArticleActionMutation } from '../../api/articles';
import { ApiError, errorMessage } from '../../api/client';
import type { Article } from '../../api/types';
import { ErrorState } from '../../components/states';

interface Props {
  /** null: a new article, which can only be created. */
  article: Article | null;
  /** The revision being edited (and the one a submit sends for review). */
  base: number | null;
  dirty: boolean;
  archived: boolean;
  saving: boolean;
  /** The workflow actions the article's state allows (contract §5). */
  canSubmit: boolean;
  canWithdraw: boolean;
  submit: ArticleActionMutation<'submit'>;
  withdraw: ArticleActionMutation<'withdraw'>;
  onSubmitForReview: () => void;
  /** Saves the changes as a new revision and submits it, in one request (contract §19). */
  onSaveAndSubmit: () => void;
}

/**
 * What became of a submission, from the article the server answered: whether the review goes on (it
 * had started: contract §19), and who acts next. Without reviewers nobody can review it yet, and the
 * editor need not wait for a start that cannot come: an admin assigns them.
 */
export function submittedNotice(article: Pick<Article, 'state' | 'reviewers'>): string {
  if (article.state === 'under_review')
    return 'Submitted for review. The board had started: the review goes on with this revision.';
  if (article.reviewers.length === 0) return 'Submitted — an admin will assign reviewers.';
  return 'Submitted for review. The assigned reviewers can start now.';
}

/** Save (the form's submit button), submit for review and withdraw, with what became of each. */
export function EditorActions({
  article,
  base,
  dirty,
  archived,
  saving,
  canSubmit,
  canWithdraw,
  submit,
  withdraw,
  onSubmitForReview,
  onSaveAndSubmit,
}: Props) {
  const submitError = submit.error;
  // The button pressed goes away (submitted) or is disabled while it works: what came of it takes the
  // focus instead, so that it is read out and the keyboard goes on from there, never from the page's top.
  const submitOutcomeRef = useRef<HTMLDivElement>(null);
  const withdrawOutcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (submit.isSuccess || submit.isError) submitOutcomeRef.current?.focus();
  }, [submit.isSuccess, submit.isError]);
  useEffect(() => {
    if (withdraw.isSuccess || withdraw.isError) withdrawOutcomeRef.current?.focus();
  }, [withdraw.isSuccess, withdraw.isError]);
  return (
    <>
      <Group>
        <Button type="submit" loading={saving} disabled={archived || (!!article && !dirty)}>
          {article ? `Save as revision ${(base ?? 0) + 1}` : 'Create article'}
        </Button>
        {article && canSubmit && dirty && (
          <Button variant="filled" color="teal" onClick={onSaveAndSubmit} loading={saving} disabled={archived}>
            Save and submit for review
          </Button>
        )}
        {article && canSubmit && !dirty && (
          <Button variant="filled" color="teal" onClick={onSubmitForReview} loading={submit.isPending}>
            Submit revision {base} for review
          </Button>
        )}
        {article && canWithdraw && (
          <Button variant="default" onClick={() => withdraw.mutate()} loading={withdraw.isPending}>
            Withdraw from review
          </Button>
        )}
      </Group>
      {submit.isSuccess && submit.data && (
        <Alert color="green" role="status" ref={submitOutcomeRef} tabIndex={-1}>
          {submittedNotice(submit.data)}
        </Alert>
      )}
      {withdraw.isSuccess && (
        <Alert color="gray" role="status" ref={withdrawOutcomeRef} tabIndex={-1}>
          Withdrawn from review: the article is a draft again.
        </Alert>
      )}
      {withdraw.isError && (
        <div ref={withdrawOutcomeRef} tabIndex={-1}>
          <ErrorState error={withdraw.error} title="Not withdrawn" />
        </div>
      )}
      {submit.isError && (
        <Alert color="red" title="Not submitted" role="alert" ref={submitOutcomeRef} tabIndex={-1}>
          <Text size="sm">{errorMessage(submitError)}</Text>
          {submitError instanceof ApiError && submitError.problemMessages.length > 0 && (
            <List size="sm" aria-label="Problems found by the server">
              {submitError.problemMessages.map((m, i) => (
                <List.Item key={i}>{m}</List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
    </>
  );
}
