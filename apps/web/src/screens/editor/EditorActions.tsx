import { Alert, Button, Group, List, Text } from '@mantine/core';
import type { ArticleActionMutation } from '../../api/articles';
import { ApiError, errorMessage } from '../../api/client';
import type { Article } from '../../api/types';
import { CheckBadges } from '../../components/badges';
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
        {dirty && (
          <Text size="sm" c="dimmed" role="status">
            Unsaved changes.
          </Text>
        )}
      </Group>
      {submit.isSuccess && (
        <Alert color="green" role="status">
          {submit.data?.state === 'under_review'
            ? 'Submitted for review. The board had started: the review goes on with this revision.'
            : 'Submitted for review. The assigned reviewers can start now.'}
        </Alert>
      )}
      {withdraw.isError && <ErrorState error={withdraw.error} title="Not withdrawn" />}
      {submit.isError && (
        <Alert color="red" title="Not submitted" role="alert">
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
      {article && <CheckBadges checks={article.checks} />}
    </>
  );
}
