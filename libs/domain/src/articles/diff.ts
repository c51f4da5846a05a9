import type { Reference } from './content';

export type ReferenceFields = Partial<Reference>;

export interface ReferenceChanges {
  added: (Reference & { n: number })[];
  removed: (Reference & { n: number })[];
  /** Only the fields that differ, before and after. */
  changed: { n: number; before: ReferenceFields; after: ReferenceFields }[];
}

const FIELDS: (keyof Reference)[] = ['type', 'title', 'source', 'year', 'url', 'doi', 'pmid'];

/** Compares reference lists by number (reference n is references[n-1]), field by field. */
export function diffReferences(before: readonly Reference[], after: readonly Reference[]): ReferenceChanges {
  const changes: ReferenceChanges = { added: [], removed: [], changed: [] };
  const count = Math.max(before.length, after.length);
  for (let i = 0; i < count; i++) {
    const n = i + 1;
    const old = before[i];
    const now = after[i];
    if (!old && now) changes.added.push({ n, ...now });
    else if (old && !now) changes.removed.push({ n, ...old });
    else if (old && now) {
      const fields = FIELDS.filter((field) => (old[field] ?? null) !== (now[field] ?? null));
      if (fields.length > 0) {
        changes.changed.push({
          n,
          before: Object.fromEntries(fields.map((f) => [f, old[f] ?? null])),
          after: Object.fromEntries(fields.map((f) => [f, now[f] ?? null])),
        });
      }
    }
  }
  return changes;
}
