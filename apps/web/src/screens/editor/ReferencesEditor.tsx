import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Fieldset,
  Grid,
  Group,
  NativeSelect,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState, type ChangeEvent } from 'react';
import { REFERENCE_TYPES, type ReferenceType } from '../../api/types';
import { emptyReference } from '../../lib/content';
import { describeChanges, markerPlace, moveReference, removeReference, type ReferenceEdit } from '../../lib/renumber';
import {
  decidingNotice,
  lookupErrorMessage,
  noticeSentence,
  noticeUrl,
  REGISTRY,
  type IdentifierKind,
} from '../../lib/evidence';
import { useEditorFormContext } from './form';
import { useRegistryFill } from './useRegistryFill';

const TYPE_LABEL: Record<ReferenceType, string> = { guideline: 'Guideline', research: 'Research', other: 'Other' };

/** One reference: its fields, "Fill from DOI / PMID" beside the identifiers, and what the registry said. */
interface RowProps {
  index: number;
  count: number;
  disabled?: boolean;
  onMove: (from: number, to: number) => void;
  onRemove: (index: number) => void;
}

function ReferenceFieldset({ index, count, disabled, onMove, onRemove }: RowProps) {
  const form = useEditorFormContext();
  const row = form.values.references[index];
  const registry = useRegistryFill(row.key);
  const n = index + 1;
  const path = (field: string) => `references.${index}.${field}`;
  const input = (field: 'title' | 'source' | 'year' | 'doi' | 'pmid' | 'url' | 'authors') =>
    form.getInputProps(path(field));
  // URL, DOI and PMID answer "where is it": typing any of them settles the reference's missing-locator error.
  const locator = (field: 'url' | 'doi' | 'pmid') => {
    const props = input(field);
    return {
      ...props,
      onChange: (event: ChangeEvent<HTMLInputElement>) => {
        (props.onChange as (event: ChangeEvent<HTMLInputElement>) => void)(event);
        form.clearFieldError(path('locator'));
      },
    };
  };
  const locatorError = form.errors[path('locator')];
  const fillButton = (kind: IdentifierKind) => {
    const pending = registry.lookup.isPending;
    return (
      <Button
        variant="default"
        loading={pending && registry.kind === kind}
        disabled={row[kind].trim() === '' || pending}
        onClick={() => registry.fill(kind)}
        aria-label={`Fill from ${REGISTRY[kind].identifier}, reference ${n}`}
      >
        Fill from {REGISTRY[kind].identifier}
      </Button>
    );
  };
  return (
    <Fieldset legend={`Reference ${n}`} disabled={disabled} id={`edit-ref-${n}`} p="sm">
      <Stack gap="xs">
        <Grid gap="xs">
          <Grid.Col span={{ base: 12, sm: 3 }}>
            <NativeSelect
              label="Type"
              data={REFERENCE_TYPES.map((t) => ({ value: t, label: TYPE_LABEL[t] }))}
              {...form.getInputProps(path('type'))}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 9 }}>
            <TextInput label="Title" required {...input('title')} />
          </Grid.Col>
          <Grid.Col span={12}>
            <TextInput
              label="Authors"
              description="Separate the names with commas"
              placeholder="Gronchi A, Miah AB"
              {...input('authors')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 9 }}>
            <TextInput label="Source (journal or body)" {...input('source')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 3 }}>
            <TextInput label="Year" inputMode="numeric" {...input('year')} />
          </Grid.Col>
          <Grid.Col span={12}>
            <TextInput label="URL" type="url" {...locator('url')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <TextInput label="DOI" placeholder="10.1000/xyz123" flex={1} {...locator('doi')} />
              {fillButton('doi')}
            </Group>
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <TextInput label="PMID" inputMode="numeric" flex={1} {...locator('pmid')} />
              {fillButton('pmid')}
            </Group>
          </Grid.Col>
        </Grid>
        {locatorError && (
          <Text c="red.8" size="sm" role="alert">
            {locatorError}
          </Text>
        )}
        {registry.current && registry.kind && <RegistryAnswer lookup={registry.lookup} kind={registry.kind} />}
        <Group gap="xs">
          <ActionIcon
            variant="default"
            aria-label={`Move reference ${n} up`}
            disabled={index === 0}
            onClick={() => onMove(index, index - 1)}
          >
            <span aria-hidden>↑</span>
          </ActionIcon>
          <ActionIcon
            variant="default"
            aria-label={`Move reference ${n} down`}
            disabled={index === count - 1}
            onClick={() => onMove(index, index + 1)}
          >
            <span aria-hidden>↓</span>
          </ActionIcon>
          <Button
            variant="subtle"
            color="red"
            size="xs"
            onClick={() => onRemove(index)}
            aria-label={`Remove reference ${n}`}
          >
            Remove
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

/**
 * What the registry said when the row was filled: a notice that decides the evidence check (red when it
 * will block approval), or that the row was filled; or why it could not be.
 */
function RegistryAnswer({
  lookup,
  kind,
}: {
  lookup: ReturnType<typeof useRegistryFill>['lookup'];
  kind: IdentifierKind;
}) {
  if (lookup.isError) {
    return (
      <Text c="red.8" size="sm" role="alert">
        {lookupErrorMessage(lookup.error, kind)}
      </Text>
    );
  }
  if (!lookup.isSuccess) return null;
  const decided = decidingNotice(lookup.data.notices);
  if (!decided) {
    return (
      <Text size="sm" c="dimmed" role="status">
        Filled from {REGISTRY[kind].name}: check the title, authors, journal and year.
      </Text>
    );
  }
  const url = noticeUrl(decided.notice);
  return (
    <Alert color={decided.blocks ? 'red' : 'yellow'} variant="light" p="xs">
      <Text size="sm" fw={decided.blocks ? 600 : undefined}>
        {noticeSentence(decided.notice, decided.blocks)}
        {url && (
          <>
            {' '}
            <Anchor href={url} target="_blank" rel="noopener noreferrer" size="sm">
              Read the notice
            </Anchor>
          </>
        )}
      </Text>
    </Alert>
  );
}

/** The numbered references: reference n is the nth row, cited in the text as [n]. */
export function ReferencesEditor({ disabled }: { disabled?: boolean }) {
  const form = useEditorFormContext();
  const rows = form.values.references;
  const [outcome, setOutcome] = useState<{ tone: 'status' | 'alert'; text: string } | null>(null);

  // The form's own reorder and remove would leave every marker on its old number (contract §19).
  const apply = (edit: ReferenceEdit, done: string, focus: () => void) => {
    if (!edit.ok) {
      const where = edit.citedBy.map((m) => `${m.raw} in ${markerPlace(m)}`).join(', ');
      setOutcome({ tone: 'alert', text: `${done} is still cited: ${where}. Change or delete those markers first.` });
      return;
    }
    const { summary, body, variants, references } = edit.draft;
    form.setValues({ summary, body, variants, references });
    setOutcome({
      tone: 'status',
      text:
        edit.changes.length === 0
          ? `${done}: no marker needed renumbering.`
          : `${done}: ${edit.changes.length} marker${edit.changes.length === 1 ? '' : 's'} renumbered so each keeps its reference (${describeChanges(edit.changes)}).`,
    });
    requestAnimationFrame(focus);
  };
  const focusOn = (selector: string) => () => document.querySelector<HTMLElement>(selector)?.focus();
  const onMove = (from: number, to: number) =>
    apply(
      moveReference(form.getValues(), from, to),
      `Reference ${from + 1} moved to ${to + 1}`,
      // The moved reference keeps the focus, on the same button unless it reached that end of the list.
      focusOn(
        `[aria-label="Move reference ${to + 1} ${to < from ? (to === 0 ? 'down' : 'up') : to === rows.length - 1 ? 'up' : 'down'}"]`,
      ),
    );
  const onRemove = (index: number) =>
    apply(
      removeReference(form.getValues(), index),
      `Reference ${index + 1}${rows[index].title.trim() ? ` (“${rows[index].title.trim()}”)` : ''} removed`,
      // The reference that takes its place, or "Add reference" after the last one.
      focusOn(index < rows.length - 1 ? `#edit-ref-${index + 1} select` : '[data-add-reference]'),
    );

  return (
    <Stack gap="sm">
      {outcome && (
        <Alert
          color={outcome.tone === 'alert' ? 'red' : 'blue'}
          variant="light"
          p="xs"
          role={outcome.tone}
          aria-label="Reference changes"
        >
          <Text size="sm">{outcome.text}</Text>
        </Alert>
      )}
      {rows.length === 0 && (
        <Text c="dimmed" size="sm">
          No references yet. Every claim should cite one: add it here and write [1] in the text.
        </Text>
      )}
      {rows.map((row, index) => (
        <ReferenceFieldset
          key={row.key}
          index={index}
          count={rows.length}
          disabled={disabled}
          onMove={onMove}
          onRemove={onRemove}
        />
      ))}
      <Group>
        <Button
          variant="default"
          onClick={() => form.insertListItem('references', emptyReference())}
          disabled={disabled}
          data-add-reference
        >
          Add reference
        </Button>
        {rows.length > 1 && (
          <Text size="xs" c="dimmed">
            Moving or removing a reference renumbers the markers in the text, so each keeps citing its reference.
          </Text>
        )}
      </Group>
    </Stack>
  );
}
