import { Client } from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types';
import { AuditEntry } from '@imprimatur/domain';
import { ADMIN, createUser, login, startApi, TestApi } from '../support/app';
import { auth, cast, Cast, createArticle, sampleContent } from '../support/articles';
import { toAuditEntry } from '@imprimatur/database';
import { parseCsv } from '../support/csv';
import { sql } from '../support/db';
import { isolatedEnvironment } from '../support/isolated';

const CSV_HEADER = [
  'seq',
  'at',
  'actorId',
  'actorEmail',
  'action',
  'entityType',
  'entityId',
  'articleId',
  'data',
  'prevHash',
  'hash',
];
const AWKWARD_NAME = 'Dr "Quoted", Jr\nSecond line, with commas';

type Query = Record<string, string | number>;

async function entriesWhere(db: Client, where: string, params: unknown[]): Promise<AuditEntry[]> {
  const { rows } = await db.query(`SELECT * FROM audit_log WHERE ${where} ORDER BY seq`, params);
  return rows.map(toAuditEntry);
}

/** Follows nextCursor to the end; asserts every page respects the limit. */
async function allPages(http: App, token: string, query: Query): Promise<{ items: AuditEntry[]; pages: number }> {
  const items: AuditEntry[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await request(http)
      .get('/audit')
      .query({ ...query, ...(cursor ? { cursor } : {}) })
      .set(auth(token))
      .expect(200);
    pages += 1;
    expect(res.body.items.length).toBeLessThanOrEqual(Number(query.limit ?? 20));
    items.push(...(res.body.items as AuditEntry[]));
    cursor = res.body.nextCursor as string | null;
    expect(pages).toBeLessThan(500);
  } while (cursor);
  return { items, pages };
}

/** The body of a streamed download as text, whatever its content type. */
function download(http: App, token: string, format: string) {
  return request(http)
    .get('/audit/export')
    .query({ format })
    .set(auth(token))
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    });
}

const csvRow = (e: AuditEntry): string[] => [
  String(e.seq),
  e.at,
  e.actor?.id ?? '',
  e.actor?.email ?? '',
  e.action,
  e.entityType,
  e.entityId ?? '',
  e.articleId ?? '',
  JSON.stringify(e.data),
  e.prevHash,
  e.hash,
];

