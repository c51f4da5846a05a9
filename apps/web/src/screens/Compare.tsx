import { Alert, Anchor, Badge, Card, Group, List, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { articleQueries, useLastSignedRevision } from '../api/articles';
import type { Article, RevisionDiff, User, VariantDiff } from '../api/types';
import { hasRole, useUser } from '../auth/session';
import { ReferenceSummary } from '../components/ArticleText';
import { DiffView } from '../components/DiffView';
import { QueryView } from '../components/states';
import { AUDIENCE_LABEL } from '../lib/content';
import { formatDateTime } from '../lib/format';
import { usePageTitle } from '../lib/usePageTitle';

const FIELD_LABEL: Record<string, string> = {
  type: 'Type',
  title: 'Title',
  source: 'Source',
  year: 'Year',
  url: 'URL',
  doi: 'DOI',
  pmid: 'PMID',
};
const show = (value: string | number | null | undefined) =>
  value === null || value === undefined || value === '' ? '(none)' : String(value);

export function ReferenceChanges({ changes }: { changes: RevisionDiff['references'] }) {
  const none = changes.added.length + changes.removed.length + changes.changed.length === 0;
  if (none) return <Text size="sm">No reference changed.</Text>;
  return (
    <Stack gap="sm">
      {changes.added.length > 0 && (
        <Stack gap={4}>
          <Title order={3} size="h5">
            Added
          </Title>
          <List size="sm">
            {changes.added.map((r) => (
              <List.Item key={r.n}>
                <ins>
                  <span className="visually-hidden">[inserted: </span>Reference {r.n}:{' '}
                </ins>
                <ReferenceSummary reference={r} />
                <span className="visually-hidden">]</span>
              </List.Item>
            ))}
          </List>
        </Stack>
      )}
      {changes.removed.length > 0 && (
        <Stack gap={4}>
          <Title order={3} size="h5">
            Removed
          </Title>
          <List size="sm">
            {changes.removed.map((r) => (
              <List.Item key={r.n}>
                <del>
                  <span className="visually-hidden">[deleted: </span>Reference {r.n}: {r.title}
                  <span className="visually-hidden">]</span>
                </del>
              </List.Item>
            ))}
          </List>
        </Stack>
      )}
      {changes.changed.length > 0 && (
        <Stack gap={4}>
          <Title order={3} size="h5">
            Changed
          </Title>
          <Table.ScrollContainer minWidth={340}>
            <Table withTableBorder fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Reference</Table.Th>
                  <Table.Th scope="col">Field</Table.Th>
                  <Table.Th scope="col">Before</Table.Th>
                  <Table.Th scope="col">After</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {changes.changed.flatMap((c) =>
                  (Object.keys(c.after) as (keyof typeof c.after)[]).map((field) => (
                    <Table.Tr key={`${c.n}-${field}`}>
                      <Table.Td>{c.n}</Table.Td>
                      <Table.Td>{FIELD_LABEL[field] ?? field}</Table.Td>
                      <Table.Td style={{ overflowWrap: 'anywhere' }}>
                        <del>
                          <span className="visually-hidden">[deleted: </span>
                          {show(c.before[field])}
                          <span className="visually-hidden">]</span>
                        </del>
                      </Table.Td>
                      <Table.Td style={{ overflowWrap: 'anywhere' }}>
                        <ins>
                          <span className="visually-hidden">[inserted: </span>
                          {show(c.after[field])}
                          <span className="visually-hidden">]</span>
                        </ins>
                      </Table.Td>
                    </Table.Tr>
                  )),
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
    </Stack>
  );
}

function Change({ before, after }: { before: string; after: string }) {
  return (
    <Text size="sm" className="diff">
      <del>
        <span className="visually-hidden">[deleted: </span>
        {before}
        <span className="visually-hidden">]</span>
      </del>{' '}
      →{' '}
      <ins>
        <span className="visually-hidden">[inserted: </span>
        {after}
        <span className="visually-hidden">]</span>
      </ins>
    </Text>
  );
}

const VARIANT_STATUS: Record<VariantDiff['status'], { color: string; words: (diff: RevisionDiff) => string | null }> = {
  added: { color: 'green', words: (d) => `Added in revision ${d.to}.` },
  removed: { color: 'red', words: (d) => `Removed in revision ${d.to}: these readers get the professional text.` },
  changed: { color: 'yellow', words: () => null },
  unchanged: { color: 'gray', words: () => null },
};

/** One audience's version compared (contract §13): what became of it, then its title, summary and body as for the article. */
export function VariantChanges({ variant, diff }: { variant: VariantDiff; diff: RevisionDiff }) {
  const label = AUDIENCE_LABEL[variant.audience];
  const lower = label.toLowerCase();
  const id = `diff-variant-${variant.audience}`;
  const status = VARIANT_STATUS[variant.status];
  // A variant without its own title shows the article's.
  const titleOf = (title: string | null) => title ?? '(the article’s title)';
  return (
    <Card withBorder component="section" aria-labelledby={id}>
      <Group gap="xs" mb="xs">
        <Title order={2} size="h4" id={id}>
          {label} version
        </Title>
        <Badge color={status.color} variant="light">
          {variant.status}
        </Badge>
      </Group>
      <Stack gap="sm">
        {status.words(diff) && <Text size="sm">{status.words(diff)}</Text>}
        {variant.status !== 'unchanged' && (
          <>
            <Stack gap={4}>
              <Title order={3} size="h5">
                Title
              </Title>
              {variant.title ? (
                <Change before={titleOf(variant.title.before)} after={titleOf(variant.title.after)} />
              ) : (
                <Text size="sm">Unchanged.</Text>
              )}
            </Stack>
            {variant.summary && (
              <Stack gap={4}>
                <Title order={3} size="h5">
                  Summary
                </Title>
                <DiffView patch={variant.summary} label={`Changes to the ${lower} summary`} />
              </Stack>
            )}
            <Stack gap={4}>
              <Title order={3} size="h5">
                Body
              </Title>
              {variant.body ? (
                <DiffView patch={variant.body} label={`Changes to the ${lower} body`} />
              ) : (
                <Text size="sm">Unchanged.</Text>
              )}
            </Stack>
          </>
        )}
      </Stack>
    </Card>
  );
}

export function DiffResult({ diff }: { diff: RevisionDiff }) {
  return (
    <Stack gap="lg" className="diff-result">
      <Card withBorder component="section" aria-labelledby="diff-title">
        <Title order={2} size="h4" id="diff-title" mb="xs">
          Title
        </Title>
        {diff.title ? (
          <Change before={diff.title.before} after={diff.title.after} />
        ) : (
          <Text size="sm">Unchanged.</Text>
        )}
      </Card>
      {diff.summary && (
        <Card withBorder component="section" aria-labelledby="diff-summary">
          <Title order={2} size="h4" id="diff-summary" mb="xs">
            Summary
          </Title>
          <DiffView patch={diff.summary} label="Changes to the summary" />
        </Card>
      )}
      <Card withBorder component="section" aria-labelledby="diff-body">
        <Title order={2} size="h4" id="diff-body" mb="xs">
          Body
        </Title>
        {diff.body ? <DiffView patch={diff.body} label="Changes to the body" /> : <Text size="sm">Unchanged.</Text>}
      </Card>
      {diff.variants.map((variant) => (
        <VariantChanges key={variant.audience} variant={variant} diff={diff} />
      ))}
      <Card withBorder component="section" aria-labelledby="diff-refs">
        <Title order={2} size="h4" id="diff-refs" mb="xs">
          References
        </Title>
        <ReferenceChanges changes={diff.references} />
      </Card>
    </Stack>
  );
}

/**
 * Where someone who came to compare goes back to: an assigned reviewer to the review they were doing,
 * an editor to the editor, anyone else to the overview (which the header links to anyway).
 */
export function backFromCompare(article: Pick<Article, 'id' | 'reviewers' | 'state'>, me: User) {
  if (article.reviewers.some((r) => r.id === me.id))
    return { to: `/articles/${article.id}/review`, label: 'Back to the review' };
  if (hasRole(me, 'editor') && article.state !== 'archived')
    return { to: `/articles/${article.id}/edit`, label: 'Back to the editor' };
  return null;
}

function BackLink({ article, me }: { article: Article; me: User }) {
  const back = backFromCompare(article, me);
  if (!back) return null;
  return (
    <Anchor component={Link} to={back.to} size="sm" fw={600}>
      <span aria-hidden>← </span>
      {back.label}
    </Anchor>
  );
}

/** `/articles/:id/compare?from=&to=`: two revisions; by default, for a reviewer, since their last sign-off. */
export function Compare() {
  const { id = '' } = useParams();
  const me = useUser();
  const [params, setParams] = useSearchParams();
  const article = useQuery(articleQueries.detail(id));
  const revisions = useQuery(articleQueries.revisions(id));
  const lastSignoff = useLastSignedRevision(id, me.id);
  usePageTitle(article.data ? `Compare: ${article.data.title}` : 'Compare revisions');

  const current = article.data?.currentRevision ?? 0;
  const lastSigned = lastSignoff.data ?? null;
  const defaultFrom = lastSigned !== null && lastSigned < current ? lastSigned : Math.max(1, current - 1);
  const from = Number(params.get('from')) || defaultFrom;
  const to = Number(params.get('to')) || current;
  // Without ?from= the default waits for the history: comparing twice (the last revision, then the last sign-off) would flicker.
  const ready = current > 0 && (!lastSignoff.isPending || params.has('from'));
  const diff = useQuery({ ...articleQueries.diff(id, from, to), enabled: ready && from > 0 && to > 0 });

  const numbers = (revisions.data ?? []).map((r) => r.number).sort((a, b) => a - b);
  const options = (numbers.length ? numbers : Array.from({ length: current }, (_, i) => i + 1)).map((n) => {
    const r = revisions.data?.find((x) => x.number === n);
    return {
      value: String(n),
      label: `Revision ${n}${r ? ` — ${formatDateTime(r.createdAt)}` : ''}${n === lastSigned ? ' (your last sign-off)' : ''}`,
    };
  });

  return (
    <QueryView query={article} loadingLabel="Loading the article…">
      {(a) => (
        <Stack>
          <Stack gap={4}>
            <Title order={1}>Compare revisions: {a.title}</Title>
            <Group gap="sm">
              <BackLink article={a} me={me} />
              <Anchor component={Link} to={`/articles/${id}`} size="sm">
                Article overview
              </Anchor>
              <Anchor component={Link} to={`/articles/${id}/timeline`} size="sm">
                Timeline
              </Anchor>
            </Group>
          </Stack>
          {a.currentRevision < 2 ? (
            <Alert color="gray">This article has one revision: there is nothing to compare yet.</Alert>
          ) : (
            <>
              <Group align="flex-end" grow preventGrowOverflow={false} wrap="wrap">
                <NativeSelect
                  label="From"
                  data={options}
                  value={String(from)}
                  onChange={(e) => setParams({ from: e.currentTarget.value, to: String(to) })}
                />
                <NativeSelect
                  label="To"
                  data={options}
                  value={String(to)}
                  onChange={(e) => setParams({ from: String(from), to: e.currentTarget.value })}
                />
              </Group>
              {lastSigned !== null && from === lastSigned && to === current && (
                <Text size="sm" role="status">
                  Showing the changes since your last sign-off (revision {lastSigned}).
                </Text>
              )}
              {revisions.data &&
                revisions.data
                  .filter((r) => r.number > from && r.number <= to && r.changeNote)
                  .map((r) => (
                    <Alert key={r.number} color="blue" title={`Change note, revision ${r.number}`}>
                      {r.changeNote}
                    </Alert>
                  ))}
              <QueryView query={diff} loadingLabel="Comparing…">
                {(d) => <DiffResult diff={d} />}
              </QueryView>
            </>
          )}
        </Stack>
      )}
    </QueryView>
  );
}
