import { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { startApi, startWorker, TestApi } from '../support/app';
import { auth, Cast, cast, createArticle, sampleContent, signoff, underReview } from '../support/articles';
import { isolatedEnvironment } from '../support/isolated';
import { waitFor } from '../support/redis-server';
import { after, LocalWeb } from '../support/web';

/** Holds the fixed link's answer until the test has both sign-offs in. */
let releaseFixed: () => void = () => undefined;
const fixedGate = new Promise<void>((resolve) => {
  releaseFixed = resolve;
});

const ref = (url: string, title = url) => ({ type: 'research', title, source: 'Local web', year: 2024, url });

describe('reference checks in the worker (e2e)', () => {
  const web = new LocalWeb('127.0.0.1');
  // Not allow-listed: it must never see a connection.
  const forbidden = new LocalWeb('127.0.0.2');
  // Allow-listed: another host for the per-host limiter, idle while 127.0.0.1 is busy.
  const other = new LocalWeb('127.0.0.3');
  let env: Record<string, string>;
  let api: TestApi;
  let worker: INestApplicationContext;
  let db: Client;
  let c: Cast;

  beforeAll(async () => {
    await web
      .route('/ok', (_req, res) => res.writeHead(200).end('fine'))
      .route('/gone404', (_req, res) => res.writeHead(404).end())
      .route('/gone410', (_req, res) => res.writeHead(410).end())
      .route('/moved', (_req, res) => res.writeHead(301, { location: '/ok' }).end())
      .route('/chain1', (_req, res) => res.writeHead(302, { location: '/chain2' }).end())
      .route('/chain2', (_req, res) => res.writeHead(302, { location: '/ok' }).end())
      .route('/nohead', (req, res) => res.writeHead(req.method === 'HEAD' ? 405 : 200).end())
      .route('/flaky', (_req, res, hit) => res.writeHead(hit === 1 ? 503 : 200).end())
      .route('/busy', (_req, res, hit) =>
        res.writeHead(hit === 1 ? 429 : 200, hit === 1 ? { 'retry-after': '1' } : {}).end(),
      )
      .route('/bot', (_req, res) => res.writeHead(999).end())
      .route('/hang', () => undefined)
      .route('/escape', (_req, res) => res.writeHead(302, { location: forbidden.url('/secret') }).end())
      .route('/doi/10.1000/demo.1', (_req, res) => res.writeHead(302, { location: '/ok' }).end())
      .route('/pubmed/123456/', (_req, res) => res.writeHead(200).end())
      .route('/cached', (_req, res) => res.writeHead(200).end())
      .route('/was-broken', (_req, res) => res.writeHead(404).end())
      .route('/slow-fixed', async (_req, res) => {
        await Promise.race([fixedGate, after(800)]);
        res.writeHead(200).end();
      })
      .route('/slow', async (_req, res) => {
        await after(150);
        res.writeHead(200).end();
      })
      .start();
    await forbidden.route('/secret', (_req, res) => res.writeHead(200).end()).start();
    await other.route('/ok', (_req, res) => res.writeHead(200).end('fine')).start();
    web.route('/queued', async (_req, res) => {
      await after(600);
      res.writeHead(200).end();
    });

    env = {
      ...(await isolatedEnvironment('links')),
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1,127.0.0.3',
      LINK_CHECK_TIMEOUT_MS: '1000',
      LINK_CHECK_RETRIES: '2',
      LINK_CHECK_RETRY_BASE_MS: '50',
      LINK_CHECK_HOST_CONCURRENCY: '2',
      LINK_CHECK_HOST_SPACING_MS: '0',
      DOI_RESOLVER_URL: web.url('/doi'),
      PUBMED_URL: web.url('/pubmed'),
      REQUIRED_SIGNOFFS: '2',
      // The sign-offs here race a link check held for 800 ms; argon2 on each (the signing password)
      // is not what these tests are about and would make that race depend on the machine's load.
      SIGNOFF_REAUTH: 'false',
    };
    api = await startApi(env);
    worker = await startWorker(env);
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    c = await cast(api.http, 2);
  });

  afterAll(async () => {
    await db?.end();
    await worker?.close();
    await api?.close();
    await web.stop();
    await forbidden.stop();
    await other.stop();
  });

  /** Waits for the worker to store a links result for the given revision. */
  async function linksOf(articleId: string, revision: number, timeoutMs = 20_000) {
    return waitFor(
      async () => {
        const res = await request(api.http).get(`/articles/${articleId}/checks`).query({ revision }).set(auth(c.admin));
        const links = res.body.checks?.links;
        return links && links.status !== 'pending' ? links : null;
      },
      timeoutMs,
      `links check of ${articleId} r${revision}`,
    );
  }

  it('classifies every kind of answer as contract §6 says, and never touches a blocked address', async () => {
    const paths = [
      '/ok',
      '/gone404',
      '/gone410',
      '/moved',
      '/chain1',
      '/nohead',
      '/flaky',
      '/busy',
      '/bot',
      '/hang',
      '/escape',
    ];
    const references = [
      ...paths.map((p) => ref(web.url(p))),
      { type: 'guideline', title: 'via DOI', year: 2024, doi: '10.1000/demo.1' },
      { type: 'research', title: 'via PubMed', year: 2024, pmid: '123456' },
      ref('http://[::1]:9/loopback-v6'),
      ref('http://127.0.0.2:9/not-allowed'),
      // A name that resolves to loopback (only the literal 127.0.0.1 is allow-listed): what it resolved to must not show.
      ref('http://localhost:9/resolves-inside'),
      // Allow-listed, but nothing listens there.
      ref('http://127.0.0.1:9/closed'),
    ];
    const body = references.map((_, i) => `Claim ${i + 1} [${i + 1}].`).join('\n');
    const article = await createArticle(c, { references, body, summary: null });
    const links = await linksOf(article.id, 1);

    expect(links.status).toBe('failed');
    const byUrl = Object.fromEntries(
      (links.details.links as { url: string; status: string }[]).map((l) => [
        l.url.replace(/^http:\/\/127\.0\.0\.1:\d+/, ''),
        l,
      ]),
    );
    expect(byUrl['/ok']).toMatchObject({ status: 'ok', httpStatus: 200, attempts: 1 });
    expect(byUrl['/gone404']).toMatchObject({ status: 'broken', httpStatus: 404 });
    expect(byUrl['/gone410']).toMatchObject({ status: 'broken', httpStatus: 410 });
    expect(byUrl['/moved']).toMatchObject({ status: 'redirected', finalUrl: web.url('/ok') });
    expect(byUrl['/chain1']).toMatchObject({ status: 'ok', finalUrl: web.url('/ok') });
    expect(byUrl['/nohead']).toMatchObject({ status: 'ok', httpStatus: 200 });
    expect(byUrl['/flaky']).toMatchObject({ status: 'ok', attempts: 2 });
    expect(byUrl['/busy']).toMatchObject({ status: 'ok', attempts: 2 });
    expect(byUrl['/bot']).toMatchObject({ status: 'unverifiable', httpStatus: 999 });
    expect(byUrl['/hang']).toMatchObject({ status: 'timeout', attempts: 3, httpStatus: null });
    expect(byUrl['/escape']).toMatchObject({ status: 'blocked' });
    expect(byUrl['/doi/10.1000/demo.1']).toMatchObject({ kind: 'doi', status: 'ok', finalUrl: web.url('/ok') });
    expect(byUrl['/pubmed/123456/']).toMatchObject({ kind: 'pmid', status: 'ok' });
    expect(byUrl['http://[::1]:9/loopback-v6']).toMatchObject({ status: 'blocked' });
    expect(byUrl['http://127.0.0.2:9/not-allowed']).toMatchObject({ status: 'blocked' });

    // What editors see of a blocked link is that it is blocked: no address, no error text (issue #18).
    const blocked = {
      status: 'blocked',
      httpStatus: null,
      finalUrl: null,
      code: 'address_not_allowed',
      error: 'the address is not allowed',
    };
    for (const key of [
      '/escape',
      'http://[::1]:9/loopback-v6',
      'http://127.0.0.2:9/not-allowed',
      'http://localhost:9/resolves-inside',
    ]) {
      expect(byUrl[key]).toMatchObject(blocked);
      const { url: _url, ...said } = byUrl[key] as Record<string, unknown>;
      expect(JSON.stringify(said)).not.toMatch(/127\.0\.0\.|::1|loopback|Refusing/);
    }
    expect(byUrl['/closed']).toMatchObject({
      status: 'error',
      code: 'connection_refused',
      error: 'the connection was refused',
    });
    const checks = await request(api.http).get(`/articles/${article.id}/checks`).set(auth(c.admin)).expect(200);
    for (const link of checks.body.checks.links.details.links as Record<string, unknown>[]) {
      const { url: _url, finalUrl: _finalUrl, ...said } = link;
      // Only the link's own URL (as the editor wrote it, or where it ended) may name an address.
      expect(JSON.stringify(said)).not.toMatch(/127\.0\.0\.|::1|ECONN|Refusing|getaddrinfo/);
    }

    // A 404 to HEAD is confirmed by GET before it counts; HEAD refused with 405 falls back to GET.
    expect([web.count('HEAD', '/gone404'), web.count('GET', '/gone404')]).toEqual([1, 1]);
    expect([web.count('HEAD', '/nohead'), web.count('GET', '/nohead')]).toEqual([1, 1]);
    expect(forbidden.connections).toBe(0);

    const article2 = await request(api.http).get(`/articles/${article.id}`).set(auth(c.admin)).expect(200);
    expect(article2.body.checks).toEqual({
      citations: 'passed',
      links: 'failed',
      staleness: 'passed',
      readability: 'passed',
      consistency: 'passed',
      // The run's registries are a closed port: the DOI and PMID could not be looked up (a warning).
      evidence: 'warning',
    });
  });

  it('fetches a URL cited by many revisions once while its result is cached', async () => {
    const articles = [];
    for (let i = 0; i < 5; i++)
      articles.push(
        await createArticle(c, { references: [ref(web.url('/cached'))], body: 'Cited [1].', summary: null }),
      );
    for (const a of articles) expect((await linksOf(a.id, 1)).status).toBe('passed');
    expect(web.count('HEAD', '/cached')).toBe(1);

    // Asking for a re-run fetches afresh.
    await request(api.http).post(`/articles/${articles[0].id}/checks/run`).set(auth(c.editor.token)).expect(202);
    await waitFor(async () => web.count('HEAD', '/cached') === 2, 10_000, 'a fresh fetch');
    expect((await linksOf(articles[0].id, 1)).status).toBe('passed');
  });

  it('never has more than the per-host limit in flight to one host', async () => {
    web.maxInFlight = 0;
    const references = Array.from({ length: 12 }, (_, i) => ref(web.url(`/slow?i=${i}`)));
    const article = await createArticle(c, {
      references,
      body: references.map((_, i) => `[${i + 1}]`).join(' '),
      summary: null,
    });
    expect((await linksOf(article.id, 1)).status).toBe('passed');
    expect(web.maxInFlight).toBe(2);
  });

  it('checks a revision citing an idle host while many revisions wait for a busy one', async () => {
    // 10 revisions of 2 links each on 127.0.0.1, 2 at a time and 600 ms each: 6 s to drain. Had the
    // worker taken jobs a few at a time (it once took 4), the idle host's job would start only after
    // 7 of them: 14 links done.
    web.maxInFlight = 0;
    const busy = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        createArticle(c, {
          references: [ref(web.url(`/queued?a=${i}`)), ref(web.url(`/queued?b=${i}`))],
          body: 'Cited [1] [2].',
          summary: null,
        }),
      ),
    );
    const idle = await createArticle(c, { references: [ref(other.url('/ok'))], body: 'Cited [1].', summary: null });
    expect((await linksOf(idle.id, 1)).status).toBe('passed');
    const started = [...web.hits.keys()].filter((key) => key.startsWith('HEAD /queued?')).length;
    expect(started).toBeLessThanOrEqual(8);
    for (const a of busy) expect((await linksOf(a.id, 1)).status).toBe('passed');
    expect(web.maxInFlight).toBe(2);
  });

  it('approves on its own when the fixed link passes after both reviewers signed the fixed revision', async () => {
    const article = await underReview(c, {
      references: [ref(web.url('/was-broken'))],
      body: 'Cited [1].',
      summary: null,
    });
    expect((await linksOf(article.id, 1)).status).toBe('failed');
    await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    const held = await signoff(c, article.id, 1, { decision: 'approve', revision: 1 }).expect(201);
    expect(held.body.article).toMatchObject({ state: 'under_review', checks: { links: 'failed' } });

    await request(api.http)
      .post(`/articles/${article.id}/revisions`)
      .set(auth(c.editor.token))
      .send({
        ...sampleContent({
          references: [ref(web.url('/slow-fixed'))],
          body: 'Cited [1].',
          summary: null,
          changeNote: 'fixed the link',
        }),
        baseRevision: 1,
      })
      .expect(201);
    await signoff(c, article.id, 0, { decision: 'approve', revision: 2 }).expect(201);
    const signed = await signoff(c, article.id, 1, { decision: 'approve', revision: 2 }).expect(201);
    expect(signed.body.article).toMatchObject({ state: 'under_review', checks: { links: 'pending' } });
    releaseFixed();

    // Nobody does anything more: the worker's check completes the rule.
    await waitFor(
      async () =>
        (await db.query('SELECT state FROM articles WHERE id = $1', [article.id])).rows[0].state === 'approved',
      20_000,
      'approval',
    );
    const approvals = await db.query(
      `SELECT actor_id, data FROM audit_log WHERE article_id = $1 AND action = 'article.approved'`,
      [article.id],
    );
    expect(approvals.rows).toEqual([{ actor_id: null, data: expect.objectContaining({ revision: 2 }) }]);
    const events = await db.query(
      `SELECT count(*)::int AS n FROM outbox WHERE name = 'article.approved' AND payload->>'articleId' = $1`,
      [article.id],
    );
    expect(events.rows[0].n).toBe(1);
  });

  it('flags published articles due for review once per published version (POST /admin/staleness-scan)', async () => {
    const due = await createArticle(c);
    const notDue = await createArticle(c);
    // Published state set directly: the scan reads only these columns, and this keeps the test to the scan.
    await db.query(
      `UPDATE articles SET published_version = 1, published_revision = 1, next_review_due = '2026-01-01' WHERE id = $1`,
      [due.id],
    );
    await db.query(
      `UPDATE articles SET published_version = 1, published_revision = 1, next_review_due = '2099-01-01' WHERE id = $1`,
      [notDue.id],
    );

    await request(api.http).post('/admin/staleness-scan').set(auth(c.editor.token)).send({}).expect(403);
    const accepted = await request(api.http)
      .post('/admin/staleness-scan')
      .set(auth(c.admin))
      .send({ asOf: '2026-06-01T00:00:00Z' })
      .expect(202);
    expect(accepted.body).toEqual({ asOf: '2026-06-01T00:00:00.000Z' });
    await waitFor(
      async () =>
        (await db.query('SELECT review_due FROM articles WHERE id = $1', [due.id])).rows[0].review_due === true,
      10_000,
      'the review-due flag',
    );

    const view = await request(api.http).get(`/articles/${due.id}`).set(auth(c.admin)).expect(200);
    expect(view.body.reviewDue).toBe(true);
    const listed = await request(api.http).get('/articles').query({ reviewDue: 'true' }).set(auth(c.admin)).expect(200);
    expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([due.id]);

    // A second scan flags nothing new for the same published version.
    await request(api.http)
      .post('/admin/staleness-scan')
      .set(auth(c.admin))
      .send({ asOf: '2026-06-02T00:00:00Z' })
      .expect(202);
    await after(1_500);
    const events = await db.query(`SELECT payload FROM outbox WHERE name = 'article.review_due'`);
    expect(events.rows.map((r: { payload: { articleId: string } }) => r.payload.articleId)).toEqual([due.id]);
    const audits = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'article.review_due'`);
    expect(audits.rows[0].n).toBe(1);
  });

  it('answers GET /articles/:id/checks with every check and its details', async () => {
    const article = await createArticle(c, {
      references: [ref(web.url('/ok')), { ...ref(web.url('/ok'), 'Old'), year: 1990 }],
      body: 'Only [1].',
      summary: null,
    });
    await linksOf(article.id, 1);
    const res = await request(api.http)
      .get(`/articles/${article.id}/checks`)
      .set(auth(c.reviewers[0].token))
      .expect(200);
    expect(res.body).toMatchObject({
      articleId: article.id,
      revision: 1,
      checks: {
        citations: {
          status: 'warning',
          details: { problems: [expect.objectContaining({ kind: 'uncited_reference', reference: 2 })] },
        },
        staleness: { status: 'warning', details: { stale: [{ n: 2, title: 'Old', year: 1990 }] } },
        links: { status: 'passed' },
      },
    });
    await request(api.http).get(`/articles/${article.id}/checks`).query({ revision: 5 }).set(auth(c.admin)).expect(404);
  });
});
