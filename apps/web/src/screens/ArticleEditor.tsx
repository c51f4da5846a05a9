import { Alert, Anchor, Badge, Button, Grid, Group, List, Modal, NumberInput, Paper, Stack, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { allowedActions } from '@imprimatur/domain/articles/workflow';
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useBlocker, useLocation, useNavigate, useParams } from 'react-router';
import { articleKeys, getArticle, invalidateArticle } from '../api/articles';
import { api, ApiError, errorMessage } from '../api/client';
import type { Article, Revision } from '../api/types';
import { CheckBadges, StateBadge } from '../components/badges';
import { MarkdownView, ReferenceList } from '../components/ArticleText';
import { ReferencesEditor } from '../components/ReferencesEditor';
import { ErrorState, Loading } from '../components/states';
import {
  citationReport,
  contentFromDraft,
  draftFromRevision,
  draftProblems,
  emptyDraft,
  isDirty,
  problemPlace,
  type ArticleDraft,
} from '../lib/content';
import { plural } from '../lib/format';
import { usePageTitle } from '../lib/usePageTitle';

/** `/articles/new`: the first revision of a new article. */
export function NewArticle() {
  usePageTitle('New article');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return (
    <EditorForm
      loaded={null}
      onSaved={(article) => {
        invalidateArticle(queryClient);
        void navigate(`/articles/${article.id}/edit`, { state: { notice: `Created “${article.title}” as revision 1.` } });
      }}
    />
  );
}

/** `/articles/:id/edit`: a new revision on the revision this screen was opened on (its base). */
export function EditArticle() {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const article = useQuery({ queryKey: articleKeys.one(id), queryFn: () => getArticle(id) });
  // The base stays put while the user types, even if a refetch shows that someone else saved meanwhile.
  const [base, setBase] = useState<number | null>(null);
  const location = useLocation();
  const [notice, setNotice] = useState<string | null>(() => (location.state as { notice?: string } | null)?.notice ?? null);
  useEffect(() => {
    if (base === null && article.data) setBase(article.data.currentRevision);
  }, [article.data, base]);
  const revision = useQuery({
    queryKey: articleKeys.revision(id, base ?? 0),
    queryFn: () => api<Revision>(`/articles/${encodeURIComponent(id)}/revisions/${base}`),
    enabled: base !== null,
    staleTime: Infinity, // revisions are immutable
  });
  usePageTitle(article.data ? `Edit: ${article.data.title}` : 'Edit article');

  if (article.isError) return <ErrorState error={article.error} onRetry={() => void article.refetch()} />;
  if (revision.isError) return <ErrorState error={revision.error} onRetry={() => void revision.refetch()} />;
  if (!article.data || !revision.data || base === null) return <Loading label="Loading the article…" />;

  const reload = async () => {
    setNotice(null);
    const fresh = await article.refetch();
    if (fresh.data) setBase(fresh.data.currentRevision);
  };

  return (
    <EditorForm
      key={`${id}:${base}`}
      loaded={{ article: article.data, revision: revision.data }}
      notice={notice}
      onReload={reload}
      onSaved={(updated, saved) => {
        if (saved) queryClient.setQueryData(articleKeys.revision(id, saved.number), saved);
        invalidateArticle(queryClient, id);
        setNotice(saved ? `Saved as revision ${saved.number}.` : null);
        if (saved) setBase(saved.number);
      }}
    />
  );
}

interface FormProps {
  loaded: { article: Article; revision: Revision } | null;
  notice?: string | null;
  onSaved: (article: Article, revision?: Revision) => void;
  onReload?: () => Promise<void>;
}

function CitationProblems({ draft }: { draft: ArticleDraft }) {
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
          The same check runs on the server when you save and submit; a draft may be saved with errors, but not submitted.
        </Text>
      </Stack>
    </Paper>
  );
}

