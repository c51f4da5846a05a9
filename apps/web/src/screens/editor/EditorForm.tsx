import { Alert, Grid, List, Stack, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { allowedActions } from '@imprimatur/domain/articles/workflow';
import { useDeferredValue, useRef, useState, type FormEvent } from 'react';
import { useArticleAction, useCreateArticle, useSaveRevision } from '../../api/articles';
import { ApiError, errorMessage } from '../../api/client';
import type { Article, Revision } from '../../api/types';
import {
  audiencesWithErrors,
  contentFromDraft,
  draftErrorSummary,
  draftFromRevision,
  emptyDraft,
  isDirty,
  type ArticleDraft,
} from '../../lib/content';
import { EditorActions } from './EditorActions';
import { EditorFields } from './EditorFields';
import { EditorHeader } from './EditorHeader';
import { EditorPreview } from './EditorPreview';
import { EditorFormProvider, useEditorForm, validateDraft } from './form';
import { StaleRevisionAlert } from './StaleRevisionAlert';
import { UnsavedChangesGuard } from './UnsavedChangesGuard';
import { useComparedRevision } from './useComparedRevision';
import { useAudienceTab } from './useAudienceTab';

export interface Saved {
  article: Article;
  /** The new revision; absent when the article was just created (its revision 1). */
  revision?: Revision;
  /** Saved and submitted in one request ("Save and submit", contract §19). */
  submitted?: boolean;
}

interface Props {
  /** The article and the revision this form starts from (its base); null for a new article. Remount (key) for another base. */
  loaded: { article: Article; revision: Revision } | null;
  notice?: string | null;
  onSaved: (saved: Saved) => void;
  onReload?: () => void;
}

/** The editor: a @mantine/form over the draft, validated by the draft's zod schema; saving creates a revision on the base. */
export function EditorForm({ loaded, notice, onSaved, onReload }: Props) {
  const article = loaded?.article ?? null;
  const base = loaded?.revision.number ?? null;
  const [initial] = useState<ArticleDraft>(() => (loaded ? draftFromRevision(loaded.revision) : emptyDraft()));
  const form = useEditorForm({ initialValues: initial, validate: validateDraft });
  const deferred = useDeferredValue(form.values);
  const problemsRef = useRef<HTMLDivElement>(null);
  const [audience, setAudience] = useAudienceTab();
  const compared = useComparedRevision(loaded);

  const create = useCreateArticle();
  const revise = useSaveRevision(article?.id ?? '');
  const save = article ? revise : create;
  const submit = useArticleAction(article?.id ?? '', 'submit');
  const withdraw = useArticleAction(article?.id ?? '', 'withdraw');

  const dirty = isDirty(form.values, initial) || (article === null && form.values.slug.trim() !== '');
  const archived = article?.state === 'archived';
  const actions = article ? allowedActions(article.state) : [];
  // Someone else's revision, noticed by a background refetch before this user saves.
  const newer = article && base !== null && article.currentRevision > base ? article.currentRevision : null;
  const stale = save.error instanceof ApiError && save.error.code === 'stale_revision' ? save.error : null;
  const problems = draftErrorSummary(form.errors, form.values.variants);

  // Set once saved, before the new article's editor opens: that navigation must not ask "leave without saving?".
  const saved = useRef(false);
  const didSave = (result: Saved) => {
    saved.current = true;
    onSaved(result);
  };

  const send = (draft: ArticleDraft, andSubmit = false) => {
    submit.reset();
    const content = contentFromDraft(draft);
    if (article)
      revise.mutate(
        { ...content, baseRevision: base ?? article.currentRevision, ...(andSubmit ? { submit: true } : {}) },
        { onSuccess: (revision) => didSave({ article, revision, submitted: andSubmit }) },
      );
    else
      create.mutate(
        { ...content, ...(draft.slug.trim() ? { slug: draft.slug.trim() } : {}) },
        { onSuccess: (created) => didSave({ article: created }) },
      );
  };
  // Invalid: the summary of what to fix takes the focus, so that keyboard and screen-reader users hear it,
  // and the first audience tab with a problem opens, unless the open one has one.
  const onInvalid = (errors: Parameters<Parameters<typeof form.onSubmit>[1] & object>[0]) => {
    const withErrors = audiencesWithErrors(errors, form.values.variants);
    if (withErrors.length > 0 && !withErrors.includes(audience)) setAudience(withErrors[0]);
    requestAnimationFrame(() => problemsRef.current?.focus());
  };
  const trySave = (event?: FormEvent<HTMLFormElement>) => form.onSubmit((draft) => send(draft), onInvalid)(event);
  const trySaveAndSubmit = () => form.onSubmit((draft) => send(draft, true), onInvalid)();
  const saveShortcut = () => {
    if (!save.isPending && !archived && (article === null || dirty)) trySave();
  };
  useHotkeys([['mod+S', saveShortcut]], []);

  return (
    <EditorFormProvider form={form}>
      <form onSubmit={trySave} noValidate>
        <UnsavedChangesGuard dirty={dirty} shouldBlock={() => dirty && !saved.current} />
        <Stack>
          <EditorHeader article={article} base={base} />
          {notice && !dirty && (
            <Alert color="green" role="status">
              {notice}
            </Alert>
          )}
          {archived && <Alert color="gray">This article is archived: it can no longer be revised.</Alert>}
          {(stale || newer) && (
            <StaleRevisionAlert revision={stale?.currentRevision ?? newer ?? 0} onReload={() => onReload?.()} />
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
              {/* Save and submit refused by the submission: the citation problems, in words. */}
              {save.error instanceof ApiError && save.error.problemMessages.length > 0 && (
                <List size="sm" aria-label="Problems found by the server">
                  {save.error.problemMessages.map((m, i) => (
                    <List.Item key={i}>{m}</List.Item>
                  ))}
                </List>
              )}
            </Alert>
          )}
          {problems.length > 0 && (
            <Alert color="red" title="Please fix these before saving" ref={problemsRef} tabIndex={-1}>
              <List size="sm">
                {problems.map((p) => (
                  <List.Item key={p}>{p}</List.Item>
                ))}
              </List>
            </Alert>
          )}

          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 7 }}>
              <Stack>
                <EditorFields
                  isNew={article === null}
                  disabled={archived}
                  checked={deferred}
                  compared={compared}
                  audience={audience}
                  onAudienceChange={setAudience}
                />
                <EditorActions
                  article={article}
                  base={base}
                  dirty={dirty}
                  archived={archived}
                  saving={save.isPending}
                  canSubmit={actions.includes('submit')}
                  canWithdraw={actions.includes('withdraw')}
                  submit={submit}
                  withdraw={withdraw}
                  onSubmitForReview={() => {
                    save.reset();
                    submit.mutate();
                  }}
                  onSaveAndSubmit={trySaveAndSubmit}
                />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <EditorPreview draft={deferred} audience={audience} />
            </Grid.Col>
          </Grid>
        </Stack>
      </form>
    </EditorFormProvider>
  );
}
