import { Grid, NumberInput, Stack, TagsInput, Textarea, Title } from '@mantine/core';
import { findAnchor } from '@imprimatur/domain/articles/anchor';
import { useEffect, useRef } from 'react';
import type { Audience } from '../../api/types';
import { EditorComments, useEditorComments, type JumpToPassage } from '../../components/EditorComments';
import type { ArticleDraft } from '../../lib/content';
import { AudienceTabs } from './AudienceTabs';
import { CitationCheck } from './CitationCheck';
import { DraftSignificance } from './DraftSignificance';
import { useEditorFormContext } from './form';
import { ReferencesEditor } from './ReferencesEditor';
import type { Compared } from './useComparedRevision';

/**
 * "Jump to passage" from the comments' margin: the professional tab opens (the body is in it), and
 * the quoted text is selected in the body's text area, focused and scrolled into view. The draft may
 * have moved the passage since the base revision: then it is looked up again by its anchor.
 */
function usePassageJump(audience: Audience, onAudienceChange: (audience: Audience) => void) {
  const form = useEditorFormContext();
  const comments = useEditorComments();
  // A passage to select once the professional tab (with the body) is shown.
  const pending = useRef<{ start: number; end: number } | null>(null);
  const select = ({ start, end }: { start: number; end: number }) => {
    const area = form.getInputNode('body');
    if (!(area instanceof HTMLTextAreaElement)) return;
    area.focus({ preventScroll: true });
    area.setSelectionRange(start, end);
    area.scrollIntoView({ block: 'center' });
  };
  const jump: JumpToPassage = ({ start, end, anchor }) => {
    const text = form.getValues().body;
    // Where the base had it; else where its quote and context are now; else its quote alone (the context was edited).
    const found =
      text.slice(start, end) === anchor.quote
        ? { start, end }
        : (findAnchor(text, anchor) ?? findAnchor(text, { quote: anchor.quote }));
    if (!found) return false;
    if (audience === 'professional') select(found);
    else {
      pending.current = found;
      onAudienceChange('professional');
    }
    return true;
  };
  const register = comments?.registerJump;
  useEffect(() => {
    register?.(jump);
    return () => register?.(null);
  });
  useEffect(() => {
    if (!pending.current || audience !== 'professional') return;
    select(pending.current);
    pending.current = null;
  });
}

/**
 * The article's fields: the text per audience (tabs), then what every audience shares (references,
 * specialties, review interval, change note). `checked` is the draft the citation check reads: the
 * deferred copy, so that typing stays quick in a long body; so does the change class, against `compared`.
 */
export function EditorFields({
  isNew,
  disabled,
  checked,
  compared,
  audience,
  onAudienceChange,
}: {
  isNew: boolean;
  disabled: boolean;
  checked: ArticleDraft;
  compared: Compared;
  audience: Audience;
  onAudienceChange: (audience: Audience) => void;
}) {
  const form = useEditorFormContext();
  const interval = form.values.reviewIntervalDays;
  usePassageJump(audience, onAudienceChange);
  return (
    <>
      <AudienceTabs audience={audience} onAudienceChange={onAudienceChange} isNew={isNew} disabled={disabled} />
      <EditorComments where="below" />
      <CitationCheck draft={checked} />
      <DraftSignificance draft={checked} compared={compared} />
      <Stack gap="xs">
        <Title order={2} size="h4">
          References
        </Title>
        <ReferencesEditor disabled={disabled} />
      </Stack>
      <Grid>
        <Grid.Col span={{ base: 12, sm: 8 }}>
          <TagsInput
            label="Specialties"
            description="Press Enter after each"
            disabled={disabled}
            {...form.getInputProps('specialties')}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <NumberInput
            label="Review interval (days)"
            description="Empty: the default"
            min={1}
            max={3650}
            allowDecimal={false}
            disabled={disabled}
            {...form.getInputProps('reviewIntervalDays')}
            // The draft keeps the number as typed (a string); NumberInput speaks numbers.
            value={interval === '' ? '' : Number(interval)}
            onChange={(value) => form.setFieldValue('reviewIntervalDays', value === '' ? '' : String(value))}
          />
        </Grid.Col>
      </Grid>
      <Textarea
        label="Change note"
        description="Why this revision: reviewers read it first"
        autosize
        minRows={2}
        maxLength={2000}
        disabled={disabled}
        {...form.getInputProps('changeNote')}
      />
    </>
  );
}
