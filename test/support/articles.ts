import type { Client } from 'pg';
import type { AudienceVariant, Reference, VariantHtml } from '@imprimatur/domain';
import request from 'supertest';
import type { App } from 'supertest/types';
import { ADMIN, createUser, login } from './app';
import { sql } from './db';

/** An article in the seed's shape: a question as title, guideline and research sections, numbered citations. */
export function sampleContent(overrides: Record<string, unknown> = {}) {
  return {
    title: `Can leiomyosarcoma be treated? ${Math.random().toString(36).slice(2, 7)}`,
    summary: 'Localised disease is treated with surgery; advanced disease with chemotherapy [1].',
    body: [
      '## From the Guidelines',
      '',
      'Complete surgical removal with clear margins is the standard treatment for localised leiomyosarcoma [1].',
      'Radiotherapy may be added for large or high-grade tumours [1, 2].',
      '',
      '## From the Research',
      '',
      'Doxorubicin-based chemotherapy remains the first-line option for advanced disease [2-3].',
    ].join('\n'),
    references: [
      {
        type: 'guideline',
        title: 'Soft tissue sarcoma: clinical practice guideline',
        source: 'Annals of Oncology',
        year: 2021,
        doi: '10.1016/j.annonc.2021.07.002',
      },
      {
        type: 'research',
        title: 'Chemotherapy for advanced leiomyosarcoma',
        source: 'Frontiers in Oncology',
        year: 2023,
        url: 'http://127.0.0.1:9/paper',
      },
      {
        type: 'research',
        title: 'Trabectedin after doxorubicin',
        source: 'Lancet Oncology',
        year: 2022,
        pmid: '12345678',
      },
    ],
    specialties: ['oncology'],
    changeNote: 'first draft',
    ...overrides,
  };
}

export interface Cast {
  http: App;
  admin: string;
  editor: { id: string; token: string };
  /** `password` is what a sign-off re-enters (contract §12). */
  reviewers: { id: string; token: string; password: string }[];
}

/** An admin, an editor and `reviewers` board members, each signed in. */
export async function cast(http: App, reviewers = 2): Promise<Cast> {
  const admin = await login(http, ADMIN.email, ADMIN.password);
  const editorUser = await createUser(http, admin, { roles: ['editor'], name: 'Ed Itor' });
  const board = [];
  for (let i = 0; i < reviewers; i++) {
    const user = await createUser(http, admin, { roles: ['reviewer'], name: `Dr Board ${i}` });
    board.push({ id: user.id, token: await user.token(), password: user.password });
  }
  return { http, admin, editor: { id: editorUser.id, token: await editorUser.token() }, reviewers: board };
}

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

export async function createArticle(c: Cast, overrides: Record<string, unknown> = {}) {
  const res = await request(c.http)
    .post('/articles')
    .set(auth(c.editor.token))
    .send(sampleContent(overrides))
    .expect(201);
  return res.body as { id: string; slug: string; currentRevision: number; state: string };
}

/** draft → submitted (reviewers assigned) → under_review. */
export async function underReview(c: Cast, overrides: Record<string, unknown> = {}) {
  const article = await createArticle(c, overrides);
  await request(c.http)
    .put(`/articles/${article.id}/reviewers`)
    .set(auth(c.admin))
    .send({ reviewerIds: c.reviewers.map((r) => r.id) })
    .expect(200);
  await request(c.http).post(`/articles/${article.id}/submit`).set(auth(c.editor.token)).send({}).expect(200);
  const res = await request(c.http)
    .post(`/articles/${article.id}/start-review`)
    .set(auth(c.reviewers[0].token))
    .expect(200);
  expect(res.body.state).toBe('under_review');
  return article;
}

/**
 * Sets the results of the worker's checks of the current revision (links and evidence) as the worker
 * writes them, for tests that run no worker and are about something else (the approval rule, publishing).
 */
export async function setWorkerChecks(
  articleId: string,
  status: 'passed' | 'failed' | 'warning' | 'pending',
  /** A connection to the database the article is in, when it is not the run's shared one. */
  client?: Client,
) {
  const db = client ?? (await sql());
  try {
    await db.query(
      `INSERT INTO check_results (article_id, revision, "check", status, details)
       SELECT id, current_revision, c, $2, '{}' FROM articles, unnest(ARRAY['links', 'evidence']) AS c WHERE id = $1
       ON CONFLICT (article_id, revision, "check") DO UPDATE SET status = EXCLUDED.status`,
      [articleId, status],
    );
  } finally {
    if (!client) await db.end();
  }
}

/**
 * A sign-off by board member `reviewer`. What the body leaves out is filled in as a careful reviewer
 * would: `contentHash` with the article's current one (read just before), `password` with their own.
 * A key present with the value `undefined` stays out of the request, to test its absence. Awaited,
 * it is the response; `.expect(status)` asserts the status as supertest's does.
 */
export function signoff(c: Cast, articleId: string, reviewer: number, body: Record<string, unknown>) {
  const member = c.reviewers[reviewer];
  const send = async (): Promise<request.Response> => {
    const filled = { ...body };
    if (!('contentHash' in filled)) {
      const article = await request(c.http).get(`/articles/${articleId}`).set(auth(member.token)).expect(200);
      filled.contentHash = (article.body as { currentContentHash: string }).currentContentHash;
    }
    if (!('password' in filled)) filled.password = member.password;
    return request(c.http).post(`/articles/${articleId}/signoffs`).set(auth(member.token)).send(filled);
  };
  return {
    expect: async (status: number): Promise<request.Response> => {
      const res = await send();
      expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status });
      return res;
    },
    then: <T = request.Response, E = never>(
      fulfilled?: (res: request.Response) => T | PromiseLike<T>,
      rejected?: (reason: unknown) => E | PromiseLike<E>,
    ): Promise<T | E> => send().then(fulfilled, rejected),
  };
}

/** Each board member of the cast approves `revision` of an article under review; answers the last sign-off. */
export async function approvedByBoard(c: Cast, articleId: string, revision = 1): Promise<request.Response> {
  let last: request.Response | null = null;
  for (let i = 0; i < c.reviewers.length; i++) {
    last = await signoff(c, articleId, i, { decision: 'approve', revision }).expect(201);
  }
  if (!last) throw new Error('approvedByBoard: the cast has no reviewers');
  return last;
}

/** A revision as GET /articles/:id/revisions/:n answers it: what a content hash is recomputed from. */
export interface StoredRevision {
  title: string;
  summary: string | null;
  body: string;
  references: Reference[];
  specialties: string[];
  reviewIntervalDays: number | null;
  variants: AudienceVariant[];
  summaryHtml: string | null;
  bodyHtml: string;
  variantsHtml: VariantHtml[];
  contentHash: string;
}

export async function revisionOf(c: Cast, articleId: string, n: number): Promise<StoredRevision> {
  const res = await request(c.http).get(`/articles/${articleId}/revisions/${n}`).set(auth(c.admin)).expect(200);
  return res.body as StoredRevision;
}
