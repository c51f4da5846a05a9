import { Anchor, Badge, Button, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { articleQueries, useRerunChecks } from '../api/articles';
import { errorMessage } from '../api/client';
import type { CheckName, CheckResult, LinkResult, LinkStatus, Reference, VariantAudience } from '../api/types';
import { CheckBadge } from './badges';
import { EvidenceCheck } from './EvidenceCheck';
import { QueryView } from './states';
import { AUDIENCE_LABEL } from '../lib/content';
import { formatDateTime } from '../lib/format';

type Shown = LinkStatus | 'pending';
const LINK_COLOR: Record<Shown, string> = {
  ok: 'green',
  redirected: 'yellow',
  unverifiable: 'yellow',
  broken: 'red',
  timeout: 'red',
  blocked: 'red',
  error: 'red',
  pending: 'gray',
};
const LINK_WORDS: Record<Shown, string> = {
  ok: 'ok',
  redirected: 'moved permanently',
  unverifiable: 'could not verify (bot wall)',
  broken: 'broken',
  timeout: 'timed out',
  blocked: 'blocked address',
  error: 'error',
  pending: 'pending — not checked yet',
};

interface LinkRow {
  n: number;
  kind: 'url' | 'doi' | 'pmid';
  target: string;
  result: LinkResult | null;
}

/** Every link of every reference, with its result when there is one: a link without a result is pending, never passed. */
export function linkRows(references: Reference[], results: LinkResult[]): LinkRow[] {
  return references.flatMap((ref, i) => {
    const n = i + 1;
    const kinds = (['url', 'doi', 'pmid'] as const).filter((k) => ref[k]);
    return kinds.map((kind) => ({
      n,
      kind,
      target: ref[kind] ?? '',
      result: results.find((r) => r.n === n && r.kind === kind) ?? null,
    }));
  });
}

const asArray = <T,>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/** One version's reading grade in `readability` details (contract §13): Flesch–Kincaid, one decimal, null without words. */
interface ReadingGrade {
  audience: VariantAudience;
  grade: number | null;
}
/** One quantity of a version that the professional text does not give, in `consistency` details. */
interface ConsistencyProblem {
  audience: VariantAudience;
  field: 'title' | 'summary' | 'body';
  /** The canonical form looked for (`75 mg/m2`); `written` is how the version wrote it. */
  quantity: string;
  written: string;
  sentence: string;
}

const gradeText = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
const versionName = (audience: VariantAudience) => `${AUDIENCE_LABEL[audience]} version`;

/** The reading level of each audience version: a warning above the limit, which does not block approval. */
function ReadabilityCheck({ check }: { check: CheckResult }) {
  const maxGrade = typeof check.details.maxGrade === 'number' ? check.details.maxGrade : null;
  const grades = asArray<ReadingGrade>(check.details.grades);
  return (
    <Stack gap={4}>
      <CheckBadge name="readability" status={check.status} />
      {check.status !== 'pending' && grades.length === 0 && (
        <Text size="sm">No patient or caregiver version: nothing to grade.</Text>
      )}
      {grades.length > 0 && (
        <List size="sm" aria-label="Reading grade of each version">
          {grades.map(({ audience, grade }) => {
            const above = grade !== null && maxGrade !== null && grade > maxGrade;
            const limit = maxGrade === null ? '' : gradeText(maxGrade);
            return (
              <List.Item key={audience}>
                {above ? 'Warning: ' : ''}
                {versionName(audience)}:{' '}
                {grade === null
                  ? 'no words to grade'
                  : `reading grade ${gradeText(grade)}${limit && (above ? `, above the limit of ${limit}` : ` (limit ${limit})`)}`}
              </List.Item>
            );
          })}
        </List>
      )}
      {check.status === 'warning' && (
        <Text size="xs" c="dimmed">
          Shorter sentences and everyday words lower the grade. A reading-level warning does not block approval.
        </Text>
      )}
    </Stack>
  );
}

/** One reference older than the limit, in `staleness` details (contract §6). */
interface StaleReference {
  n: number;
  title: string;
  year: number;
}

/** "Gronchi A" → "Gronchi": a Vancouver name without its initials. */
const surname = (name: string) => name.replace(/\s+\p{Lu}{1,3}$/u, '');

/**
 * "Reference 3 (Smith et al. 2009) is 17 years old, over the limit of 10 years: Statins in the elderly".
 * The reference as a reader of the list finds it (its number, first author and year), its age counted
 * to this year; `reference` is that number's entry, when the caller has the revision's references.
 */
export function staleReferenceText(
  stale: StaleReference,
  maxAgeYears: number | null,
  reference?: Reference,
  now = new Date(),
): string {
  // Only the same reference lends its authors: a list of another revision may number them otherwise.
  const authors = reference && reference.title === stale.title ? (reference.authors ?? []) : [];
  const who = authors.length > 0 ? `${surname(authors[0])}${authors.length > 1 ? ' et al.' : ''} ` : '';
  const age = now.getUTCFullYear() - stale.year;
  const limit = maxAgeYears === null ? '' : `, over the limit of ${maxAgeYears} years`;
  return `Reference ${stale.n} (${who}${stale.year}) is ${age} year${age === 1 ? '' : 's'} old${limit}: ${stale.title}`;
}

/** Which references the `staleness` check found too old, each by name: a warning, which does not block approval. */
export function StaleReferenceList({ check, references }: { check: CheckResult; references?: Reference[] }) {
  const stale = asArray<StaleReference>(check.details.stale);
  const maxAgeYears = typeof check.details.maxAgeYears === 'number' ? check.details.maxAgeYears : null;
  if (check.status === 'pending' || stale.length === 0) return null;
  return (
    <List size="sm" aria-label="References older than the limit">
      {stale.map((s) => (
        <List.Item key={s.n}>{staleReferenceText(s, maxAgeYears, references?.[s.n - 1])}</List.Item>
      ))}
    </List>
  );
}

function StalenessCheck({ check, references }: { check: CheckResult; references: Reference[] }) {
  return (
    <Stack gap={4}>
      <CheckBadge name="staleness" status={check.status} />
      <StaleReferenceList check={check} references={references} />
    </Stack>
  );
}

/**
 * Under an article's check badges (the editor's): which references "Reference age: warning" is about,
 * from the checks of the current revision and that revision's references.
 */
export function ReferenceAgeNotice({ articleId }: { articleId: string }) {
  const checks = useQuery(articleQueries.checks(articleId));
  const revision = checks.data?.revision;
  const references = useQuery({
    ...articleQueries.revision(articleId, revision ?? 0),
    enabled: revision !== undefined,
  });
  if (!checks.data) return null;
  return <StaleReferenceList check={checks.data.checks.staleness} references={references.data?.references} />;
}

/** The quantities of each audience version against the professional text: a failure blocks approval. */
function ConsistencyCheck({ check }: { check: CheckResult }) {
  const problems = asArray<ConsistencyProblem>(check.details.problems);
  return (
    <Stack gap={4}>
      <CheckBadge name="consistency" status={check.status} />
      {check.status === 'failed' && (
        <Text size="sm" c="red.9" fw={600}>
          This blocks approval, as failed citations and links do: every dose or quantity in a patient or caregiver
          version must also be in the professional text.
        </Text>
      )}
      {problems.length > 0 && (
        <List size="sm" aria-label="Quantities not in the professional text">
          {problems.map((p, i) => (
            <List.Item key={i}>
              {versionName(p.audience)}, {p.field}: “{p.written || p.quantity}”
              {p.written && p.written !== p.quantity ? ` (${p.quantity})` : ''} is not in the professional text, in: “
              {p.sentence}”
            </List.Item>
          ))}
        </List>
      )}
      {check.status === 'passed' && (
        <Text size="sm">Every quantity in the audience versions is also in the professional text.</Text>
      )}
    </Stack>
  );
}

export function ChecksPanel({
  articleId,
  references,
  canRerun,
}: {
  articleId: string;
  references: Reference[];
  canRerun: boolean;
}) {
  // While any check is pending the query looks again (the worker finishes link and evidence checks).
  const query = useQuery(articleQueries.checks(articleId));
  const rerun = useRerunChecks(articleId);
  return (
    <Stack gap="sm" component="section" aria-labelledby="checks-title">
      <Group justify="space-between">
        <Title order={2} size="h4" id="checks-title">
          Checks
        </Title>
        {canRerun && (
          <Button size="xs" variant="default" onClick={() => rerun.mutate()} loading={rerun.isPending}>
            Run checks again
          </Button>
        )}
      </Group>
      {rerun.isError && (
        <Text c="red.8" size="sm" role="alert">
          {errorMessage(rerun.error)}
        </Text>
      )}
      <QueryView query={query} loadingLabel="Loading checks…">
        {(data) => {
          const get = (name: CheckName) => data.checks[name];
          const problems = asArray<{ message: string; severity: string }>(get('citations').details.problems);
          // While the links check is pending, any earlier result is not this run's: every link shows pending.
          const rows = linkRows(
            references,
            get('links').status === 'pending' ? [] : asArray<LinkResult>(get('links').details.links),
          );
          return (
            <Stack gap="sm">
              <Text size="sm">Revision {data.revision}</Text>
              <Stack gap={4}>
                <CheckBadge name="citations" status={get('citations').status} />
                {problems.length > 0 && (
                  <List size="sm">
                    {problems.map((p, i) => (
                      <List.Item key={i}>
                        {p.severity === 'error' ? 'Error' : 'Warning'}: {p.message}
                      </List.Item>
                    ))}
                  </List>
                )}
              </Stack>
              <StalenessCheck check={get('staleness')} references={references} />
              <ConsistencyCheck check={get('consistency')} />
              <ReadabilityCheck check={get('readability')} />
              <Stack gap={4}>
                <CheckBadge name="links" status={get('links').status} />
                {rows.length === 0 ? (
                  <Text size="sm">No links to check.</Text>
                ) : (
                  <Table.ScrollContainer minWidth={300}>
                    <Table striped withTableBorder fz="sm">
                      <Table.Caption>Every link of every reference</Table.Caption>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th scope="col">Ref.</Table.Th>
                          <Table.Th scope="col">Link</Table.Th>
                          <Table.Th scope="col">Status</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {rows.map((row) => {
                          const status: Shown = row.result?.status ?? 'pending';
                          return (
                            <Table.Tr key={`${row.n}-${row.kind}`}>
                              <Table.Td>{row.n}</Table.Td>
                              <Table.Td style={{ overflowWrap: 'anywhere' }}>
                                {row.kind.toUpperCase()}{' '}
                                {row.result?.url ? (
                                  <Anchor href={row.result.url} target="_blank" rel="noopener noreferrer" size="sm">
                                    {row.target}
                                  </Anchor>
                                ) : (
                                  row.target
                                )}
                                {row.result?.finalUrl && row.result.finalUrl !== row.result.url && (
                                  <Text size="xs" c="dimmed">
                                    now at {row.result.finalUrl}
                                  </Text>
                                )}
                              </Table.Td>
                              <Table.Td>
                                <Badge
                                  color={LINK_COLOR[status]}
                                  variant={status === 'pending' ? 'outline' : 'light'}
                                  size="sm"
                                >
                                  {LINK_WORDS[status]}
                                </Badge>
                                {row.result?.httpStatus ? <Text size="xs">HTTP {row.result.httpStatus}</Text> : null}
                                {row.result?.error ? <Text size="xs">{row.result.error}</Text> : null}
                                {row.result?.checkedAt ? (
                                  <Text size="xs">checked {formatDateTime(row.result.checkedAt)}</Text>
                                ) : null}
                              </Table.Td>
                            </Table.Tr>
                          );
                        })}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                )}
              </Stack>
              <EvidenceCheck check={get('evidence')} references={references} />
            </Stack>
          );
        }}
      </QueryView>
    </Stack>
  );
}
