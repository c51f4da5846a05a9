import type { Pool } from 'pg';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { JobPayloads } from '@imprimatur/queue';
import { LiveChanges } from '../../apps/api/src/public/live-changes.service';
import { publishAsWorker, startApi, TestApi } from '../support/app';
import { approvedByBoard, auth, Cast, cast, setWorkerChecks, underReview } from '../support/articles';
import { isolatedEnvironment } from '../support/isolated';
import { waitFor } from '../support/redis-server';

/**
 * Issue #17: the API keeps live documents and reader pages in memory as ready bytes, invalidated by
 * PostgreSQL's notifications (migration 1765000000800-PublicChanges). A hit, 200 or 304, takes no
 * connection from the pool at all (counted from the pool's own `acquire` events); every change to a
 * live row is seen on the next read; and while the notification connection is down nothing is
 * served from memory.
 */
describe('the read cache (e2e)', () => {
  let env: Record<string, string>;
  let api: TestApi;
  let db: Client;
  let c: Cast;
  let acquired = 0;

  beforeAll(async () => {
    env = await isolatedEnvironment('read_cache');
    api = await startApi(env);
    const pool = (api.app.get(DataSource).driver as unknown as { master: Pool }).master;
    pool.on('acquire', () => acquired++);
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    c = await cast(api.http, 2);
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  /** Approved by the board and published as the worker would, from the approval's outbox payload. */
  async function published() {
    const article = await underReview(c, {});
    await setWorkerChecks(article.id, 'passed', db);
    await approvedByBoard(c, article.id);
    const { rows } = await db.query<{ payload: JobPayloads['article.approved'] }>(
      `SELECT payload FROM outbox WHERE name = 'article.approved' AND payload->>'articleId' = $1 ORDER BY id DESC LIMIT 1`,
      [article.id],
    );
    await expect(publishAsWorker(api, rows[0].payload)).resolves.toMatchObject({ published: true });
    return article;
  }

  /** Pool connections taken while `work` runs. */
  async function queriesDuring(work: () => Promise<unknown>): Promise<number> {
    const before = acquired;
    await work();
    return acquired - before;
  }

  const get = (url: string) => request(api.http).get(url);

  it('answers repeated reads and 304s without the database, with the same bytes and headers', async () => {
    const article = await published();
    const url = `/public/articles/${article.slug}`;
    const first = await get(url).expect(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^".+"$/);

    expect(
      await queriesDuring(async () => {
        for (let i = 0; i < 20; i++) await get(url).set('if-none-match', etag).expect(304);
      }),
    ).toBe(0);
    let again: request.Response | null = null;
    expect(
      await queriesDuring(async () => {
        again = await get(url).expect(200);
      }),
    ).toBe(0);
    expect(again!.text).toBe(first.text);
    expect(again!.headers).toMatchObject({
      etag,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'public, max-age=60, must-revalidate',
    });
    // A hit is answered ahead of the Nest pipeline, with every header the pipeline gave (security
    // headers too), and a request id of its own.
    const perRequest = new Set(['x-request-id', 'date', 'connection', 'keep-alive']);
    const replayed = (headers: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(headers).filter(([name]) => !perRequest.has(name)));
    expect(replayed(again!.headers)).toEqual(replayed(first.headers));
    expect(again!.headers['content-security-policy']).toBeDefined();
    expect(again!.headers['x-request-id']).toMatch(/.+/);
    expect(again!.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    // Anything the fast path does not know goes the whole way: a bad audience is still a 400.
    expect((await get(`${url}?audience=nobody`).expect(400)).body).toMatchObject({ code: 'validation_failed' });
    expect((await get(`${url}?audience=patient&x=1`).expect(200)).body).toMatchObject({ slug: article.slug });

    // Each audience is a form of its own; the reader page too, and its cookie is still set per request.
    await get(`${url}?audience=patient`).expect(200);
    const page = await get(`/read/${article.slug}?audience=caregiver`).expect(200);
    expect(page.headers['set-cookie']?.[0]).toMatch(/^audience=caregiver/);
    expect(
      await queriesDuring(async () => {
        await get(`${url}?audience=patient`).expect(200);
        const cached = await get(`/read/${article.slug}?audience=caregiver`).expect(200);
        expect(cached.text).toBe(page.text);
        expect(cached.headers['set-cookie']?.[0]).toMatch(/^audience=caregiver/);
        expect(cached.headers.etag).toBe(page.headers.etag);
        expect(replayed(cached.headers)).toEqual(replayed(page.headers));
        // Chosen by the cookie alone: the same page, and no cookie set again.
        const byCookie = await get(`/read/${article.slug}`).set('cookie', 'audience=caregiver').expect(200);
        expect(byCookie.text).toBe(page.text);
        expect(byCookie.headers['set-cookie']).toBeUndefined();
      }),
    ).toBe(0);
  });

  it('sees a change written to the live row behind its back, once the notification is in', async () => {
    const article = await published();
    const url = `/public/articles/${article.slug}`;
    await get(url).expect(200);
    await db.query(
      `UPDATE public_articles SET document = jsonb_set(document, '{title}', '"Changed"') WHERE slug = $1`,
      [article.slug],
    );
    // Not through this API: wait for the notification as another process would.
    await api.app.get(LiveChanges).sync();
    expect(((await get(url).expect(200)).body as { title: string }).title).toBe('Changed');
  });

  it("answers the writer's next read with its own unpublish, and an unknown slug is never kept", async () => {
    const article = await published();
    const url = `/public/articles/${article.slug}`;
    await get(url).expect(200);
    await get(`/read/${article.slug}`).expect(200);
    await request(api.http)
      .post(`/articles/${article.id}/unpublish`)
      .set(auth(c.admin))
      .send({ reason: 'Withdrawn' })
      .expect(200);
    expect((await get(url).expect(410)).body).toMatchObject({ code: 'retracted' });
    await get(`/read/${article.slug}`).expect(410);
    // Misses and refusals are read every time (nothing to invalidate them by).
    expect(await queriesDuring(() => get('/public/articles/no-such-article').expect(404))).toBeGreaterThan(0);
    expect(await queriesDuring(() => get(url).expect(410))).toBeGreaterThan(0);
  });

  it('serves nothing from memory while its notification connection is down, and resumes when it is back', async () => {
    const article = await published();
    const url = `/public/articles/${article.slug}`;
    await get(url).expect(200);
    const live = api.app.get(LiveChanges);
    expect(live.cache.isEnabled).toBe(true);
    const terminated = await db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'imprimatur-read-cache'`,
    );
    expect(terminated.rowCount).toBeGreaterThanOrEqual(1);
    await waitFor(async () => !live.cache.isEnabled, 5_000, 'the cache turned off');
    expect(await queriesDuring(() => get(url).expect(200))).toBeGreaterThan(0);
    expect(await queriesDuring(() => get(url).expect(200))).toBeGreaterThan(0);
    await waitFor(async () => live.cache.isEnabled, 10_000, 'the cache back on');
    await get(url).expect(200);
    expect(await queriesDuring(() => get(url).expect(200))).toBe(0);
  });

  it('keeps nothing with READ_CACHE_TTL_MS=0', async () => {
    const article = await published();
    const uncached = await startApi({ ...env, READ_CACHE_TTL_MS: '0' });
    try {
      const pool = (uncached.app.get(DataSource).driver as unknown as { master: Pool }).master;
      let n = 0;
      pool.on('acquire', () => n++);
      const url = `/public/articles/${article.slug}`;
      const etag = (await request(uncached.http).get(url).expect(200)).headers.etag;
      const before = n;
      for (let i = 0; i < 5; i++) await request(uncached.http).get(url).set('if-none-match', etag).expect(304);
      expect(n - before).toBe(5);
    } finally {
      await uncached.close();
    }
  });
});
