import { Grid, NumberInput, Stack, TagsInput, Textarea, TextInput, Title } from '@mantine/core';
import type { ArticleDraft } from '../../lib/content';
import { CitationCheck } from './CitationCheck';
import { useEditorFormContext } from './form';
import { ReferencesEditor } from './ReferencesEditor';

/**
 * The article's fields. `checked` is the draft the citation check reads: the deferred copy, so that
 * typing stays quick in a long body.
 */
export function EditorFields({
  isNew,
  disabled,
  checked,
}: {
  isNew: boolean;
  disabled: boolean;
  checked: ArticleDraft;
}) {
  const form = useEditorFormContext();
  const interval = form.values.reviewIntervalDays;
  return (
    <>
      <TextInput
        label="Title"
        description="The reader's question, e.g. “Can leiomyosarcoma be treated?”"
        required
        maxLength={300}
        disabled={disabled}
        {...form.getInputProps('title')}
      />
      {isNew && (
        <TextInput
          label="Address (slug)"
          description="Optional: lower-case words joined by dashes; made from the title if left empty"
          {...form.getInputProps('slug')}
        />
      )}
      <Textarea
        label="Summary"
        description="Markdown, optional"
        autosize
        minRows={2}
        maxRows={6}
        disabled={disabled}
        {...form.getInputProps('summary')}
      />
      <Textarea
        label="Body"
        description="Markdown. Cite references by number: [1], [2, 3], [2-6]"
        required
        autosize
        minRows={12}
        maxRows={40}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 14 } }}
        disabled={disabled}
        {...form.getInputProps('body')}
      />
      <CitationCheck draft={checked} />
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
