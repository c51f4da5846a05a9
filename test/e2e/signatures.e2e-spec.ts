import { Client } from 'pg';
import request from 'supertest';
import { contentHash } from '@imprimatur/domain';
import { freshAddress, startApi, TestApi } from '../support/app';
import { auth, Cast, cast, revisionOf, sampleContent, signoff, underReview } from '../support/articles';
import { sql } from '../support/db';

/** Contract §12: what you see is what you sign. */
describe('sign-offs as electronic signatures (e2e)', () => {
  let api: TestApi;
  let db: Client;
  let c: Cast;

  beforeAll(async () => {
    // A small throttle, so that counting wrong passwords shows within a few requests.
    api = await startApi({ REQUIRED_SIGNOFFS: '2', LOGIN_FAILURES_PER_ACCOUNT: '3' });
    db = await sql();
    c = await cast(api.http, 3);
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  const signoffRows = async (articleId: string) =>
    (await db.query('SELECT * FROM signoffs WHERE article_id = $1 ORDER BY created_at', [articleId])).rows as {
      id: string;
      status: string;
      content_hash: string;
    }[];
  const auditActions = async (articleId: string) =>
    (
      await db.query<{ action: string }>('SELECT action FROM audit_log WHERE article_id = $1 ORDER BY seq', [articleId])
    ).rows.map((r) => r.action);
  const stored = (articleId: string, n: number) => revisionOf(c, articleId, n);
  const raw = (articleId: string, reviewer: number, body: Record<string, unknown>, address = freshAddress()) =>
    request(api.http)
      .post(`/articles/${articleId}/signoffs`)
      .set(auth(c.reviewers[reviewer].token))
      .set('x-forwarded-for', address)
      .send(body);

  it('stores each revision rendered once, and hashes content and HTML as §12 defines', async () => {
    const article = await underReview(c);
    const revision = await stored(article.id, 1);
    expect(revision.bodyHtml).toContain('<h2');
    expect(revision.bodyHtml).toContain('href="#ref-1"');
    expect(revision.summaryHtml).toContain('<p>');
    // Recomputed from what the API answers, with nothing but the definition.
    const recomputed = contentHash(revision, {
      summaryHtml: revision.summaryHtml,
      bodyHtml: revision.bodyHtml,
      variants: revision.variantsHtml,
    });
    expect(revision.contentHash).toBe(recomputed);
    const view = await request(api.http).get(`/articles/${article.id}`).set(auth(c.admin)).expect(200);
    expect(view.body.currentContentHash).toBe(revision.contentHash);
  });

  it('keeps text in NFC, so the same words typed two ways are one hash', async () => {
    const title = 'Is café-au-lait pigmentation a sign of neurofibromatosis?';
    const one = await request(api.http)
      .post('/articles')
      .set(auth(c.editor.token))
      .send(sampleContent({ title: title.normalize('NFD') }))
      .expect(201);
    const written = await stored(one.body.id, 1);
    expect(written.title).toBe(title.normalize('NFC'));
  });

  it('records the signature manifestation: name and credentials at signing, meaning, revision and hash', async () => {
    const article = await underReview(c);
    await request(api.http)
      .patch(`/users/${c.reviewers[0].id}`)
      .set(auth(c.admin))
      .send({ name: 'Dr Ada Lovelace', credentials: 'MD' })
      .expect(200);
    const { currentContentHash } = (await request(api.http).get(`/articles/${article.id}`).set(auth(c.admin))).body;
    const res = await signoff(c, article.id, 0, { decision: 'approve', revision: 1, note: 'Accurate.' }).expect(201);
    expect(res.body.signoff).toEqual({
      id: expect.any(String),
      reviewer: { id: c.reviewers[0].id, name: 'Dr Ada Lovelace', credentials: 'MD' },
      decision: 'approve',
      meaning: 'approval',
      revision: 1,
      contentHash: currentContentHash,
      signedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      note: 'Accurate.',
      status: 'counted',
    });
    expect(JSON.stringify(res.body)).not.toContain(c.reviewers[0].password);

    // A later rename does not change what was signed, and by whom it was printed.
    await request(api.http)
      .patch(`/users/${c.reviewers[0].id}`)
      .set(auth(c.admin))
      .send({ name: 'Ada L.' })
      .expect(200);
    const view = await request(api.http).get(`/articles/${article.id}`).set(auth(c.admin)).expect(200);
    expect(view.body.signoffs[0].reviewer.name).toBe('Dr Ada Lovelace');
    await request(api.http)
      .patch(`/users/${c.reviewers[0].id}`)
      .set(auth(c.admin))
      .send({ name: 'Dr Board 0', credentials: null })
      .expect(200);

    // The same reviewer's next decision is a new record; the first is kept, replaced.
    await signoff(c, article.id, 0, { decision: 'request_changes', revision: 1, note: 'Dose missing.' }).expect(201);
    expect((await signoffRows(article.id)).map((r) => r.status)).toEqual(['replaced', 'counted']);
  });

  it('refuses a hash that is not the current revision’s with 409, recording nothing', async () => {
    const article = await underReview(c);
    const first = await stored(article.id, 1);
    await request(api.http)
      .post(`/articles/${article.id}/revisions`)
      .set(auth(c.editor.token))
      .send({
        ...sampleContent({ title: first.title, body: `${first.body}\n\nSurgery is curative [1].` }),
        baseRevision: 1,
      })
      .expect(201);
    const second = await stored(article.id, 2);
    const before = await auditActions(article.id);

    // The right revision number with the hash of what the reviewer saw before the edit: a re-used request.
    const reused = await signoff(c, article.id, 0, {
      decision: 'approve',
      revision: 2,
      contentHash: first.contentHash,
    }).expect(409);
    expect(reused.body).toMatchObject({
      code: 'stale_revision',
      details: { currentRevision: 2, contentHash: second.contentHash },
    });
    const older = await signoff(c, article.id, 0, { decision: 'approve', revision: 1, contentHash: first.contentHash });
    expect(older.status).toBe(409);
    expect(older.body.details).toEqual({ currentRevision: 2, contentHash: second.contentHash });

    expect(await signoffRows(article.id)).toEqual([]);
    expect(await auditActions(article.id)).toEqual(before);
  });

  it('answers 400 for a malformed hash or a missing password, before anything is checked or written', async () => {
    const article = await underReview(c);
    const cases: [string, Record<string, unknown>, string][] = [
      ['upper-case hash', { contentHash: 'A'.repeat(64) }, 'contentHash'],
      ['short hash', { contentHash: 'a'.repeat(63) }, 'contentHash'],
      ['hash of the wrong type', { contentHash: 64 }, 'contentHash'],
      ['no hash', { contentHash: undefined }, 'contentHash'],
      ['no password', { password: undefined }, 'password'],
      ['empty password', { password: '' }, 'password'],
    ];
    for (const [what, body, field] of cases) {
      const res = await signoff(c, article.id, 1, { decision: 'approve', revision: 1, ...body });
      expect({ what, status: res.status, code: res.body.code }).toEqual({
        what,
        status: 400,
        code: 'validation_failed',
      });
      expect(JSON.stringify(res.body)).toContain(field);
    }
    expect(await signoffRows(article.id)).toEqual([]);
  });

  it('checks the password on every sign-off: wrong → 401, audited, counted by the login throttle', async () => {
    const article = await underReview(c);
    const { currentContentHash } = (await request(api.http).get(`/articles/${article.id}`).set(auth(c.admin))).body;
    const body = { decision: 'approve', revision: 1, contentHash: currentContentHash };
    const address = freshAddress();

    for (let attempt = 1; attempt <= 3; attempt++) {
      const wrong = await raw(article.id, 2, { ...body, password: `not-my-password-${attempt}` }, address);
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ code: 'reauthentication_failed', statusCode: 401 });
      expect(JSON.stringify(wrong.body)).not.toContain('not-my-password');
    }
    // The fourth try from there is over LOGIN_FAILURES_PER_ACCOUNT (3), even with the right password.
    const throttled = await raw(article.id, 2, { ...body, password: c.reviewers[2].password }, address);
    expect(throttled.status).toBe(429);
    expect(throttled.body.code).toBe('rate_limited');
    // …and a login from there is refused by the same counter.
    const me = (await request(api.http).get('/me').set(auth(c.reviewers[2].token)).expect(200)).body as {
      email: string;
    };
    await request(api.http)
      .post('/auth/login')
      .set('x-forwarded-for', address)
      .send({ email: me.email, password: c.reviewers[2].password })
      .expect(429);

    expect(await signoffRows(article.id)).toEqual([]);
    const failures = await db.query<{ data: { purpose: string; address: string }; actor_id: string }>(
      `SELECT data, actor_id FROM audit_log WHERE action = 'auth.reauthentication_failed' AND entity_id = $1`,
      [c.reviewers[2].id],
    );
    expect(failures.rows).toHaveLength(3);
    expect(failures.rows[0].data.purpose).toContain(article.id);
    const logged = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE data::text LIKE '%not-my-password%'`);
    expect(logged.rows[0].n).toBe(0);

    // From another address the right password signs.
    const signed = await raw(article.id, 2, { ...body, password: c.reviewers[2].password });
    expect(signed.status).toBe(201);
    expect(signed.body.signoff.status).toBe('counted');
  });

  it('keeps signatures immutable in the database: no edit, no delete, one ending only', async () => {
    const article = await underReview(c);
    await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    const [row] = await signoffRows(article.id);
    for (const statement of [
      `UPDATE signoffs SET decision = 'request_changes', note = 'x' WHERE id = $1`,
      `UPDATE signoffs SET content_hash = repeat('0', 64) WHERE id = $1`,
      `UPDATE signoffs SET reviewer_name = 'Someone else' WHERE id = $1`,
      `DELETE FROM signoffs WHERE id = $1`,
    ]) {
      await expect(db.query(statement, [row.id])).rejects.toThrow(/sign-offs are signatures/);
    }
    await db.query(`UPDATE signoffs SET status = 'dismissed', ended_at = now() WHERE id = $1`, [row.id]);
    await expect(
      db.query(`UPDATE signoffs SET status = 'counted', ended_at = NULL WHERE id = $1`, [row.id]),
    ).rejects.toThrow(/sign-offs are signatures/);
  });

  it('turns the password check off with SIGNOFF_REAUTH=false', async () => {
    const relaxed = await startApi({ SIGNOFF_REAUTH: 'false' });
    try {
      const article = await underReview({ ...c, http: relaxed.http });
      const { currentContentHash } = (await request(relaxed.http).get(`/articles/${article.id}`).set(auth(c.admin)))
        .body;
      const res = await request(relaxed.http)
        .post(`/articles/${article.id}/signoffs`)
        .set(auth(c.reviewers[1].token))
        .send({ decision: 'approve', revision: 1, contentHash: currentContentHash })
        .expect(201);
      expect(res.body.signoff.contentHash).toBe(currentContentHash);
    } finally {
      await relaxed.close();
    }
  });
});
