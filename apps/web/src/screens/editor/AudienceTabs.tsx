import { Button, Group, Modal, Stack, Tabs, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { AUDIENCES, type Audience, type VariantAudience } from '../../api/types';
import { AUDIENCE_LABEL, variantIndex } from '../../lib/content';
import { useEditorFormContext } from './form';

const MONOSPACE = { input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 14 } };

/** Who a version is for, in the sentences of the editor ("a patient version", "patients"). */
const READERS: Record<VariantAudience, string> = { patient: 'patients', caregiver: 'caregivers' };

/** The article's own title, summary and body: the professional text, which every audience falls back to. */
function ProfessionalFields({ isNew, disabled }: { isNew: boolean; disabled: boolean }) {
  const form = useEditorFormContext();
  return (
    <Stack>
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
        styles={MONOSPACE}
        disabled={disabled}
        {...form.getInputProps('body')}
      />
    </Stack>
  );
}

/**
 * One audience's version (contract §13): its own title and summary, or the article's when left empty,
 * and its body, citing the article's references by the same numbers. Without one, readers who choose
 * this audience read the professional text.
 */
function VariantFields({ audience, disabled }: { audience: VariantAudience; disabled: boolean }) {
  const form = useEditorFormContext();
  const [confirming, setConfirming] = useState(false);
  const index = variantIndex(form.values.variants, audience);
  const label = AUDIENCE_LABEL[audience];
  const lower = label.toLowerCase();

  if (index < 0)
    return (
      <Stack gap="sm" align="flex-start">
        <Text size="sm">
          No {lower} version yet. Readers who choose “{label}” read the professional text until there is one.
        </Text>
        <Button
          variant="default"
          disabled={disabled}
          onClick={() => form.insertListItem('variants', { audience, title: '', summary: '', body: '' })}
        >
          Add a {lower} version
        </Button>
      </Stack>
    );

  const path = (field: 'title' | 'summary' | 'body') => `variants.${index}.${field}`;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        The article written for {READERS[audience]}, reviewed and signed with it as one. Keep every dose and number as
        the professional text gives it (the consistency check compares them) and the language plain (the readability
        check warns above the reading grade limit, 8 by default).
      </Text>
      <TextInput
        label={`${label} title`}
        description="Optional: the article's title if left empty"
        placeholder={form.values.title || undefined}
        maxLength={300}
        disabled={disabled}
        {...form.getInputProps(path('title'))}
      />
      <Textarea
        label={`${label} summary`}
        description="Markdown, optional: the article's summary if left empty"
        autosize
        minRows={2}
        maxRows={6}
        disabled={disabled}
        {...form.getInputProps(path('summary'))}
      />
      <Textarea
        label={`${label} body`}
        description="Markdown. Cite the article's references by the same numbers: [1], [2, 3]"
        required
        autosize
        minRows={12}
        maxRows={40}
        styles={MONOSPACE}
        disabled={disabled}
        {...form.getInputProps(path('body'))}
      />
      <Group>
        <Button variant="subtle" color="red" size="xs" disabled={disabled} onClick={() => setConfirming(true)}>
          Remove the {lower} version
        </Button>
      </Group>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={`Remove the ${lower} version?`}>
        <Stack>
          <Text size="sm">
            Its text goes from this draft; saving makes a revision without it, and readers who choose “{label}” then
            read the professional text. Earlier revisions keep it.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)} data-autofocus>
              Keep it
            </Button>
            <Button
              color="red"
              onClick={() => {
                setConfirming(false);
                form.removeListItem('variants', index);
              }}
            >
              Remove
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/**
 * A tab per audience: Professional (the article's own text), Patient and Caregiver (optional
 * versions). Only the open tab's fields are in the page; the others keep their text in the form.
 */
export function AudienceTabs({
  audience,
  onAudienceChange,
  isNew,
  disabled,
}: {
  audience: Audience;
  onAudienceChange: (audience: Audience) => void;
  isNew: boolean;
  disabled: boolean;
}) {
  const form = useEditorFormContext();
  const written = new Set<Audience>(['professional', ...form.values.variants.map((v) => v.audience)]);
  return (
    <Tabs value={audience} onChange={(value) => value && onAudienceChange(value as Audience)} keepMounted={false}>
      <Tabs.List aria-label="Version of the article, by audience">
        {AUDIENCES.map((a) => (
          <Tabs.Tab key={a} value={a}>
            {AUDIENCE_LABEL[a]}
            {a !== 'professional' && !written.has(a) && (
              <Text span size="xs" c="dimmed">
                {' '}
                (none)
              </Text>
            )}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {AUDIENCES.map((a) => (
        <Tabs.Panel key={a} value={a} pt="md">
          {a === 'professional' ? (
            <ProfessionalFields isNew={isNew} disabled={disabled} />
          ) : (
            <VariantFields audience={a} disabled={disabled} />
          )}
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
