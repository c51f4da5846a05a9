import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Article, User } from '../../api/types';
import { allChecks } from '../../test/fixtures';
import { contentHashOf, EDITOR, mockApi, renderApp, signInAs } from '../../test/render';
import classes from './AdminArticles.module.css';

/**
 * The module's CSS as written: Vitest hands CSS imports (`?raw` too) to its CSS pipeline, which this
 * config turns off, so it is read from the file (the web tsconfig has no Node types, hence the cast).
 */
async function stylesheetText(): Promise<string> {
  const fs = 'node:fs/promises';
  const { readFile } = (await import(/* @vite-ignore */ fs)) as {
    readFile: (path: string, encoding: 'utf8') => Promise<string>;
  };
  // A path beside this file, spelt out: Vite rewrites `new URL('./…', import.meta.url)` to a served URL.
  const here = decodeURIComponent(import.meta.url.replace(/^file:\/\//, ''));
  return readFile(here.replace(/[^/]+$/, 'AdminArticles.module.css'), 'utf8');
}

const ADMIN: User = { ...EDITOR, id: '99999999-9999-4999-8999-999999999999', name: 'Ada Admin', roles: ['admin'] };

const article: Article = {
  id: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
  slug: 'leiomyosarcoma',
  state: 'changes_requested',
  title: 'Can leiomyosarcoma be treated? Surgery, radiotherapy and chemotherapy',
  authorId: EDITOR.id,
  currentRevision: 2,
  currentContentHash: contentHashOf(2),
  changeClass: null,
  changes: [],
  publishedVersion: 1,
  reviewers: [],
  signoffs: [],
  checks: { ...allChecks(), staleness: 'warning' },
  reviewDue: true,
  reviewDueReason: 'retraction',
  lastUpdated: null,
  lastReviewed: null,
  nextReviewDue: null,
  publishAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('admin articles table', () => {
  it('keeps every badge whole: the rule that sizes a badge to its label reaches each one in the table', async () => {
    signInAs(ADMIN);
    mockApi((call) => (call.path === '/articles' ? { body: { items: [article], nextCursor: null } } : undefined));
    renderApp('/admin/articles');
    const table = await screen.findByRole('table');
    const [, row] = within(table).getAllByRole('row');
    const state = within(row).getAllByRole('cell')[1];
    expect(within(state).getByText('Changes requested')).toBeTruthy();
    expect(within(state).getByText('Review due: a cited paper was retracted')).toBeTruthy();

    // Mantine's Badge label shrinks to an ellipsis inside a squeezed column (overflow: hidden on a
    // grid item whose automatic minimum is 0); at least as wide as its label, the badge sizes the column.
    const stylesheet = await stylesheetText();
    const rule = /([^{}]+)\{([^}]*)\}/.exec(stylesheet.replace(/\/\*[\s\S]*?\*\//g, ''));
    expect(rule?.[2]).toMatch(/min-width:\s*max-content/);
    const selector = (rule?.[1] ?? '')
      .trim()
      .replace('.table', `.${classes.table}`)
      .replace(/:global\(([^)]+)\)/, '$1');
    const badges = [...table.querySelectorAll('.mantine-Badge-root')];
    // The two state badges and one per check.
    expect(badges).toHaveLength(2 + Object.keys(article.checks).length);
    for (const badge of badges) expect(badge.matches(selector)).toBe(true);
    const style = document.createElement('style');
    style.textContent = `${selector} { ${rule?.[2] ?? ''} }`;
    document.head.append(style);
    for (const badge of badges) expect(getComputedStyle(badge).minWidth).toBe('max-content');
    style.remove();
  });
});
