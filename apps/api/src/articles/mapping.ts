import { CommentRecord, Reference, RevisionRecord, validationFailed } from '@imprimatur/domain';
import type { RevisionInput } from '@imprimatur/workflow';
import { CommentViewDto, RevisionContentDto, RevisionDto } from './article.dto';

/** Request content → the domain's revision input, with the one rule a DTO cannot state per field. */
export function toRevisionInput(dto: RevisionContentDto): RevisionInput {
  const unlocatable = dto.references.flatMap((ref, i) => (ref.url || ref.doi || ref.pmid ? [] : [`references.${i}`]));
  if (unlocatable.length > 0) {
    throw validationFailed('Every reference needs at least one of url, doi and pmid', {
      fields: Object.fromEntries(unlocatable.map((path) => [path, ['needs at least one of url, doi, pmid']])),
    });
  }
  const keys = dto.references.map((ref) => ref.key);
  const reused = keys.flatMap((key, i) =>
    key !== undefined && keys.indexOf(key) !== i ? [`references.${i}.key`] : [],
  );
  if (reused.length > 0) {
    throw validationFailed('Every reference needs its own key', {
      fields: Object.fromEntries(reused.map((path) => [path, ['is the key of an earlier reference']])),
    });
  }
  const audiences = (dto.variants ?? []).map((v) => v.audience);
  const repeated = audiences.filter((audience, i) => audiences.indexOf(audience) !== i);
  if (repeated.length > 0) {
    throw validationFailed('At most one variant per audience', {
      fields: { variants: [`more than one variant for: ${[...new Set(repeated)].join(', ')}`] },
    });
  }
  return {
    title: dto.title,
    summary: dto.summary ?? null,
    body: dto.body,
    references: dto.references.map((ref): Reference => ({
      ...(ref.key === undefined ? {} : { key: ref.key }),
      type: ref.type,
      title: ref.title,
      source: ref.source ?? null,
      year: ref.year ?? null,
      url: ref.url ?? null,
      doi: ref.doi ?? null,
      pmid: ref.pmid ?? null,
      // Absent rather than []: references without authors hash as they always did.
      ...(ref.authors && ref.authors.length > 0 ? { authors: ref.authors } : {}),
    })),
    specialties: [...new Set(dto.specialties ?? [])],
    reviewIntervalDays: dto.reviewIntervalDays ?? null,
    variants: (dto.variants ?? []).map((v) => ({
      audience: v.audience,
      title: v.title ?? null,
      summary: v.summary ?? null,
      body: v.body,
    })),
    changeNote: dto.changeNote ?? null,
  };
}

export const revisionDto = (r: RevisionRecord): RevisionDto => ({
  articleId: r.articleId,
  number: r.number,
  title: r.title,
  summary: r.summary,
  body: r.body,
  references: r.references,
  specialties: r.specialties,
  reviewIntervalDays: r.reviewIntervalDays,
  changeNote: r.changeNote,
  authorId: r.authorId,
  summaryHtml: r.summaryHtml,
  bodyHtml: r.bodyHtml,
  variants: r.variants,
  variantsHtml: r.variantsHtml,
  changeClass: r.changeClass,
  changeBase: r.changeBase,
  changes: r.changes,
  contentHash: r.contentHash,
  createdAt: r.createdAt.toISOString(),
});

export const commentDto = (c: CommentRecord): CommentViewDto => ({
  id: c.id,
  articleId: c.articleId,
  revision: c.revision,
  parentId: c.parentId,
  authorId: c.authorId,
  body: c.body,
  anchor: c.anchor,
  blocking: c.blocking,
  resolved: c.resolvedAt !== null,
  resolvedAt: c.resolvedAt?.toISOString() ?? null,
  resolvedBy: c.resolvedBy,
  createdAt: c.createdAt.toISOString(),
});
