import { Grid, NumberInput, Stack, TagsInput, Textarea, Title } from '@mantine/core';
import type { Audience } from '../../api/types';
import type { ArticleDraft } from '../../lib/content';
import { AudienceTabs } from './AudienceTabs';
import { CitationCheck } from './CitationCheck';
import { DraftSignificance } from './DraftSignificance';
import { useEditorFormContext } from './form';
import { ReferencesEditor } from './ReferencesEditor';
import type { Compared } from './useComparedRevision';

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
  return (
    <>
      <AudienceTabs audience={audience} onAudienceChange={onAudienceChange} isNew={isNew} disabled={disabled} />
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
