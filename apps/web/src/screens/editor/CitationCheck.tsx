import { Badge, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { memo, useMemo } from 'react';
import { citationReport, problemPlace, type ArticleDraft } from '../../lib/content';
import { plural } from '../../lib/format';

/**
 * The shared citation check (the code the API runs) on what is being typed, the article and every
 * audience version, with each problem's place (and version). Memoised: given the deferred draft, a
 * keystroke's urgent render skips it.
 */
export const CitationCheck = memo(function CitationCheck({
  draft,
}: {
  draft: Pick<ArticleDraft, 'summary' | 'body' | 'references' | 'variants'>;
}) {
  const report = useMemo(() => citationReport(draft), [draft]);
  const errors = report.problems.filter((p) => p.severity === 'error');
  const warnings = report.problems.filter((p) => p.severity === 'warning');
  const color = report.status === 'failed' ? 'red' : report.status === 'warning' ? 'yellow' : 'green';
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="citation-check-title">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h5" id="citation-check-title">
            Citation check
          </Title>
          <Badge color={color} variant="light">
            {report.status === 'failed' ? 'Errors' : report.status === 'warning' ? 'Warnings' : 'All citations fit'}
          </Badge>
        </Group>
        <Text size="sm" aria-live="polite" data-testid="citation-summary">
          {errors.length === 0 && warnings.length === 0
            ? `${plural(report.cited.length, 'reference')} cited, every marker names a reference.`
            : `${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')}.`}
        </Text>
        {report.problems.length > 0 && (
          <List size="sm" spacing={4} aria-label="Citation problems">
            {report.problems.map((problem, i) => {
              const place = problemPlace(problem, draft);
              return (
                <List.Item key={i} c={problem.severity === 'error' ? 'red.9' : 'yellow.9'}>
                  <Text span fw={600} size="sm">
                    {problem.severity === 'error' ? 'Error' : 'Warning'}:
                  </Text>{' '}
                  {problem.message}
                  {place && ` (${place})`}
                </List.Item>
              );
            })}
          </List>
        )}
        <Text size="xs" c="dimmed">
          It covers every version: they cite the same references by the same numbers. The same check runs on the server
          when you save and submit; a draft may be saved with errors, but not submitted.
        </Text>
      </Stack>
    </Paper>
  );
});
