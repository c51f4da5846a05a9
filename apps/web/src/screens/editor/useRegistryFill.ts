import { useReferenceLookup } from '../../api/references';
import { FILLED_FIELDS, filledRow } from '../../lib/content';
import type { IdentifierKind } from '../../lib/evidence';
import { useEditorFormContext } from './form';

/**
 * "Fill from DOI / PMID" for one reference row: looks the identifier up (contract §16) and fills the row
 * from the answer. The row is found by its key when the answer comes, since it may have moved meanwhile.
 */
export function useRegistryFill(rowKey: string) {
  const form = useEditorFormContext();
  const lookup = useReferenceLookup();
  const indexOfRow = () => form.getValues().references.findIndex((r) => r.key === rowKey);

  const fill = (kind: IdentifierKind) => {
    const row = form.getValues().references[indexOfRow()];
    if (!row || row[kind].trim() === '') return;
    lookup.mutate(
      { kind, value: row[kind] },
      {
        onSuccess: (found) => {
          const index = indexOfRow();
          const current = form.getValues().references[index];
          if (!current) return; // removed while the registry was asked
          const next = filledRow(current, found, kind);
          // Field by field, so that each filled field's error (a missing title) clears as if typed.
          for (const field of FILLED_FIELDS) {
            if (next[field] !== current[field]) form.setFieldValue(`references.${index}.${field}`, next[field]);
          }
        },
      },
    );
  };

  /**
   * The last lookup's answer or error is shown while the row still has the identifier it was about
   * (as filled, or as typed when it failed): editing the identifier makes it someone else's paper.
   */
  const row = form.values.references.find((r) => r.key === rowKey);
  const asked = lookup.variables;
  const about = asked ? (lookup.data?.[asked.kind] ?? asked.value).trim() : null;
  const current = Boolean(asked && row && about !== null && row[asked.kind].trim() === about);

  return { fill, lookup, kind: asked?.kind ?? null, current };
}
