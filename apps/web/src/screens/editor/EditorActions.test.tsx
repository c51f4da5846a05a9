import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Article, Revision } from '../../api/types';
import { allChecks, articleFixture } from '../../test/fixtures';
import { contentHashOf, EDITOR, mockApi, renderApp, REVIEWER, signInAs } from '../../test/render';
import { submittedNotice } from './EditorActions';

const ID = '44444444-4444-4444-8444-444444444444';
const THIS_YEAR = new Date().getUTCFullYear();

const article = (over: Partial<Article> = {}): Article =>
  articleFixture(ID, { slug: 'statins-after-sixty', title: 'Statins after sixty', ...over });

const revision3: Revision = {
  articleId: ID,
  number: 3,
  title: 'Statins after sixty',
  summary: null,
  body: 'Statins lower LDL cholesterol [1]. The benefit lasts [2].',
  references: [
    {
      type: 'research',
      title: 'Statins in the elderly',
      source: 'Lancet',
      year: 2009,
      url: null,
      doi: null,
      pmid: null,
      authors: ['Smith J', 'Le Cesne A'],
    },
    { type: 'guideline', title: 'Lipid guideline', source: null, year: 2008, url: null, doi: null, pmid: null },
  ],
  specialties: [],
  reviewIntervalDays: null,
  changeNote: null,
  authorId: EDITOR.id,
  summaryHtml: null,
  bodyHtml: '<p>Statins.</p>',
  variants: [],
  variantsHtml: [],
  contentHash: contentHashOf(3),
  changeClass: 'editorial',
  changeBase: 2,
  changes: [],
  createdAt: '2026-01-02T00:00:00.000Z',
};

const reviewer = { id: REVIEWER.id, name: REVIEWER.name, credentials: 'MD', assignedAt: '2026-01-01', dueAt: null };

describe('what a submission says', () => {
  it('says who acts next: the assigned reviewers, an admin when there are none, or the review going on', () => {
    expect(submittedNotice({ state: 'submitted', reviewers: [] })).toBe('Submitted — an admin will assign reviewers.');
    expect(submittedNotice({ state: 'submitted', reviewers: [reviewer] })).toBe(
      'Submitted for review. The assigned reviewers can start now.',
    );
    expect(submittedNotice({ state: 'under_review', reviewers: [reviewer] })).toMatch(/the review goes on/);
  });

  it('tells the editor of an article without reviewers that an admin will assign them', async () => {
    signInAs(EDITOR);
    mockApi((call) => {
      if (call.method === 'GET' && call.path === `/articles/${ID}`) return { body: article() };
      if (call.method === 'GET' && call.path === `/articles/${ID}/revisions/3`) return { body: revision3 };
      if (call.method === 'POST' && call.path === `/articles/${ID}/submit`)
        return { body: article({ state: 'submitted' }) };
      return undefined;
    });
    renderApp(`/articles/${ID}/edit`);
    await userEvent.click(await screen.findByRole('button', { name: 'Submit revision 3 for review' }));
    const notice = (await screen.findByText('Submitted — an admin will assign reviewers.')).closest('[role="status"]');
    expect(notice).toBeTruthy();
    // The submit button is gone: the notice has the focus, not the page.
    await waitFor(() => expect(document.activeElement).toBe(notice));
  });

  it('says the article is a draft again after a withdrawal, and puts the focus there', async () => {
    signInAs(EDITOR);
    const { calls } = mockApi((call) => {
      if (call.method === 'GET' && call.path === `/articles/${ID}`) return { body: article({ state: 'submitted' }) };
      if (call.method === 'GET' && call.path === `/articles/${ID}/revisions/3`) return { body: revision3 };
      if (call.method === 'POST' && call.path === `/articles/${ID}/withdraw`) return { body: article() };
      return undefined;
    });
    renderApp(`/articles/${ID}/edit`);
    await userEvent.click(await screen.findByRole('button', { name: 'Withdraw from review' }));
    const notice = (await screen.findByText('Withdrawn from review: the article is a draft again.')).closest(
      '[role="status"]',
    );
    await waitFor(() => expect(document.activeElement).toBe(notice));
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([`/articles/${ID}/withdraw`]);
  });
});

describe('reference age in the editor', () => {
  it('names each reference that "Reference age: warning" is about: number, first author, year, age', async () => {
    signInAs(EDITOR);
    const stale = [
      { n: 1, title: 'Statins in the elderly', year: 2009 },
      { n: 2, title: 'Lipid guideline', year: 2008 },
    ];
    mockApi((call) => {
      if (call.method === 'GET' && call.path === `/articles/${ID}`)
        return { body: article({ checks: { ...allChecks(), staleness: 'warning' } }) };
      if (call.method === 'GET' && call.path === `/articles/${ID}/revisions/3`) return { body: revision3 };
      if (call.method === 'GET' && call.path === `/articles/${ID}/checks`)
        return {
          body: {
            articleId: ID,
            revision: 3,
            checks: Object.fromEntries(
              Object.keys(allChecks()).map((name) => [
                name,
                name === 'staleness'
                  ? { status: 'warning', details: { maxAgeYears: 10, stale }, updatedAt: '2026-01-02T00:00:00Z' }
                  : { status: 'passed', details: {}, updatedAt: '2026-01-02T00:00:00Z' },
              ]),
            ),
          },
        };
      return undefined;
    });
    renderApp(`/articles/${ID}/edit`);
    const list = await screen.findByRole('list', { name: 'References older than the limit' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      `Reference 1 (Smith et al. 2009) is ${THIS_YEAR - 2009} years old, over the limit of 10 years: Statins in the elderly`,
      `Reference 2 (2008) is ${THIS_YEAR - 2008} years old, over the limit of 10 years: Lipid guideline`,
    ]);
    expect(screen.getByText('Reference age: warning')).toBeTruthy();
  });
});
