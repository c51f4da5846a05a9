import { ActionIcon, Button, Fieldset, Grid, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import type { ChangeEvent } from 'react';
import { REFERENCE_TYPES, type ReferenceType } from '../../api/types';
import { emptyReference } from '../../lib/content';
import { useEditorFormContext } from './form';

const TYPE_LABEL: Record<ReferenceType, string> = { guideline: 'Guideline', research: 'Research', other: 'Other' };

/** The numbered references: reference n is the nth row, cited in the text as [n]. */
export function ReferencesEditor({ disabled }: { disabled?: boolean }) {
  const form = useEditorFormContext();
  const rows = form.values.references;
  return (
    <Stack gap="sm">
      {rows.length === 0 && (
        <Text c="dimmed" size="sm">
          No references yet. Every claim should cite one: add it here and write [1] in the text.
        </Text>
      )}
      {rows.map((row, index) => {
        const n = index + 1;
        const path = (field: string) => `references.${index}.${field}`;
        const input = (field: 'title' | 'source' | 'year' | 'doi' | 'pmid' | 'url') => form.getInputProps(path(field));
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
        return (
          <Fieldset key={row.key} legend={`Reference ${n}`} disabled={disabled} id={`edit-ref-${n}`} p="sm">
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
                <Grid.Col span={{ base: 12, sm: 9 }}>
                  <TextInput label="Source (journal or body)" {...input('source')} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 3 }}>
                  <TextInput label="Year" inputMode="numeric" {...input('year')} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <TextInput label="URL" type="url" {...locator('url')} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 3 }}>
                  <TextInput label="DOI" placeholder="10.1000/xyz123" {...locator('doi')} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 3 }}>
                  <TextInput label="PMID" inputMode="numeric" {...locator('pmid')} />
                </Grid.Col>
              </Grid>
              {locatorError && (
                <Text c="red.8" size="sm" role="alert">
                  {locatorError}
                </Text>
              )}
              <Group gap="xs">
                <ActionIcon
                  variant="default"
                  aria-label={`Move reference ${n} up`}
                  disabled={index === 0}
                  onClick={() => form.reorderListItem('references', { from: index, to: index - 1 })}
                >
                  <span aria-hidden>↑</span>
                </ActionIcon>
                <ActionIcon
                  variant="default"
                  aria-label={`Move reference ${n} down`}
                  disabled={index === rows.length - 1}
                  onClick={() => form.reorderListItem('references', { from: index, to: index + 1 })}
                >
                  <span aria-hidden>↓</span>
                </ActionIcon>
                <Button
                  variant="subtle"
                  color="red"
                  size="xs"
                  onClick={() => form.removeListItem('references', index)}
                  aria-label={`Remove reference ${n}`}
                >
                  Remove
                </Button>
              </Group>
            </Stack>
          </Fieldset>
        );
      })}
      <Group>
        <Button
          variant="default"
          onClick={() => form.insertListItem('references', emptyReference())}
          disabled={disabled}
        >
          Add reference
        </Button>
        {rows.length > 1 && (
          <Text size="xs" c="dimmed">
            Moving or removing a reference renumbers the ones after it: check the citation problems above.
          </Text>
        )}
      </Group>
    </Stack>
  );
}