describe('audit API (e2e)', () => {
  let api: TestApi;
  let db: Client;
  let c: Cast;
  let articles: { id: string }[];
  let mine: AuditEntry[];

  beforeAll(async () => {
    api = await startApi();
    db = await sql();
    c = await cast(api.http, 0);
    articles = [];
    for (let i = 0; i < 3; i++) articles.push(await createArticle(c));
    // Two more entries on the first article, so that it has several.
    for (const baseRevision of [1, 2]) {
      await request(api.http)
        .post(`/articles/${articles[0].id}/revisions`)
        .set(auth(c.editor.token))
        .send({ ...sampleContent({ changeNote: `edit ${baseRevision}` }), baseRevision })
        .expect(201);
    }
    mine = await entriesWhere(db, 'actor_id = $1', [c.editor.id]);
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  it('lists one entry in the contract shape', async () => {
    const res = await request(api.http)
      .get('/audit')
      .query({ actorId: c.editor.id, limit: 1 })
      .set(auth(c.admin))
      .expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
    expect(res.body.items).toEqual([mine[0]]);
    expect(Object.keys(res.body.items[0])).toEqual([
      'seq',
      'at',
      'actor',
      'action',
      'entityType',
      'entityId',
      'articleId',
      'data',
      'prevHash',
      'hash',
    ]);
    expect(res.body.items[0].actor).toEqual({ id: c.editor.id, email: expect.stringContaining('@') });
    expect(typeof res.body.nextCursor).toBe('string');
  });

  it('filters by actor and pages exactly across page boundaries, oldest first by default and newest first with order=desc', async () => {
    // login, 3 × article.created, 2 × revision.created and whatever else creating an article records
    expect(mine.length).toBeGreaterThanOrEqual(6);
    const asc = await allPages(api.http, c.admin, { actorId: c.editor.id, limit: 2 });
    expect(asc.items).toEqual(mine);
    expect(asc.pages).toBe(Math.ceil(mine.length / 2));
    const desc = await allPages(api.http, c.admin, { actorId: c.editor.id, limit: 2, order: 'desc' });
    expect(desc.items).toEqual([...mine].reverse());
    const whole = await allPages(api.http, c.admin, { actorId: c.editor.id, limit: 100, order: 'asc' });
    expect(whole).toEqual({ items: mine, pages: 1 });
  });

  it('filters by article in both orders', async () => {
    const expected = await entriesWhere(db, 'article_id = $1', [articles[0].id]);
    expect(expected.map((e) => e.action)).toEqual(expect.arrayContaining(['article.created', 'revision.created']));
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect((await allPages(api.http, c.admin, { articleId: articles[0].id, limit: 1 })).items).toEqual(expected);
    expect((await allPages(api.http, c.admin, { articleId: articles[0].id, limit: 2, order: 'desc' })).items).toEqual(
      [...expected].reverse(),
    );
    const other = await allPages(api.http, c.admin, { articleId: articles[1].id, limit: 100 });
    expect(other.items).toEqual(await entriesWhere(db, 'article_id = $1', [articles[1].id]));
    expect(other.items.every((e) => e.articleId === articles[1].id)).toBe(true);
  });

  it('filters by action, alone and with an actor', async () => {
    const created = mine.filter((e) => e.action === 'article.created');
    expect(created.map((e) => e.articleId)).toEqual(articles.map((a) => a.id));
    const exact = await allPages(api.http, c.admin, { action: 'article.created', actorId: c.editor.id, limit: 2 });
    expect(exact.items).toEqual(created);
    const exactDesc = await allPages(api.http, c.admin, {
      action: 'article.created',
      actorId: c.editor.id,
      limit: 2,
      order: 'desc',
    });
    expect(exactDesc.items).toEqual([...created].reverse());

    // Other test files create articles concurrently: without the actor, mine are among the answers.
    const since = created[0].at;
    const until = new Date(Date.parse(created[created.length - 1].at) + 1).toISOString();
    const any = await allPages(api.http, c.admin, { action: 'article.created', since, until, limit: 3 });
    expect(any.items.every((e) => e.action === 'article.created' && e.at >= since && e.at < until)).toBe(true);
    expect(any.items.every((e, i) => i === 0 || e.seq > any.items[i - 1].seq)).toBe(true);
    expect(any.items).toEqual(expect.arrayContaining(created));
    const none = await request(api.http)
      .get('/audit')
      .query({ action: 'no.such_action' })
      .set(auth(c.admin))
      .expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it('filters by time: since inclusive, until exclusive', async () => {
    const since = mine[1].at;
    const until = mine[mine.length - 1].at;
    const expected = mine.filter((e) => e.at >= since && e.at < until);
    expect(expected.length).toBeGreaterThanOrEqual(1);
    expect((await allPages(api.http, c.admin, { actorId: c.editor.id, since, until, limit: 2 })).items).toEqual(
      expected,
    );
    expect(
      (await allPages(api.http, c.admin, { actorId: c.editor.id, since, until, limit: 2, order: 'desc' })).items,
    ).toEqual([...expected].reverse());
    expect((await allPages(api.http, c.admin, { actorId: c.editor.id, since })).items).toEqual(
      mine.filter((e) => e.at >= since),
    );
    expect((await allPages(api.http, c.admin, { actorId: c.editor.id, until })).items).toEqual(
      mine.filter((e) => e.at < until),
    );
    // A time zone offset means the same instant.
    const shifted = new Date(Date.parse(since)).toISOString().replace('Z', '+00:00');
    expect((await allPages(api.http, c.admin, { actorId: c.editor.id, since: shifted })).items).toEqual(
      mine.filter((e) => e.at >= since),
    );
    const future = await request(api.http)
      .get('/audit')
      .query({ actorId: c.editor.id, since: '2999-01-01' })
      .set(auth(c.admin))
      .expect(200);
    expect(future.body.items).toEqual([]);
  });

  it.each([
    ['limit=0', { limit: 0 }, 'limit'],
    ['limit=101', { limit: 101 }, 'limit'],
    ['limit=abc', { limit: 'abc' }, 'limit'],
    ['a cursor that is not base64url', { cursor: '!!!' }, 'cursor'],
    [
      'a cursor of another list',
      { cursor: Buffer.from('["v1","2026-01-01T00:00:00.000Z","x"]').toString('base64url') },
      'cursor',
    ],
    ['a cursor with a negative seq', { cursor: Buffer.from('["v1",-5]').toString('base64url') }, 'cursor'],
    ['a cursor with a fractional seq', { cursor: Buffer.from('["v1",1.5]').toString('base64url') }, 'cursor'],
    ['an articleId that is not a UUID', { articleId: 'nope' }, 'articleId'],
    ['an actorId that is not a UUID', { actorId: '42' }, 'actorId'],
    ['an action that is not a dotted name', { action: "x' OR 1=1 --" }, 'action'],
    ['since that is not a date', { since: 'yesterday' }, 'since'],
    ['since without a time zone', { since: '2026-11-28T12:00:00' }, 'since'],
    ['until on an impossible day', { until: '2026-02-30T00:00:00Z' }, 'until'],
    ['an unknown order', { order: 'sideways' }, 'order'],
    ['an unknown parameter', { sort: 'seq' }, 'sort'],
  ])('refuses %s with 400 validation_failed', async (_, query, field) => {
    const res = await request(api.http).get('/audit').query(query).set(auth(c.admin)).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
    expect(JSON.stringify(res.body)).toContain(field);
  });

  it('accepts a cursor only as a position: one from desc continues asc after that seq', async () => {
    const first = await request(api.http)
      .get('/audit')
      .query({ actorId: c.editor.id, limit: 2, order: 'desc' })
      .set(auth(c.admin))
      .expect(200);
    const next = await request(api.http)
      .get('/audit')
      .query({ actorId: c.editor.id, limit: 2, order: 'desc', cursor: first.body.nextCursor })
      .set(auth(c.admin))
      .expect(200);
    expect(next.body.items).toEqual(mine.slice(-4, -2).reverse());
  });

  it('verifies the chain: valid, with at least the entries written here and the head as the last hash', async () => {
    const res = await request(api.http).get('/audit/verify').set(auth(c.admin)).expect(200);
    expect(res.body).toEqual({
      valid: true,
      entries: expect.any(Number),
      head: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(res.body.entries).toBeGreaterThanOrEqual(mine[mine.length - 1].seq);
    const [last] = await entriesWhere(db, 'seq = $1', [res.body.entries]);
    expect(res.body.head).toBe(last.hash);
  });

  it('exports CSV: a header, one row per entry in seq order, and commas, quotes and newlines quoted', async () => {
    const awkward = await createUser(api.http, c.admin, { roles: ['reviewer'], name: AWKWARD_NAME });
    const [created] = await entriesWhere(db, `entity_id = $1 AND action = 'user.created'`, [awkward.id]);
    expect(created.data.name).toBe(AWKWARD_NAME);

    const res = await download(api.http, c.admin, 'csv').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`,
    );
    const text = res.body as string;
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(CSV_HEADER);
    const body = rows.slice(1);
    expect(body.every((r) => r.length === CSV_HEADER.length)).toBe(true);
    // one row per entry: seq 1, 2, 3, … up to the head when the export began (≥ the entry just written)
    expect(body.map((r) => Number(r[0]))).toEqual(body.map((_, i) => i + 1));
    expect(body.length).toBeGreaterThanOrEqual(created.seq);

    const row = body[created.seq - 1];
    expect(row).toEqual(csvRow(created));
    expect(JSON.parse(row[8])).toEqual(created.data);
    // the data field is quoted, its quotes doubled, its newline kept inside the quotes
    expect(text).toContain(`,"${JSON.stringify(created.data).replace(/"/g, '""')}",`);
    for (const entry of mine) expect(body[entry.seq - 1]).toEqual(csvRow(entry));
  });

  it('exports JSON Lines: one entry per line, as GET /audit shows it', async () => {
    const res = await download(api.http, c.admin, 'jsonl').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.jsonl"$/);
    const text = res.body as string;
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    const entries = lines.map((line) => JSON.parse(line) as AuditEntry);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    for (const entry of mine) expect(entries[entry.seq - 1]).toEqual(entry);
    expect(Object.keys(entries[0])).toEqual([
      'seq',
      'at',
      'actor',
      'action',
      'entityType',
      'entityId',
      'articleId',
      'data',
      'prevHash',
      'hash',
    ]);
  });

  it.each([
    ['csv-less', { format: 'xml' }],
    ['missing', {}],
  ])('refuses an export format that is %s with 400', async (_, query) => {
    const res = await request(api.http).get('/audit/export').query(query).set(auth(c.admin)).expect(400);
    expect(res.body).toMatchObject({ code: 'validation_failed' });
  });

  it('is for admins only: reviewers and editors get 403, anonymous callers 401, on every audit route', async () => {
    const reviewer = await createUser(api.http, c.admin, { roles: ['reviewer'] });
    const reviewerToken = await reviewer.token();
    const editorReviewer = await createUser(api.http, c.admin, { roles: ['editor', 'reviewer'] });
    const both = await editorReviewer.token();
    for (const path of ['/audit', '/audit/verify', '/audit/export?format=csv', '/audit/export?format=jsonl']) {
      for (const token of [reviewerToken, c.editor.token, both]) {
        const res = await request(api.http).get(path).set(auth(token)).expect(403);
        expect(res.body).toMatchObject({ statusCode: 403, code: 'forbidden' });
      }
      const anonymous = await request(api.http).get(path).expect(401);
      expect(anonymous.body).toMatchObject({ code: 'unauthenticated' });
    }
  });
});

describe('audit tamper evidence (e2e, isolated database)', () => {
  let api: TestApi;
  let db: Client;
  let admin: string;

  // As the tables' owner, in one transaction: the append-only trigger fires even for the replica role
  // (ENABLE ALWAYS), so the owner disables it, tampers and enables it again before committing; DDL is
  // transactional, so no other session ever sees the trigger off.
  async function tamper(statement: string, params: unknown[]): Promise<void> {
    await db.query('BEGIN');
    try {
      await db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete');
      const res = await db.query(statement, params);
      await db.query('ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update_delete');
      expect(res.rowCount).toBe(1);
      await db.query('COMMIT');
    } catch (error) {
      await db.query('ROLLBACK');
      throw error;
    }
  }

  const verify = async () => (await request(api.http).get('/audit/verify').set(auth(admin)).expect(200)).body;

  beforeAll(async () => {
    const env = await isolatedEnvironment('audit');
    api = await startApi(env);
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    admin = await login(api.http, ADMIN.email, ADMIN.password);
    for (let i = 0; i < 6; i++)
      await createUser(api.http, admin, { roles: ['editor'], name: `Editor, "number" ${i}\nof six` });
  }, 60_000);
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('exports exactly the stored log, in both formats', async () => {
    const stored = await entriesWhere(db, 'true', []);
    expect(stored.length).toBeGreaterThanOrEqual(8);
    const csv = parseCsv((await download(api.http, admin, 'csv').expect(200)).body as string);
    expect(csv).toEqual([CSV_HEADER, ...stored.map(csvRow)]);
    const jsonl = (await download(api.http, admin, 'jsonl').expect(200)).body as string;
    expect(jsonl).toBe(stored.map((e) => `${JSON.stringify(e)}\n`).join(''));
  });

  it('reports exactly the seq of an edited entry, and the chain is whole again once it is put back', async () => {
    const stored = await entriesWhere(db, 'true', []);
    expect(await verify()).toEqual({ valid: true, entries: stored.length, head: stored[stored.length - 1].hash });

    const victim = stored[4];
    await tamper(`UPDATE audit_log SET data = data || '{"roles": ["admin"]}'::jsonb WHERE seq = $1`, [victim.seq]);
    expect(await verify()).toEqual({ valid: false, brokenAt: victim.seq, entries: victim.seq - 1 });

    await tamper('UPDATE audit_log SET data = $2::jsonb WHERE seq = $1', [victim.seq, JSON.stringify(victim.data)]);
    expect(await verify()).toEqual({ valid: true, entries: stored.length, head: stored[stored.length - 1].hash });
  });

  it('reports a deleted entry at the missing seq', async () => {
    const stored = await entriesWhere(db, 'true', []);
    const victim = stored[2];
    await tamper('DELETE FROM audit_log WHERE seq = $1', [victim.seq]);
    expect(await verify()).toEqual({ valid: false, brokenAt: victim.seq, entries: victim.seq - 1 });
    // the log still lists around the gap
    const page = await request(api.http).get('/audit').query({ limit: 100 }).set(auth(admin)).expect(200);
    expect(page.body.items.map((e: AuditEntry) => e.seq)).not.toContain(victim.seq);
  });
});
