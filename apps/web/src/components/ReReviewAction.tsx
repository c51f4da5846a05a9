import { Alert, Button, Stack } from '@mantine/core';
import { useArticleAction } from '../api/articles';
import { errorMessage } from '../api/client';
import type { Article } from '../api/types';

/**
 * Opens the periodic review of a live article (contract §17): the live revision goes back to the board
 * as it is; the earlier sign-offs stop counting and the new approvals publish it again with new review dates.
 */
export function ReReviewAction({ article }: { article: Article }) {
  const run = useArticleAction(article.id, 'reReview');
  return (
    <Stack gap="xs">
      <Button variant="default" loading={run.isPending} onClick={() => run.mutate()}>
        Open a re-review
      </Button>
      {run.isError && (
        <Alert color="red" role="alert" title="The re-review could not be opened">
          {errorMessage(run.error)}
        </Alert>
      )}
    </Stack>
  );
}
