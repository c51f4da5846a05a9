import { ActionIcon, Button, Fieldset, Grid, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { REFERENCE_TYPES, type ReferenceType } from '../api/types';
import { emptyReference, referenceProblems, type ReferenceRow } from '../lib/content';

const TYPE_LABEL: Record<ReferenceType, string> = { guideline: 'Guideline', research: 'Research', other: 'Other' };

interface Props {
  rows: ReferenceRow[];
  onChange: (rows: ReferenceRow[]) => void;
  showErrors: boolean;
  disabled?: boolean;
}

/** The numbered references: reference n is the nth row, cited in the text as [n]. */
export function ReferencesEditor({ rows, onChange, showErrors, disabled }: Props) {
  const update = (key: string, patch: Partial<ReferenceRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...rows];
    const [row] = next.splice(index, 1);
    next.splice(index + by, 0, row);
    onChange(next);
  };
  return (
    <Stack gap="sm">
      {rows.length === 0 && (
        <Text c="dimmed" size="sm">
          No references yet. Every claim should cite one: add it here and write [1] in the text.
        </Text>
      )}
      {rows.map((row, index) => {
        const n = index + 1;
        const problems = showErrors ? referenceProblems(row) : {};
        return (
          <Fieldset key={row.key} legend={`Reference ${n}`} disabled={disabled} id={`edit-ref-${n}`} p="sm">
            <Stack gap="xs">
              <Grid gap="xs">
                <Grid.Col span={{ base: 12, sm: 3 }}>
                  <NativeSelect
                    label="Type"
                    data={REFERENCE_TYPES.map((t) => ({ value: t, label: TYPE_LABEL[t] }))}
                    value={row.type}
                    onChange={(e) => update(row.key, { type: e.currentTarget.value as ReferenceType })}
                  />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 9 }}>
                  <TextInput label="Title" required value={row.title} error={problems.title} onChange={(e) => update(row.key, { title: e.currentTarget.value })} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 9 }}>
                  <TextInput label="Source (journal or body)" value={row.source} onChange={(e) => update(row.key, { source: e.currentTarget.value })} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 3 }}>
                  <TextInput label="Year" inputMode="numeric" value={row.year} error={problems.year} onChange={(e) => update(row.key, { year: e.currentTarget.value })} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <TextInput label="URL" type="url" value={row.url} error={problems.url} onChange={(e) => update(row.key, { url: e.currentTarget.value })} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 3 }}>
                  <TextInput label="DOI" placeholder="10.1000/xyz123" value={row.doi} onChange={(e) => update(row.key, { doi: e.currentTarget.value })} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 3 }}>
                  <TextInput label="PMID" inputMode="numeric" value={row.pmid} onChange={(e) => update(row.key, { pmid: e.currentTarget.value })} />
                </Grid.Col>
              </Grid>
              {problems.locator && (
                <Text c="red.8" size="sm" role="alert">
                  {problems.locator}
                </Text>
              )}
              <Group gap="xs">
                <ActionIcon variant="default" aria-label={`Move reference ${n} up`} disabled={index === 0} onClick={() => move(index, -1)}>
                  <span aria-hidden>↑</span>
                </ActionIcon>
                <ActionIcon variant="default" aria-label={`Move reference ${n} down`} disabled={index === rows.length - 1} onClick={() => move(index, 1)}>
                  <span aria-hidden>↓</span>
                </ActionIcon>
                <Button variant="subtle" color="red" size="xs" onClick={() => onChange(rows.filter((r) => r.key !== row.key))} aria-label={`Remove reference ${n}`}>
                  Remove
                </Button>
              </Group>
            </Stack>
          </Fieldset>
        );
      })}
      <Group>
        <Button variant="default" onClick={() => onChange([...rows, emptyReference()])} disabled={disabled}>
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
