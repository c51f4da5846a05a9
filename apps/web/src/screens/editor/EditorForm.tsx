import { Alert, Grid, List, Paper, Stack, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { allowedActions, canTake, transition } from '@imprimatur/domain/articles/workflow';
import { useDeferredValue, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useArticleAction, useCreateArticle, useSaveRevision } from '../../api/articles';
import { ApiError, errorMessage } from '../../api/client';
import type { Article, Revision } from '../../api/types';
import {
  audiencesWithErrors,
  citationReport,
  contentFromDraft,
  draftErrorSummary,
  draftFromRevision,
  emptyDraft,
  isDirty,
  type ArticleDraft,
} from '../../lib/content';
import { CheckBadges } from '../../components/badges';
import { ReferenceAgeNotice } from '../../components/ChecksPanel';
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
  // "Keep my changes on revision n" after someone saved n: the unsaved text moves onto n, unchanged.
  const [rebased, setRebased] = useState<Revision | null>(null);
  const base = rebased?.number ?? loaded?.revision.number ?? null;
  const [loadedDraft] = useState<ArticleDraft>(() => (loaded ? draftFromRevision(loaded.revision) : emptyDraft()));
  const initial = useMemo(() => (rebased ? draftFromRevision(rebased) : loadedDraft), [rebased, loadedDraft]);
  const form = useEditorForm({ initialValues: initial, validate: validateDraft });
  const deferred = useDeferredValue(form.values);
  const problemsRef = useRef<HTMLDivElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  // The cited text when a request was refused: its alert stays until that text changes.
  const [refusedText, setRefusedText] = useState<string | null>(null);
  const noteRefusal = () => setRefusedText(citedText(form.getValues()));
  const showResult = () => {
    noteRefusal();
    requestAnimationFrame(() => resultRef.current?.focus());
  };
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
  // Saving moves changes_requested (and approved) back to draft, which may be submitted: "Save and
  // submit" is offered there too (contract §19), while a bare submit needs a draft already.
  const afterSave = article && canTake('revise', article.state) ? transition('revise', article.state) : null;
  const canSubmit = dirty ? afterSave !== null && canTake('submit', afterSave) : actions.includes('submit');
  // Someone else's revision, noticed by a background refetch before this user saves.
  const newer = article && base !== null && article.currentRevision > base ? article.currentRevision : null;
  const stale = save.error instanceof ApiError && save.error.code === 'stale_revision' ? save.error : null;
  const staleRevision = stale?.currentRevision ?? newer;
  const problems = draftErrorSummary(form.errors, form.values.variants);

  // A refusal for citation errors (of a save-and-submit, or a submit) says what was wrong with the text
  // as it was: once that text changed and has none, it would only mislead, so it goes. Only once it
  // changed: the server also refuses markers the text alone cannot show wrong (a reference moved under
  // them, contract §19).
  const { reset: resetSave, error: saveError } = save;
  const { reset: resetSubmit, error: submitError } = submit;
  useEffect(() => {
    const refused = (e: unknown) => e instanceof ApiError && e.code === 'citation_errors';
    if (!refused(saveError) && !refused(submitError)) return;
    if (refusedText === null || citedText(deferred) === refusedText) return;
    if (citationReport(deferred).problems.some((p) => p.severity === 'error')) return;
    if (refused(saveError)) resetSave();
    if (refused(submitError)) resetSubmit();
  }, [deferred, refusedText, saveError, submitError, resetSave, resetSubmit]);

  // Set once saved, before the new article's editor opens: that navigation must not ask "leave without saving?".
  const saved = useRef(false);
  const didSave = (result: Saved) => {
    saved.current = true;
    // A toast says it wherever the page is scrolled; the save bar keeps saying it (the notice).
    notifications.show({
      // A confirmation, not an alarm: Mantine's toasts are role="alert" unless told otherwise.
      role: 'status',
      color: 'green',
      title: result.revision ? `Revision ${result.revision.number} saved` : 'Article created',
      message: result.submitted ? 'It went to the board for review.' : 'Nothing is lost if you leave now.',
    });
    onSaved(result);
  };
  const keepMine = (theirs: Revision) => {
    save.reset();
    setRebased(theirs);
    notifications.show({
      role: 'status',
      message: `Your changes now start from revision ${theirs.number}: save when ready.`,
    });
  };

  const send = (draft: ArticleDraft, andSubmit = false) => {
    submit.reset();
    const content = contentFromDraft(draft);
    if (article)
      revise.mutate(
        { ...content, baseRevision: base ?? article.currentRevision, ...(andSubmit ? { submit: true } : {}) },
        { onSuccess: (revision) => didSave({ article, revision, submitted: andSubmit }), onError: showResult },
      );
    else
      create.mutate(
        { ...content, ...(draft.slug.trim() ? { slug: draft.slug.trim() } : {}) },
        { onSuccess: (created) => didSave({ article: created }), onError: showResult },
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
          {archived && <Alert color="gray">This article is archived: it can no longer be revised.</Alert>}
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
                {/* The checks stay out of the sticky bar, which keeps to the save state and the buttons. */}
                {article && <CheckBadges checks={article.checks} />}
                {article?.checks.staleness === 'warning' && <ReferenceAgeNotice articleId={article.id} />}
                {/* Results where the buttons are (contract §19); a refusal takes the focus. */}
                <Stack gap="sm" ref={resultRef} tabIndex={-1}>
                  {article && staleRevision !== null && (
                    <StaleRevisionAlert
                      articleId={article.id}
                      revision={staleRevision}
                      mine={form.values}
                      onReload={() => onReload?.()}
                      onKeepMine={keepMine}
                    />
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
                </Stack>
                <Paper className="editor-action-bar" withBorder p="sm" role="region" aria-label="Save and submit">
                  <SaveState
                    saving={save.isPending}
                    dirty={dirty}
                    staleRevision={staleRevision}
                    failed={save.isError && !stale}
                    notice={notice ?? null}
                    base={base}
                  />
                  <EditorActions
                    article={article}
                    base={base}
                    dirty={dirty}
                    archived={archived}
                    saving={save.isPending}
                    canSubmit={canSubmit}
                    canWithdraw={actions.includes('withdraw')}
                    submit={submit}
                    withdraw={withdraw}
                    onSubmitForReview={() => {
                      save.reset();
                      submit.mutate(undefined, { onError: noteRefusal });
                    }}
                    onSaveAndSubmit={trySaveAndSubmit}
                  />
                </Paper>
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

/**
 * The save state, where the buttons are (contract §19): the bar stays at the bottom of the window
 * while the page scrolls, so the result of Save is seen without scrolling back to the top.
 */
function SaveState(props: {
  saving: boolean;
  dirty: boolean;
  staleRevision: number | null;
  failed: boolean;
  notice: string | null;
  base: number | null;
}) {
  const { saving, dirty, staleRevision, failed, notice, base } = props;
  // A save opens the editor again on the new revision (a new form), which would leave the focus on
  // <body> (WCAG 2.4.3): the outcome takes it, by the buttons, where the keyboard goes on from.
  const ref = useRef<HTMLParagraphElement>(null);
  const [initialNotice] = useState(notice);
  useEffect(() => {
    if (initialNotice && ref.current && document.activeElement === document.body) ref.current.focus();
  }, [initialNotice]);
  const text = saving
    ? 'Saving…'
    : staleRevision !== null
      ? `Not saved: revision ${staleRevision} was saved meanwhile — compare and merge above.`
      : failed
        ? 'Not saved: see the message above.'
        : dirty
          ? 'Unsaved changes.'
          : (notice ?? (base === null ? 'Not created yet.' : `Revision ${base}: no unsaved changes.`));
  return (
    <Text
      ref={ref}
      tabIndex={-1}
      size="sm"
      mb="xs"
      role="status"
      aria-live="polite"
      c={staleRevision !== null || failed ? 'red.8' : undefined}
    >
      {text}
    </Text>
  );
}

/** What the citation check reads of a draft, as one comparable string. */
const citedText = (draft: ArticleDraft): string =>
  JSON.stringify([
    draft.summary,
    draft.body,
    draft.variants.map((v) => [v.summary, v.body]),
    draft.references.map((r) => r.key),
  ]);
