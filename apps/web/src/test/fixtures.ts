import type { Article, Revision } from '../api/types';
import { contentHashOf, EDITOR } from './render';

/** Every check of an article's summary with one status: what most screens' fixtures need. */
export const allChecks = (status: Article['checks']['citations'] = 'passed'): Article['checks'] => ({
  citations: status,
  links: status,
  staleness: status,
  readability: status,
  consistency: status,
  evidence: status,
});

/** An editor's draft article on revision `currentRevision` (default 3), every check passed: override what a test is about. */
export const articleFixture = (id: string, over: Partial<Article> = {}): Article => ({
  id,
  slug: 'can-leiomyosarcoma-be-treated',
  state: 'draft',
  title: 'Can leiomyosarcoma be treated?',
  authorId: EDITOR.id,
  currentRevision: 3,
  currentContentHash: contentHashOf(over.currentRevision ?? 3),
  changeClass: 'editorial',
  changes: [],
  publishedVersion: null,
  reviewers: [],
  signoffs: [],
  checks: allChecks(),
  reviewDue: false,
  reviewDueReason: null,
  lastUpdated: null,
  lastReviewed: null,
  nextReviewDue: null,
  publishAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  ...over,
});

/** Revision `number` of article `id`, written by the editor, without references or versions unless given. */
export const revisionFixture = (id: string, number: number, over: Partial<Revision> = {}): Revision => ({
  articleId: id,
  number,
  title: 'Can leiomyosarcoma be treated?',
  summary: null,
  body: 'Surgery is the main treatment.',
  references: [],
  specialties: [],
  reviewIntervalDays: null,
  changeNote: null,
  authorId: EDITOR.id,
  summaryHtml: null,
  bodyHtml: '<p>…</p>',
  variants: [],
  variantsHtml: [],
  contentHash: contentHashOf(number),
  changeClass: number === 1 ? null : 'editorial',
  changeBase: number === 1 ? null : number - 1,
  changes: [],
  createdAt: '2026-01-02T00:00:00.000Z',
  ...over,
});