function EditorForm({ loaded, notice, onSaved, onReload }: FormProps) {
  const initial = useMemo(() => (loaded ? draftFromRevision(loaded.revision) : emptyDraft()), [loaded]);
  const [draft, setDraft] = useState<ArticleDraft>(initial);
  const [showErrors, setShowErrors] = useState(false);
  const [localProblems, setLocalProblems] = useState<string[]>([]);
  const deferred = useDeferredValue(draft);
  const queryClient = useQueryClient();
  const problemsRef = useRef<HTMLDivElement>(null);

  const article = loaded?.article ?? null;
  const base = loaded?.revision.number ?? null;
  const dirty = isDirty(draft, initial) || (loaded === null && draft.slug.trim() !== '');
  const archived = article?.state === 'archived';
  const actions = article ? allowedActions(article.state) : [];
  const set = <K extends keyof ArticleDraft>(key: K, value: ArticleDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  // Someone else's revision, noticed by a background refetch before this user saves.
  const newer = article && base !== null && article.currentRevision > base ? article.currentRevision : null;

  // Leaving with unsaved changes asks first: another screen of the app, or closing the tab.
  const saved = useRef(false);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && !saved.current && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const save = useMutation({
    mutationFn: async (): Promise<{ article: Article; revision?: Revision }> => {
      const content = contentFromDraft(draft);
      if (!article) {
        const created = await api<Article>('/articles', { method: 'POST', body: { ...content, ...(draft.slug.trim() ? { slug: draft.slug.trim() } : {}) } });
        return { article: created };
      }
      const revision = await api<Revision>(`/articles/${encodeURIComponent(article.id)}/revisions`, {
        method: 'POST',
        body: { ...content, baseRevision: base },
      });
      return { article, revision };
    },
    onSuccess: (result) => {
      saved.current = true;
      onSaved(result.article, result.revision);
    },
  });

  const submit = useMutation({
    mutationFn: () => api<Article>(`/articles/${encodeURIComponent(article?.id ?? '')}/submit`, { method: 'POST', body: {} }),
    onSuccess: (updated) => {
      queryClient.setQueryData(articleKeys.one(updated.id), updated);
      invalidateArticle(queryClient, updated.id);
    },
  });

  const withdraw = useMutation({
    mutationFn: () => api<Article>(`/articles/${encodeURIComponent(article?.id ?? '')}/withdraw`, { method: 'POST', body: {} }),
    onSuccess: (updated) => {
      queryClient.setQueryData(articleKeys.one(updated.id), updated);
      invalidateArticle(queryClient, updated.id);
    },
  });

  const trySave = () => {
    if (save.isPending || archived) return;
    const problems = draftProblems(draft);
    setShowErrors(true);
    setLocalProblems(problems);
    if (problems.length > 0) {
      requestAnimationFrame(() => problemsRef.current?.focus());
      return;
    }
    submit.reset();
    save.mutate();
  };
  useHotkeys([['mod+S', trySave]], []);

  const stale = save.error instanceof ApiError && save.error.code === 'stale_revision' ? save.error : null;
  const submitError = submit.error;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        trySave();
      }}
      noValidate
    >
      <Modal opened={blocker.state === 'blocked'} onClose={() => blocker.reset?.()} title="Leave without saving?">
        <Stack>
          <Text size="sm">Your changes to this article are not saved. If you leave now, they are lost.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => blocker.reset?.()} data-autofocus>
              Stay and keep editing
            </Button>
            <Button color="red" onClick={() => blocker.proceed?.()}>
              Leave without saving
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Stack>
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Title order={1}>{article ? `Edit: ${article.title}` : 'New article'}</Title>
            {article && (
              <Group gap="xs">
                <StateBadge state={article.state} />
                <Text size="sm" c="dimmed">
                  Editing on revision {base} · {article.slug}
                </Text>
              </Group>
            )}
          </Stack>
          {article && (
            <Group gap="sm">
              <Anchor component={Link} to={`/articles/${article.id}`} size="sm">
                Article overview
              </Anchor>
              <Anchor component={Link} to={`/articles/${article.id}/timeline`} size="sm">
                Timeline
              </Anchor>
              {article.currentRevision > 1 && (
                <Anchor component={Link} to={`/articles/${article.id}/compare`} size="sm">
                  Compare revisions
                </Anchor>
              )}
            </Group>
          )}
        </Group>

        {notice && !dirty && (
          <Alert color="green" role="status">
            {notice}
          </Alert>
        )}
        {archived && <Alert color="gray">This article is archived: it can no longer be revised.</Alert>}
        {(stale || newer) && (
          <Alert color="orange" title="This article changed while you were editing" role="alert">
            <Stack gap="xs">
              <Text size="sm">
                Someone else saved revision {stale?.currentRevision ?? newer}. Your revision must start from the latest one: reload it, then make your
                changes again (copy anything you want to keep first).
              </Text>
              <Group>
                <Button size="xs" onClick={() => void onReload?.()}>
                  Reload revision {stale?.currentRevision ?? newer}
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        {save.isError && !stale && (
          <Alert color="red" title="Not saved" role="alert">
            <Text size="sm">{errorMessage(save.error)}</Text>
            {save.error instanceof ApiError && save.error.fieldMessages.length > 0 && (
              <List size="sm">
                {save.error.fieldMessages.map((m) => (
                  <List.Item key={m}>{m}</List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
        {localProblems.length > 0 && (
          <Alert color="red" title="Please fix these before saving" ref={problemsRef} tabIndex={-1}>
            <List size="sm">
              {localProblems.map((p) => (
                <List.Item key={p}>{p}</List.Item>
              ))}
            </List>
          </Alert>
        )}

        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack>
              <TextInput
                label="Title"
                description="The reader's question, e.g. “Can leiomyosarcoma be treated?”"
                required
                maxLength={300}
                value={draft.title}
                onChange={(e) => set('title', e.currentTarget.value)}
                error={showErrors && !draft.title.trim() ? 'Enter a title' : undefined}
                disabled={archived}
              />
              {!article && (
                <TextInput
                  label="Address (slug)"
                  description="Optional: lower-case words joined by dashes; made from the title if left empty"
                  value={draft.slug}
                  onChange={(e) => set('slug', e.currentTarget.value)}
                />
              )}
              <Textarea
                label="Summary"
                description="Markdown, optional"
                autosize
                minRows={2}
                maxRows={6}
                value={draft.summary}
                onChange={(e) => set('summary', e.currentTarget.value)}
                disabled={archived}
              />
              <Textarea
                label="Body"
                description="Markdown. Cite references by number: [1], [2, 3], [2-6]"
                required
                autosize
                minRows={12}
                maxRows={40}
                value={draft.body}
                onChange={(e) => set('body', e.currentTarget.value)}
                error={showErrors && !draft.body.trim() ? 'Write the body' : undefined}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 14 } }}
                disabled={archived}
              />
              <CitationProblems draft={deferred} />
              <Stack gap="xs">
                <Title order={2} size="h4">
                  References
                </Title>
                <ReferencesEditor rows={draft.references} onChange={(rows) => set('references', rows)} showErrors={showErrors} disabled={archived} />
              </Stack>
              <Grid>
                <Grid.Col span={{ base: 12, sm: 8 }}>
                  <TagsInput
                    label="Specialties"
                    description="Press Enter after each"
                    value={draft.specialties}
                    onChange={(value) => set('specialties', value)}
                    disabled={archived}
                  />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 4 }}>
                  <NumberInput
                    label="Review interval (days)"
                    description="Empty: the default"
                    min={1}
                    max={3650}
                    allowDecimal={false}
                    value={draft.reviewIntervalDays === '' ? '' : Number(draft.reviewIntervalDays)}
                    onChange={(value) => set('reviewIntervalDays', value === '' ? '' : String(value))}
                    disabled={archived}
                  />
                </Grid.Col>
              </Grid>
              <Textarea
                label="Change note"
                description="Why this revision: reviewers read it first"
                autosize
                minRows={2}
                maxLength={2000}
                value={draft.changeNote}
                onChange={(e) => set('changeNote', e.currentTarget.value)}
                disabled={archived}
              />
              <Group>
                <Button type="submit" loading={save.isPending} disabled={archived || (!!article && !dirty)}>
                  {article ? `Save as revision ${(base ?? 0) + 1}` : 'Create article'}
                </Button>
                {article && actions.includes('submit') && (
                  <Button
                    variant="filled"
                    color="teal"
                    onClick={() => {
                      save.reset();
                      submit.mutate();
                    }}
                    loading={submit.isPending}
                    disabled={dirty}
                  >
                    Submit revision {base} for review
                  </Button>
                )}
                {article && actions.includes('withdraw') && (
                  <Button variant="default" onClick={() => withdraw.mutate()} loading={withdraw.isPending}>
                    Withdraw from review
                  </Button>
                )}
                {dirty && (
                  <Text size="sm" c="dimmed" role="status">
                    Unsaved changes{article && actions.includes('submit') ? ' — save them before submitting' : ''}.
                  </Text>
                )}
              </Group>
              {submit.isSuccess && (
                <Alert color="green" role="status">
                  Submitted for review. The assigned reviewers can start now.
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
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Paper withBorder p="md" component="section" className="preview sticky-panel" aria-labelledby="preview-title" tabIndex={0}>
              <Stack gap="sm">
                <Text size="xs" tt="uppercase" fw={700} c="dimmed" id="preview-title">
                  Preview
                </Text>
                <Title order={2} size="h3">
                  {deferred.title || 'Untitled'}
                </Title>
                {deferred.summary.trim() && <MarkdownView markdown={deferred.summary} referenceCount={deferred.references.length} idPrefix="preview-ref-" />}
                <MarkdownView markdown={deferred.body} referenceCount={deferred.references.length} idPrefix="preview-ref-" />
                <ReferenceList references={contentFromDraft(deferred).references} idPrefix="preview-ref-" />
              </Stack>
            </Paper>
          </Grid.Col>
        </Grid>
      </Stack>
    </form>
  );
}
