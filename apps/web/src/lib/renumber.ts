import { checkCitations, type CitationMarker } from '@imprimatur/domain/articles/citations';
import { referenceMoves, renumberCitations, type MarkerChange } from '@imprimatur/domain/articles/renumber';
import { AUDIENCE_LABEL, type ArticleDraft } from './content';

/**
 * Citations follow their references in the editor (contract §19): moving or removing a reference
 * rewrites the markers at once, with the server's own renumbering, so the text always cites by the
 * numbers on screen and the server accepts it as written. A reference still cited is not removed:
 * its markers would have to point somewhere, and guessing where is the defect this prevents.
 */

export type ReferenceEdit =
  { ok: true; draft: ArticleDraft; changes: MarkerChange[] } | { ok: false; citedBy: CitationMarker[] };

const citingText = (draft: ArticleDraft) => ({
  summary: draft.summary,
  body: draft.body,
  variants: draft.variants.map((v) => ({ audience: v.audience, title: v.title, summary: v.summary, body: v.body })),
});

function reorder(draft: ArticleDraft, origin: number[]): ReferenceEdit {
  const moves = referenceMoves(draft.references.length, origin);
  const { text, changes } = renumberCitations(citingText(draft), moves);
  return {
    ok: true,
    changes,
    draft: {
      ...draft,
      summary: text.summary ?? '',
      body: text.body,
      variants: draft.variants.map((v, i) => ({
        ...v,
        summary: text.variants[i].summary ?? '',
        body: text.variants[i].body,
      })),
      references: origin.map((i) => draft.references[i]),
    },
  };
}

/** Reference `from` (0-based) moved to `to`; every marker renumbered to keep its reference. */
export function moveReference(draft: ArticleDraft, from: number, to: number): ReferenceEdit {
  const origin = draft.references.map((_, i) => i);
  const [moved] = origin.splice(from, 1);
  origin.splice(to, 0, moved);
  return reorder(draft, origin);
}

/** Reference `index` (0-based) removed and the ones after it renumbered; refused while a marker cites it. */
export function removeReference(draft: ArticleDraft, index: number): ReferenceEdit {
  const report = checkCitations({ ...citingText(draft), referenceCount: draft.references.length });
  const citedBy = report.markers.filter((m) => m.references.includes(index + 1));
  if (citedBy.length > 0) return { ok: false, citedBy };
  return reorder(
    draft,
    draft.references.map((_, i) => i).filter((i) => i !== index),
  );
}

/** Where a marker is, in words: "the body", "the patient version's summary". */
export function markerPlace(marker: Pick<CitationMarker, 'field' | 'audience'>): string {
  return marker.audience
    ? `the ${AUDIENCE_LABEL[marker.audience].toLowerCase()} version's ${marker.field}`
    : `the ${marker.field}`;
}

/** "[4] → [3] in the body, [2, 4] → [2, 3] in the summary". */
export function describeChanges(changes: readonly MarkerChange[]): string {
  return changes.map((c) => `${c.from} → ${c.to} in ${markerPlace(c)}`).join(', ');
}
