import { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { PublishingService } from '@imprimatur/publishing';
import { startApi, startWorker, TestApi } from '../support/app';
import { auth, Cast, cast, createArticle, sampleContent, signoff, underReview } from '../support/articles';
import { isolatedEnvironment } from '../support/isolated';
import { freePort, PrivateRedis, waitFor } from '../support/redis-server';
import { LocalWeb } from '../support/web';

describe('publishing to readers (e2e)', () => {
  const web = new LocalWeb('127.0.0.1');
  let redis: PrivateRedis;
  let env: Record<string, string>;
  let api: TestApi;
  let worker: INestApplicationContext;
  let db: Client;
  let c: Cast;
  let secret: string;
  /** Webhook deliveries the local receiver accepted, verified with the subscription's secret. */
  const deliveries: { id: string; type: string; data: { articleId: string; version: number; reason?: string } }[] = [];

  const content = (overrides: Record<string, unknown> = {}) =>
    sampleContent({
      references: [
        {
          type: 'guideline',
          title: 'Sarcoma guideline',
          source: 'Annals of Oncology',
          year: 2021,
          url: web.url('/ok'),
          doi: '10.1000/guideline.1',
        },
        {
          type: 'research',
          title: 'Chemotherapy trial',
          source: 'Frontiers in Oncology',
          year: 2023,
          url: web.url('/ok2'),
        },
        { type: 'research', title: 'Trabectedin study', source: 'Lancet Oncology', year: 2022, pmid: '123456' },
      ],
      ...overrides,
    });

  const stateOf = async (id: string) =>
    (await db.query('SELECT state, published_version FROM articles WHERE id = $1', [id])).rows[0] as {
      state: string;
      published_version: number | null;
    };

  /** Through the whole workflow to approval; the worker then checks links and publishes. */
  async function approved(overrides: Record<string, unknown> = {}, submit: Record<string, unknown> = {}) {
    const article = await createArticle(c, content(overrides));
    await request(api.http)
      .put(`/articles/${article.id}/reviewers`)
      .set(auth(c.admin))
      .send({ reviewerIds: c.reviewers.map((r) => r.id) })
      .expect(200);
    await request(api.http).post(`/articles/${article.id}/submit`).set(auth(c.editor.token)).send(submit).expect(200);
    await request(api.http).post(`/articles/${article.id}/start-review`).set(auth(c.reviewers[0].token)).expect(200);
    await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    await signoff(c, article.id, 1, { decision: 'approve', revision: 1 }).expect(201);
    return article;
  }

  /** The worker's checks of the current revision have landed: links passed, the registries asked (contract §16). */
  const workerChecksDone = (id: string, what: string) =>
    waitFor(
      async () => {
        const { checks } = (await request(api.http).get(`/articles/${id}`).set(auth(c.admin))).body as {
          checks: Record<string, string>;
        };
        return checks.links === 'passed' && checks.evidence !== 'pending';
      },
      20_000,
      `the worker's checks of ${what}`,
    );

  const published = (id: string, version = 1) =>
    waitFor(async () => ((await stateOf(id)).published_version ?? 0) >= version, 20_000, `version ${version} of ${id}`);

  beforeAll(async () => {
    await web
      .route('/ok', (_req, res) => res.writeHead(200).end())
      .route('/ok2', (_req, res) => res.writeHead(200).end())
      .route('/doi/10.1000/guideline.1', (_req, res) => res.writeHead(200).end())
      .route('/pubmed/123456/', (_req, res) => res.writeHead(200).end())
      .route('/hook', (req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          const event = new Webhook(secret).verify(body, req.headers as Record<string, string>) as {
            type: string;
            data: { articleId: string; version: number };
          };
          deliveries.push({ id: String(req.headers['webhook-id']), ...event });
          res.writeHead(204).end();
        });
      })
      .start();
    redis = new PrivateRedis(await freePort());
    await redis.start();
    env = {
      ...(await isolatedEnvironment('publishing')),
      REDIS_URL: redis.url,
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      DOI_RESOLVER_URL: web.url('/doi'),
      PUBMED_URL: web.url('/pubmed'),
      LINK_CHECK_HOST_SPACING_MS: '0',
      REVIEW_INTERVAL_DAYS: '365',
      PUBLIC_BASE_URL: 'https://medical.example',
    };
    api = await startApi(env);
    worker = await startWorker(env);
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    c = await cast(api.http, 2);
    await db.query(`UPDATE users SET credentials = 'MD, PhD' WHERE name = 'Dr Board 0'`);
    const hook = await request(api.http)
      .post('/webhooks')
      .set(auth(c.admin))
      .send({ url: web.url('/hook'), events: ['article.published', 'article.unpublished'] })
      .expect(201);
    secret = hook.body.secret;
  });

  afterAll(async () => {
    await db?.end();
    await worker?.close();
    await api?.close();
    await web.stop();
    await redis?.stop();
  });

  it('publishes an approved article through the queue and serves it to readers with its provenance', async () => {
    const article = await approved();
    await published(article.id);

    const res = await request(api.http).get(`/public/articles/${article.slug}`).expect(200);
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{32}-1"$/);
    expect(res.headers['cache-control']).toBe('public, max-age=60, must-revalidate');
    const doc = res.body;
    const today = new Date().toISOString().slice(0, 10);
    expect(doc).toMatchObject({
      slug: article.slug,
      version: 1,
      revision: 1,
      reviewStatus: 'approved',
      lastUpdated: today,
      lastReviewed: today,
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const due = new Date(`${today}T00:00:00Z`);
    due.setUTCDate(due.getUTCDate() + 365);
    expect(doc.nextReviewDue).toBe(due.toISOString().slice(0, 10));
    expect(doc.reviewedBy).toEqual(
      expect.arrayContaining([
        { name: 'Dr Board 0', credentials: 'MD, PhD' },
        { name: 'Dr Board 1', credentials: null },
      ]),
    );
    expect(doc.references[0]).toMatchObject({ n: 1, type: 'guideline', doiUrl: web.url('/doi/10.1000/guideline.1') });
    expect(doc.bodyHtml).toContain('<h2 id="from-the-guidelines">From the Guidelines</h2>');
    expect(doc.bodyHtml).toContain('<a href="#ref-1">1</a>');

    // Conditional GET: the same ETag answers 304 with no body.
    const again = await request(api.http)
      .get(`/public/articles/${article.slug}`)
      .set('if-none-match', res.headers.etag)
      .expect(304);
    expect(again.text).toBe('');
    await request(api.http).get(`/public/articles/${article.slug}`).set('if-none-match', '"other"').expect(200);

    const view = await request(api.http).get(`/articles/${article.id}`).set(auth(c.admin)).expect(200);
    expect(view.body).toMatchObject({
      publishedVersion: 1,
      lastReviewed: today,
      lastUpdated: today,
      nextReviewDue: doc.nextReviewDue,
      reviewDue: false,
    });
    const events = await db.query(`SELECT name FROM outbox WHERE payload->>'articleId' = $1 ORDER BY id`, [article.id]);
    expect(events.rows.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining(['article.approved', 'article.published']),
    );
    // Subscribers hear of it, signed.
    const heard = await waitFor(
      async () => deliveries.find((d) => d.data.articleId === article.id),
      10_000,
      'the webhook',
    );
    expect(heard).toMatchObject({
      type: 'article.published',
      id: expect.stringMatching(/^msg_/),
      data: { version: 1, slug: article.slug },
    });
  });

  it('keeps the live version while the next revision is drafted and reviewed, then publishes version 2', async () => {
    const article = await approved();
    await published(article.id);
    const first = await request(api.http).get(`/public/articles/${article.slug}`).expect(200);

    await request(api.http)
      .post(`/articles/${article.id}/revisions`)
      .set(auth(c.editor.token))
      .send({
        // New data with a dose: a clinical change, which needs the whole board (an editorial one
        // to a live article would need only EDITORIAL_SIGNOFFS; see change-significance.e2e-spec.ts).
        ...content({
          title: 'Can leiomyosarcoma be treated? (updated)',
          body: `${sampleContent().body}\n\nTrabectedin 1.5 mg/m² is an option after doxorubicin [3].`,
          changeNote: 'new data',
        }),
        baseRevision: 1,
      })
      .expect(201);
    // The draft is not visible to readers.
    const during = await request(api.http).get(`/public/articles/${article.slug}`).expect(200);
    expect(during.body.title).toBe(first.body.title);
    expect(during.headers.etag).toBe(first.headers.etag);

    await request(api.http).post(`/articles/${article.id}/submit`).set(auth(c.editor.token)).send({}).expect(200);
    await request(api.http).post(`/articles/${article.id}/start-review`).set(auth(c.reviewers[0].token)).expect(200);
    await workerChecksDone(article.id, 'r2');
    await signoff(c, article.id, 0, { decision: 'approve', revision: 2 }).expect(201);
    await signoff(c, article.id, 1, { decision: 'approve', revision: 2 }).expect(201);
    await published(article.id, 2);

    const second = await request(api.http).get(`/public/articles/${article.slug}`).expect(200);
    expect(second.body).toMatchObject({ version: 2, revision: 2, title: 'Can leiomyosarcoma be treated? (updated)' });
    expect(second.headers.etag).not.toBe(first.headers.etag);
    const versions = await request(api.http).get(`/public/articles/${article.slug}/versions`).expect(200);
    expect(versions.body.items.map((v: { version: number; revision: number }) => [v.version, v.revision])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    const old = await request(api.http).get(`/public/articles/${article.slug}/versions/1`).expect(200);
    expect(old.body.title).toBe(first.body.title);
    await request(api.http).get(`/public/articles/${article.slug}/versions/3`).expect(404);
  });

  it('publishes once however often the job runs', async () => {
    const article = await approved();
    await published(article.id);
    const publishing = worker.get(PublishingService);
    const payload = (
      await db.query(`SELECT payload FROM outbox WHERE name = 'article.approved' AND payload->>'articleId' = $1`, [
        article.id,
      ])
    ).rows[0].payload;
    const outcomes = await Promise.all([publishing.publish(payload), publishing.publish(payload)]);
    expect(outcomes).toEqual([
      { published: false, reason: `the approval of ${payload.approvedAt} is already version 1` },
      { published: false, reason: `the approval of ${payload.approvedAt} is already version 1` },
    ]);
    const versions = await db.query('SELECT count(*)::int AS n FROM published_versions WHERE article_id = $1', [
      article.id,
    ]);
    expect(versions.rows[0].n).toBe(1);
  });

  it('waits for publishAt when it is later than the approval', async () => {
    const publishAt = new Date(Date.now() + 3_000).toISOString();
    const article = await approved({}, { publishAt });
    await waitFor(async () => (await stateOf(article.id)).state === 'approved', 20_000, 'approval');
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await stateOf(article.id)).published_version).toBeNull();
    await request(api.http).get(`/public/articles/${article.slug}`).expect(404);
    await published(article.id);
    const doc = (await request(api.http).get(`/public/articles/${article.slug}`).expect(200)).body;
    expect(Date.parse(doc.publishedAt)).toBeGreaterThanOrEqual(Date.parse(publishAt) - 1_000);
  });

  it('answers 404 for drafts and never-published slugs, and 410 retracted with the reason after unpublish', async () => {
    const draft = await createArticle(c, content());
    await request(api.http).get(`/public/articles/${draft.slug}`).expect(404);
    await request(api.http).get('/public/articles/Not_A_Slug').expect(400);
    const unpublishDraft = await request(api.http)
      .post(`/articles/${draft.id}/unpublish`)
      .set(auth(c.admin))
      .send({ reason: 'x' })
      .expect(409);
    expect(unpublishDraft.body.code).toBe('invalid_transition');

    const article = await approved();
    await published(article.id);
    await request(api.http)
      .post(`/articles/${article.id}/unpublish`)
      .set(auth(c.editor.token))
      .send({ reason: 'x' })
      .expect(403);
    await request(api.http)
      .post(`/articles/${article.id}/unpublish`)
      .set(auth(c.admin))
      .send({ reason: 'Dosage table under correction' })
      .expect(200);
    const gone = await request(api.http).get(`/public/articles/${article.slug}`).expect(410);
    expect(gone.body).toMatchObject({ statusCode: 410, code: 'retracted', reason: 'Dosage table under correction' });
    await request(api.http).get(`/public/articles/${article.slug}/versions`).expect(410);
    await request(api.http)
      .post(`/articles/${article.id}/unpublish`)
      .set(auth(c.admin))
      .send({ reason: 'again' })
      .expect(409);
    const events = await db.query(
      `SELECT payload FROM outbox WHERE name = 'article.unpublished' AND payload->>'articleId' = $1`,
      [article.id],
    );
    expect(events.rows).toEqual([
      { payload: expect.objectContaining({ reason: 'Dosage table under correction', version: 1 }) },
    ]);
    const feed = await request(api.http).get('/public/feed.json').expect(200);
    expect(feed.body.items.map((i: { url: string }) => i.url)).not.toContain(
      `https://medical.example/read/${article.slug}`,
    );
    const told = await waitFor(
      async () => deliveries.find((d) => d.type === 'article.unpublished' && d.data.articleId === article.id),
      10_000,
      'the unpublished webhook',
    );
    expect(told.data).toMatchObject({ version: 1, reason: 'Dosage table under correction' });
  });

  it('lists live articles for syncing (updatedSince, cursor) and serves a JSON Feed 1.1, newest first', async () => {
    const since = new Date().toISOString();
    const a = await approved();
    await published(a.id);
    const b = await approved();
    await published(b.id);
    const page1 = await request(api.http).get('/public/articles').query({ updatedSince: since, limit: 1 }).expect(200);
    const page2 = await request(api.http)
      .get('/public/articles')
      .query({ updatedSince: since, limit: 1, cursor: page1.body.nextCursor })
      .expect(200);
    expect([...page1.body.items, ...page2.body.items].map((i: { slug: string }) => i.slug)).toEqual([a.slug, b.slug]);
    expect(page1.body.items[0]).toMatchObject({ version: 1, url: `https://medical.example/public/articles/${a.slug}` });
    await request(api.http).get('/public/articles').query({ updatedSince: 'yesterday' }).expect(400);

    const feed = await request(api.http).get('/public/feed.json').expect(200);
    expect(feed.headers['content-type']).toContain('application/feed+json');
    expect(feed.body).toMatchObject({
      version: 'https://jsonfeed.org/version/1.1',
      feed_url: 'https://medical.example/public/feed.json',
    });
    const urls = feed.body.items.map((i: { url: string }) => i.url);
    expect(urls.indexOf(`https://medical.example/read/${b.slug}`)).toBeLessThan(
      urls.indexOf(`https://medical.example/read/${a.slug}`),
    );
    expect(feed.body.items[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        title: expect.any(String),
        content_html: expect.stringContaining('<h2'),
        date_published: expect.any(String),
      }),
    );
  });

  it('strips script, event handlers and javascript: URLs from what readers get', async () => {
    const body = [
      '## From the Guidelines',
      '',
      'Surgery first [1]. <script>alert("x")</script>',
      '',
      '<img src="x" onerror="alert(1)">',
      '',
      '[a trap](javascript:alert(2)) and <a href="javascript:alert(3)">another</a> [2, 3].',
    ].join('\n');
    const article = await approved({ body, summary: null });
    await published(article.id);
    const doc = (await request(api.http).get(`/public/articles/${article.slug}`).expect(200)).body;
    expect(doc.body).toBe(body);
    expect(doc.bodyHtml).not.toMatch(/<script|alert\("x"\)/i);
    expect(doc.bodyHtml).not.toMatch(/onerror|<img/i);
    expect(doc.bodyHtml).not.toMatch(/="javascript:/i);
    expect(doc.bodyHtml).toContain('>another</a>');
    expect(doc.bodyHtml).toContain('<a href="#ref-1">1</a>');
  });

  it('renders the reader page of the live version, and its index, as plain HTML', async () => {
    const references = content().references.map((r, i) =>
      i === 2 ? { ...r, authors: ['Casali PG', 'Šťastný P', 'Le Cesne A'] } : r,
    );
    const article = await approved({ title: 'Can leiomyosarcoma be treated? <script>alert(1)</script>', references });
    await published(article.id);
    const page = await request(api.http).get(`/read/${article.slug}`).expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = page.text;
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Can leiomyosarcoma be treated? &lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('Approved — reviewed by the Medical Advisory Board');
    expect(html).toMatch(
      /Medically reviewed by Dr Board \d(, MD, PhD)?; Dr Board \d(, MD, PhD)? on <time datetime="\d{4}-\d{2}-\d{2}">/,
    );
    expect(html).toMatch(/Last updated <time datetime="\d{4}-\d{2}-\d{2}">\d{1,2} [A-Z][a-z]+ \d{4}<\/time>/);
    expect(html).toContain('<h2 id="from-the-guidelines">From the Guidelines</h2>');
    expect(html).toContain('<a href="#ref-1">1</a>');
    expect(html).toMatch(/<li id="ref-1"><span class="kind">Guideline<\/span>Sarcoma guideline/);
    expect(html).toContain('<span class="kind">Research</span>Chemotherapy trial');
    // Each entry in Vancouver style (contract §16): authors, title, journal, year; then its links.
    expect(html).toContain(
      `<li id="ref-1"><span class="kind">Guideline</span>Sarcoma guideline [Internet]. Annals of Oncology. 2021. Available from: ${web.url('/ok')} <a href="${web.url('/ok')}"`,
    );
    expect(html).toMatch(
      /<li id="ref-3"><span class="kind">Research<\/span>Casali PG, Šťastný P, Le Cesne A\. Trabectedin study\. Lancet Oncology\. 2022\. <a href="[^"]+\/123456\/" rel="noopener noreferrer nofollow">PubMed 123456<\/a>/,
    );
    expect(html).toMatch(
      /Page last reviewed <time[^>]*>[^<]+<\/time> · Next review due <time datetime="\d{4}-\d{2}-\d{2}">/,
    );
    // Without a choice the page is the professional text, with the disclaimer for professionals (§13).
    expect(html).toContain(
      'For healthcare professionals: this information supports, and does not replace, clinical judgement.',
    );
    expect(html).toContain('<a href="/read/editorial-policy">View editorial policy</a>');
    const jsonLd = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}');
    expect(jsonLd).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'MedicalWebPage',
      lastReviewed: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      reviewedBy: expect.arrayContaining([{ '@type': 'Person', name: 'Dr Board 0', hasCredential: 'MD, PhD' }]),
    });
    expect(jsonLd.name).toContain('<script>');

    const index = await request(api.http).get('/read').expect(200);
    expect(index.text).toContain(`<a href="/read/${article.slug}">`);

    await request(api.http)
      .post(`/articles/${article.id}/unpublish`)
      .set(auth(c.admin))
      .send({ reason: 'Awaiting new trial data' })
      .expect(200);
    const withdrawn = await request(api.http).get(`/read/${article.slug}`).expect(410);
    expect(withdrawn.text).toContain('This article has been withdrawn');
    expect(withdrawn.text).toContain('Awaiting new trial data');
    const missing = await request(api.http).get('/read/no-such-article').expect(404);
    expect(missing.text).toContain('Article not found');
    expect(missing.headers['content-type']).toContain('text/html');
  });

  it('loses no approval while Redis is down: each is published exactly once when it returns', async () => {
    const articles = [];
    for (let i = 0; i < 3; i++) {
      const article = await underReview(c, content());
      await workerChecksDone(article.id, 'r1');
      articles.push(article);
    }
    await redis.stop();
    for (const article of articles) {
      await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
      const started = Date.now();
      const res = await signoff(c, article.id, 1, { decision: 'approve', revision: 1 }).expect(201);
      // The request never waits for Redis: the approval is an outbox row.
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(res.body.article.state).toBe('approved');
    }
    await new Promise((r) => setTimeout(r, 1_500));
    for (const article of articles) expect((await stateOf(article.id)).published_version).toBeNull();

    await redis.start();
    for (const article of articles) await published(article.id);
    const counts = await db.query(
      'SELECT article_id, count(*)::int AS n FROM published_versions WHERE article_id = ANY($1::uuid[]) GROUP BY article_id',
      [articles.map((a) => a.id)],
    );
    expect(counts.rows.map((r: { n: number }) => r.n)).toEqual([1, 1, 1]);
    // And each publication reaches the subscriber exactly once.
    const ids = articles.map((a) => a.id);
    await waitFor(
      async () => ids.every((id) => deliveries.some((d) => d.data.articleId === id)),
      15_000,
      'the webhooks',
    );
    await new Promise((r) => setTimeout(r, 1_000));
    for (const id of ids)
      expect(deliveries.filter((d) => d.data.articleId === id && d.type === 'article.published')).toHaveLength(1);
  }, 60_000);
});
