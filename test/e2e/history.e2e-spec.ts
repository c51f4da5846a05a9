import { Client } from 'pg';
import request from 'supertest';
import { publishAsWorker, startApi, TestApi } from '../support/app';
import { auth, Cast, cast, sampleContent, signoff, setWorkerChecks } from '../support/articles';
import { isolatedEnvironment } from '../support/isolated';

/**
 * Runs in a database of its own with no worker, so every audit entry in it comes from the request
 * under test: the coverage test can attribute entries to routes exactly.
 */
describe('audit coverage, article history and diffs (e2e)', () => {
  let api: TestApi;
  let db: Client;
  let c: Cast;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const env = await isolatedEnvironment('history');
    api = await startApi(env);
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    c = await cast(api.http, 3);
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  const maxSeq = async () => Number((await db.query('SELECT coalesce(max(seq), 0) AS s FROM audit_log')).rows[0].s);
  const passWorkerChecks = (articleId: string) => setWorkerChecks(articleId, 'passed', db);
  const http = () => request(api.http);

  /** One successful call of every mutating route, in an order that builds the state the next one needs. */
  const scenarios: [string, string, () => PromiseLike<request.Response>][] = [
    [
      'POST /auth/login',
      'auth.login',
      () =>
        http()
          .post('/auth/login')
          .set('x-forwarded-for', '198.18.9.9')
          .send({ email: 'admin@imprimatur.test', password: 'admin-password-for-tests' }),
    ],
    [
      'POST /auth/refresh',
      'auth.refresh',
      () => http().post('/auth/refresh').set('x-forwarded-for', '198.18.9.9').set('cookie', ids.refreshCookie),
    ],
    [
      'POST /auth/logout',
      'auth.logout',
      () => http().post('/auth/logout').set('x-forwarded-for', '198.18.9.9').set('cookie', ids.refreshCookie),
    ],
    [
      'POST /users',
      'user.created',
      () =>
        http()
          .post('/users')
          .set(auth(c.admin))
          .send({
            email: 'covered@imprimatur.test',
            name: 'Covered',
            password: 'a-long-enough-password',
            roles: ['editor'],
          }),
    ],
    [
      'PATCH /users/{id}',
      'user.updated',
      () => http().patch(`/users/${c.editor.id}`).set(auth(c.admin)).send({ credentials: 'RN' }),
    ],
    [
      'POST /articles',
      'article.created',
      () =>
        http()
          .post('/articles')
          .set(auth(c.editor.token))
          .send(sampleContent({ title: 'Is the history complete?' })),
    ],
    [
      'POST /articles/{id}/revisions',
      'revision.created',
      () =>
        http()
          .post(`/articles/${ids.article}/revisions`)
          .set(auth(c.editor.token))
          .send({
            ...sampleContent({ title: 'Is the history complete? (2)', changeNote: 'second thoughts' }),
            baseRevision: 1,
          }),
    ],
    [
      'PUT /articles/{id}/reviewers',
      'reviewers.assigned',
      () =>
        http()
          .put(`/articles/${ids.article}/reviewers`)
          .set(auth(c.admin))
          .send({ reviewerIds: c.reviewers.map((r) => r.id) }),
    ],
    [
      'POST /articles/{id}/submit',
      'article.submitted',
      () => http().post(`/articles/${ids.article}/submit`).set(auth(c.editor.token)).send({}),
    ],
    [
      'POST /articles/{id}/start-review',
      'review.started',
      () => http().post(`/articles/${ids.article}/start-review`).set(auth(c.reviewers[0].token)),
    ],
    [
      'POST /articles/{id}/comments',
      'comment.created',
      () =>
        http()
          .post(`/articles/${ids.article}/comments`)
          .set(auth(c.reviewers[0].token))
          .send({ body: 'Check the dose', blocking: true }),
    ],
    [
      'POST /articles/{id}/comments/{commentId}/resolve',
      'comment.resolved',
      () => http().post(`/articles/${ids.article}/comments/${ids.comment}/resolve`).set(auth(c.reviewers[0].token)),
    ],
    [
      'POST /articles/{id}/checks/run',
      'checks.requested',
      () => http().post(`/articles/${ids.article}/checks/run`).set(auth(c.editor.token)),
    ],
    [
      'POST /articles/{id}/conflicts',
      'conflict.declared',
      () =>
        http()
          .post(`/articles/${ids.article}/conflicts`)
          .set(auth(c.reviewers[2].token))
          .send({ reason: 'Co-author of reference 2' }),
    ],
    [
      'POST /articles/{id}/signoffs',
      'signoff.recorded',
      async () => {
        await passWorkerChecks(ids.article);
        await signoff(c, ids.article, 0, { decision: 'approve', revision: 2 }).expect(201);
        return signoff(c, ids.article, 1, { decision: 'approve', revision: 2 });
      },
    ],
    [
      'POST /articles/{id}/re-review',
      'article.re_review_opened',
      async () => {
        const approval = (
          await db.query(`SELECT payload FROM outbox WHERE name = 'article.approved' AND payload->>'articleId' = $1`, [
            ids.article,
          ])
        ).rows[0].payload;
        await publishAsWorker(api, approval);
        return http().post(`/articles/${ids.article}/re-review`).set(auth(c.admin));
      },
    ],
    [
      'POST /articles/{id}/unpublish',
      'article.unpublished',
      async () => {
        return http()
          .post(`/articles/${ids.article}/unpublish`)
          .set(auth(c.admin))
          .send({ reason: 'Dose under review' });
      },
    ],
    [
      'POST /articles/{id}/withdraw',
      'article.withdrawn',
      async () => {
        const other = await http().post('/articles').set(auth(c.editor.token)).send(sampleContent()).expect(201);
        ids.other = other.body.id;
        await http().post(`/articles/${ids.other}/submit`).set(auth(c.editor.token)).send({}).expect(200);
        return http().post(`/articles/${ids.other}/withdraw`).set(auth(c.editor.token));
      },
    ],
    [
      'POST /articles/{id}/archive',
      'article.archived',
      () => http().post(`/articles/${ids.other}/archive`).set(auth(c.admin)).send({ reason: 'Superseded' }),
    ],
    [
      'POST /admin/staleness-scan',
      'review_scan.requested',
      () => http().post('/admin/staleness-scan').set(auth(c.admin)).send({}),
    ],
    [
      'POST /webhooks',
      'webhook.created',
      () =>
        http()
          .post('/webhooks')
          .set(auth(c.admin))
          .send({ url: 'https://hooks.example/imprimatur', events: ['article.published'] }),
    ],
    ['DELETE /webhooks/{id}', 'webhook.deleted', () => http().delete(`/webhooks/${ids.webhook}`).set(auth(c.admin))],
    [
      'POST /admin/publication-keys/rotate',
      'publication_key.rotated',
      () => http().post('/admin/publication-keys/rotate').set(auth(c.admin)),
    ],
    [
      'PUT /admin/editorial-policy',
      'editorial_policy.updated',
      () =>
        http()
          .put('/admin/editorial-policy')
          .set(auth(c.admin))
          .send({ body: '## How we review\n\nTwo board members approve every article.' }),
    ],
    [
      // The editor was told of the approval and the publication above.
      'POST /me/notifications/read',
      'notifications.read',
      () => http().post('/me/notifications/read').set(auth(c.editor.token)).send({ all: true }),
    ],
    [
      'PATCH /me/preferences',
      'preferences.updated',
      () => http().patch('/me/preferences').set(auth(c.editor.token)).send({ email: 'daily' }),
    ],
  ];

  it('appends an audit entry for every mutating route of the OpenAPI document', async () => {
    const doc = (await http().get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const mutating = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    const covered = scenarios.map(([route]) => route);
    expect(mutating.filter((route) => !covered.includes(route))).toEqual([]);

    const silent: string[] = [];
    for (const [route, action, call] of scenarios) {
      const before = await maxSeq();
      const res = await call();
      // The refresh cookie (contract §19): login's is refreshed, and the one the refresh set is logged out.
      const setCookie = ([] as string[])
        .concat(res.headers['set-cookie'] ?? [])
        .find((cookie) => cookie.startsWith('imprimatur_refresh='));
      if (setCookie && route !== 'POST /auth/logout') ids.refreshCookie = setCookie.split(';')[0];
      expect([route, res.status < 300]).toEqual([route, true]);
      if (route === 'POST /articles') ids.article = res.body.id;
      if (route === 'POST /articles/{id}/comments') ids.comment = res.body.id;
      if (route === 'POST /webhooks') ids.webhook = res.body.id;
      const written = await db.query('SELECT action FROM audit_log WHERE seq > $1 ORDER BY seq', [before]);
      if (!written.rows.some((r: { action: string }) => r.action === action))
        silent.push(
          `${route} (wanted ${action}, got ${written.rows.map((r: { action: string }) => r.action).join(', ') || 'nothing'})`,
        );
    }
    expect(silent).toEqual([]);
  });

  it("tells an article's whole life in order", async () => {
    const items: { action: string; seq: number; actor: { id: string } | null }[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await http()
        .get(`/articles/${ids.article}/history`)
        .query(cursor ? { limit: 4, cursor } : { limit: 4 })
        .set(auth(c.reviewers[0].token))
        .expect(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(items.map((i) => i.action)).toEqual([
      'article.created',
      'revision.created',
      'revision.created',
      'reviewers.assigned',
      'article.submitted',
      'review.started',
      'comment.created',
      'comment.resolved',
      'checks.requested',
      'conflict.declared',
      'signoff.recorded',
      'signoff.recorded',
      'article.approved',
      'article.published',
      'signoff.dismissed',
      'signoff.dismissed',
      'article.re_review_opened',
      'article.unpublished',
    ]);
    expect(items.every((item, i) => i === 0 || item.seq > items[i - 1].seq)).toBe(true);
    expect(items.find((i) => i.action === 'article.published')?.actor).toBeNull();
    await http().get('/articles/00000000-0000-4000-8000-000000000000/history').set(auth(c.admin)).expect(404);
  });

  it('compares two revisions: title, unified diffs and references by number', async () => {
    const article = await http()
      .post('/articles')
      .set(auth(c.editor.token))
      .send(sampleContent({ title: 'Does diet matter?' }))
      .expect(201);
    const base = sampleContent({ title: 'Does diet matter?' });
    const references = [
      { ...base.references[0], year: 2024 },
      base.references[1],
      { type: 'research', title: 'A new cohort study', source: 'BMJ', year: 2025, url: 'http://127.0.0.1:9/cohort' },
      { type: 'research', title: 'Another', year: 2025, pmid: '42' },
    ];
    await http()
      .post(`/articles/${article.body.id}/revisions`)
      .set(auth(c.editor.token))
      .send({
        ...base,
        title: 'Does diet matter for sarcoma?',
        body: `${base.body}\n\nA cohort study agrees [3, 4].`,
        references,
        baseRevision: 1,
      })
      .expect(201);
    const diff = (
      await http()
        .get(`/articles/${article.body.id}/diff`)
        .query({ from: 1, to: 2 })
        .set(auth(c.reviewers[0].token))
        .expect(200)
    ).body;
    expect(diff.from).toBe(1);
    expect(diff.title).toEqual({ before: 'Does diet matter?', after: 'Does diet matter for sarcoma?' });
    expect(diff.summary).toBe('');
    expect(diff.body).toContain('--- body\trevision 1');
    expect(diff.body).toContain('+A cohort study agrees [3, 4].');
    expect(diff.references.added.map((r: { n: number }) => r.n)).toEqual([4]);
    expect(diff.references.removed).toEqual([]);
    expect(diff.references.changed).toEqual([
      { n: 1, before: { year: 2021 }, after: { year: 2024 } },
      {
        n: 3,
        before: {
          title: 'Trabectedin after doxorubicin',
          source: 'Lancet Oncology',
          year: 2022,
          url: null,
          pmid: '12345678',
        },
        after: { title: 'A new cohort study', source: 'BMJ', year: 2025, url: 'http://127.0.0.1:9/cohort', pmid: null },
      },
    ]);
    await http().get(`/articles/${article.body.id}/diff`).query({ from: 1, to: 7 }).set(auth(c.admin)).expect(404);
    await http().get(`/articles/${article.body.id}/diff`).query({ from: 0, to: 1 }).set(auth(c.admin)).expect(400);
    await http().get(`/articles/${article.body.id}/diff`).set(auth(c.admin)).expect(400);
  });
});
