import { Client } from 'pg';
import request from 'supertest';
import { createUser } from '../support/app';
import {
  auth,
  Cast,
  cast,
  createArticle,
  sampleContent,
  setWorkerChecks,
  signoff,
  underReview,
} from '../support/articles';
import { startApi, TestApi } from '../support/app';
import { sql } from '../support/db';

describe('review workflow (e2e)', () => {
  let api: TestApi;
  let db: Client;
  let c: Cast;

  beforeAll(async () => {
    api = await startApi({ REQUIRED_SIGNOFFS: '2' });
    db = await sql();
    c = await cast(api.http, 3);
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  const actions = async (articleId: string) =>
    (await db.query('SELECT action FROM audit_log WHERE article_id = $1 ORDER BY seq', [articleId])).rows.map(
      (r: { action: string }) => r.action,
    );
  const approvedEvents = async (articleId: string) =>
    (
      await db.query(`SELECT payload FROM outbox WHERE name = 'article.approved' AND payload->>'articleId' = $1`, [
        articleId,
      ])
    ).rows;

  it('takes an article from draft to approved with two board sign-offs, auditing every step', async () => {
    const article = await createArticle(c);
    expect(article).toMatchObject({ state: 'draft', currentRevision: 1 });
    expect(article.slug).toMatch(/^can-leiomyosarcoma-be-treated-[a-z0-9]+$/);

    const assigned = await request(api.http)
      .put(`/articles/${article.id}/reviewers`)
      .set(auth(c.admin))
      .send({ reviewerIds: [c.reviewers[0].id, c.reviewers[1].id] })
      .expect(200);
    expect(assigned.body.reviewers.map((r: { id: string }) => r.id).sort()).toEqual(
      [c.reviewers[0].id, c.reviewers[1].id].sort(),
    );

    const publishAt = '2030-01-01T09:00:00.000Z';
    const submitted = await request(api.http)
      .post(`/articles/${article.id}/submit`)
      .set(auth(c.editor.token))
      .send({ publishAt })
      .expect(200);
    expect(submitted.body).toMatchObject({
      state: 'submitted',
      publishAt,
      checks: { citations: 'passed', links: 'pending', staleness: 'passed' },
    });

    await request(api.http).post(`/articles/${article.id}/start-review`).set(auth(c.reviewers[1].token)).expect(200);

    const first = await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    expect(first.body.signoff).toMatchObject({
      decision: 'approve',
      revision: 1,
      reviewer: { id: c.reviewers[0].id },
      meaning: 'approval',
      status: 'counted',
    });
    expect(first.body.article.state).toBe('under_review');

    // Quorum reached, but the links check is still pending: not approved yet.
    const second = await signoff(c, article.id, 1, {
      decision: 'approve',
      revision: 1,
      note: 'Accurate and current.',
    }).expect(201);
    expect(second.body.article).toMatchObject({ state: 'under_review', checks: { links: 'pending' } });
    expect(second.body.article.signoffs).toHaveLength(2);
    expect(await approvedEvents(article.id)).toHaveLength(0);

    // A later sign-off once the links passed completes the rule.
    await setWorkerChecks(article.id, 'passed');
    const again = await signoff(c, article.id, 1, { decision: 'approve', revision: 1, note: 'Still fine.' }).expect(
      201,
    );
    expect(again.body.article.state).toBe('approved');
    expect(again.body.article.signoffs).toHaveLength(2);

    const events = await approvedEvents(article.id);
    expect(events).toHaveLength(1);
    expect(events[0].payload).toMatchObject({
      articleId: article.id,
      revision: 1,
      publishAt,
      approverIds: [c.reviewers[0].id, c.reviewers[1].id].sort(),
    });

    expect(await actions(article.id)).toEqual([
      'article.created',
      'revision.created',
      'reviewers.assigned',
      'article.submitted',
      'review.started',
      'signoff.recorded',
      'signoff.recorded',
      'signoff.recorded',
      'article.approved',
    ]);
    const replaced = await db.query(`SELECT status FROM signoffs WHERE article_id = $1 ORDER BY created_at`, [
      article.id,
    ]);
    expect(replaced.rows.map((r: { status: string }) => r.status)).toEqual(['counted', 'replaced', 'counted']);
  });

  it('answers illegal moves with 409 invalid_transition naming the state and the allowed actions', async () => {
    const article = await createArticle(c);
    const res = await request(api.http).post(`/articles/${article.id}/withdraw`).set(auth(c.editor.token)).expect(409);
    expect(res.body).toMatchObject({
      statusCode: 409,
      code: 'invalid_transition',
      details: { from: 'draft', allowed: expect.arrayContaining(['submit', 'archive', 'revise']) },
    });
    await request(api.http)
      .post(`/articles/${article.id}/archive`)
      .set(auth(c.admin))
      .send({ reason: 'duplicate topic' })
      .expect(200);
    const archived = await request(api.http)
      .post(`/articles/${article.id}/revisions`)
      .set(auth(c.editor.token))
      .send({ ...sampleContent(), baseRevision: 1 })
      .expect(409);
    expect(archived.body.details).toEqual({ from: 'archived', action: 'revise', allowed: [] });
  });

  it('refuses to submit a draft whose citations name missing references (422 citation_errors, each problem listed)', async () => {
    const article = await createArticle(c, { body: 'Treatment works [2, 3, 4, 5, 6]. Also [7-5].', summary: null });
    const res = await request(api.http)
      .post(`/articles/${article.id}/submit`)
      .set(auth(c.editor.token))
      .send({})
      .expect(422);
    expect(res.body.code).toBe('citation_errors');
    expect(res.body.details).toEqual([
      expect.objectContaining({ kind: 'missing_reference', reference: 4 }),
      expect.objectContaining({ kind: 'missing_reference', reference: 5 }),
      expect.objectContaining({ kind: 'missing_reference', reference: 6 }),
      expect.objectContaining({ kind: 'malformed_marker', marker: '[7-5]' }),
    ]);
    const stored = await request(api.http).get(`/articles/${article.id}`).set(auth(c.editor.token)).expect(200);
    expect(stored.body).toMatchObject({ state: 'draft', checks: { citations: 'failed' } });
  });

  it('refuses a stale base revision on edit and a stale revision on sign-off (409 stale_revision)', async () => {
    const article = await underReview(c);
    await request(api.http)
      .post(`/articles/${article.id}/revisions`)
      .set(auth(c.editor.token))
      .send({ ...sampleContent(), baseRevision: 1 })
      .expect(201);
    const stale = await request(api.http)
      .post(`/articles/${article.id}/revisions`)
      .set(auth(c.editor.token))
      .send({ ...sampleContent(), baseRevision: 1 })
      .expect(409);
    expect(stale.body).toMatchObject({ code: 'stale_revision', details: { currentRevision: 2 } });
    const staleSignoff = await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(409);
    expect(staleSignoff.body).toMatchObject({ code: 'stale_revision', details: { currentRevision: 2 } });
  });

  it('lets exactly one of 20 parallel edits on one base win; the rest are stale', async () => {
    const article = await createArticle(c);
    const edits = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(api.http)
          .post(`/articles/${article.id}/revisions`)
          .set(auth(c.editor.token))
          .send({ ...sampleContent({ changeNote: `edit ${i}` }), baseRevision: 1 }),
      ),
    );
    const statuses = edits.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(edits.filter((r) => r.status === 409).every((r) => r.body.code === 'stale_revision')).toBe(true);
    const revisions = await db.query('SELECT number FROM revisions WHERE article_id = $1 ORDER BY number', [
      article.id,
    ]);
    expect(revisions.rows.map((r: { number: number }) => r.number)).toEqual([1, 2]);
  });

  it('requests changes, then the editor revises and resubmits and the board reviews again', async () => {
    const article = await underReview(c);
    const noNote = await signoff(c, article.id, 0, { decision: 'request_changes', revision: 1 }).expect(400);
    expect(noNote.body.code).toBe('validation_failed');

    const asked = await signoff(c, article.id, 0, {
      decision: 'request_changes',
      revision: 1,
      note: 'Cite the 2023 trial in the research section.',
    }).expect(201);
    expect(asked.body.article.state).toBe('changes_requested');
    await request(api.http).post(`/articles/${article.id}/submit`).set(auth(c.editor.token)).send({}).expect(409);

    const revised = await request(api.http)
      .post(`/articles/${article.id}/revisions`)
      .set(auth(c.editor.token))
      .send({ ...sampleContent({ changeNote: 'added the trial' }), baseRevision: 1 })
      .expect(201);
    expect(revised.body).toMatchObject({
      number: 2,
      changeNote: 'added the trial',
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const draft = await request(api.http).get(`/articles/${article.id}`).set(auth(c.editor.token)).expect(200);
    expect(draft.body).toMatchObject({ state: 'draft', currentRevision: 2, signoffs: [] });

    // Its board had started: the resubmission goes straight back under review (contract §19).
    const resubmitted = await request(api.http)
      .post(`/articles/${article.id}/submit`)
      .set(auth(c.editor.token))
      .send({})
      .expect(200);
    expect(resubmitted.body.state).toBe('under_review');
    await setWorkerChecks(article.id, 'passed');
    await signoff(c, article.id, 0, { decision: 'approve', revision: 2 }).expect(201);
    const done = await signoff(c, article.id, 1, { decision: 'approve', revision: 2 }).expect(201);
    expect(done.body.article.state).toBe('approved');
    expect(await actions(article.id)).toEqual(
      expect.arrayContaining(['article.changes_requested', 'signoff.dismissed', 'article.approved']),
    );
  });

  it('dismisses sign-offs on older revisions when a new revision is saved, keeping them in the record', async () => {
    const article = await underReview(c);
    await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    await signoff(c, article.id, 1, { decision: 'approve', revision: 1 }).expect(201);
    const res = await request(api.http)
      .post(`/articles/${article.id}/revisions`)
      .set(auth(c.editor.token))
      .send({ ...sampleContent(), baseRevision: 1 })
      .expect(201);
    expect(res.body.number).toBe(2);
    const view = await request(api.http).get(`/articles/${article.id}`).set(auth(c.editor.token)).expect(200);
    expect(view.body).toMatchObject({ state: 'under_review', currentRevision: 2, signoffs: [] });
    const rows = await db.query('SELECT status, revision FROM signoffs WHERE article_id = $1', [article.id]);
    expect(rows.rows).toEqual([
      { status: 'dismissed', revision: 1 },
      { status: 'dismissed', revision: 1 },
    ]);
    const dismissals = await db.query(
      `SELECT data FROM audit_log WHERE article_id = $1 AND action = 'signoff.dismissed'`,
      [article.id],
    );
    expect(dismissals.rows).toHaveLength(2);
    expect(dismissals.rows[0].data).toMatchObject({ revision: 1, reason: 'revision 2 was saved' });
    // The links result was for revision 1: revision 2 starts pending.
    await setWorkerChecks(article.id, 'passed');
    await signoff(c, article.id, 0, { decision: 'approve', revision: 2 }).expect(201);
  });

  it('holds approval while a blocking comment is open and approves the moment it is resolved', async () => {
    const article = await underReview(c);
    await setWorkerChecks(article.id, 'passed');
    const comment = await request(api.http)
      .post(`/articles/${article.id}/comments`)
      .set(auth(c.reviewers[0].token))
      .send({
        body: 'Which margin width?',
        blocking: true,
        anchor: { quote: 'clear margins', prefix: 'with ', suffix: ' is' },
      })
      .expect(201);
    expect(comment.body).toMatchObject({
      blocking: true,
      resolved: false,
      revision: 1,
      anchor: { quote: 'clear margins' },
    });
    await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    const held = await signoff(c, article.id, 1, { decision: 'approve', revision: 1 }).expect(201);
    expect(held.body.article.state).toBe('under_review');

    // The editor may reply but may not resolve someone else's blocking comment.
    await request(api.http)
      .post(`/articles/${article.id}/comments`)
      .set(auth(c.editor.token))
      .send({ body: 'Two centimetres.', parentId: comment.body.id })
      .expect(201);
    await request(api.http)
      .post(`/articles/${article.id}/comments/${comment.body.id}/resolve`)
      .set(auth(c.editor.token))
      .expect(403);
    await request(api.http)
      .post(`/articles/${article.id}/comments/${comment.body.id}/resolve`)
      .set(auth(c.reviewers[1].token))
      .expect(403);

    const resolved = await request(api.http)
      .post(`/articles/${article.id}/comments/${comment.body.id}/resolve`)
      .set(auth(c.reviewers[0].token))
      .expect(200);
    expect(resolved.body).toMatchObject({ resolved: true, resolvedBy: c.reviewers[0].id });
    const view = await request(api.http).get(`/articles/${article.id}`).set(auth(c.editor.token)).expect(200);
    expect(view.body.state).toBe('approved');
    expect(await approvedEvents(article.id)).toHaveLength(1);

    const thread = await request(api.http)
      .get(`/articles/${article.id}/comments`)
      .set(auth(c.editor.token))
      .expect(200);
    expect(thread.body.items.map((x: { parentId: string | null }) => x.parentId)).toEqual([null, comment.body.id]);
    expect(await actions(article.id)).toEqual(
      expect.arrayContaining(['comment.created', 'comment.created', 'comment.resolved']),
    );
  });

  it('refuses an anchor that does not match the current body (422), and replies to unknown comments (404)', async () => {
    const article = await underReview(c);
    const res = await request(api.http)
      .post(`/articles/${article.id}/comments`)
      .set(auth(c.reviewers[0].token))
      .send({ body: 'x', anchor: { quote: 'not in the text' } })
      .expect(422);
    expect(res.body.code).toBe('anchor_not_found');
    await request(api.http)
      .post(`/articles/${article.id}/comments`)
      .set(auth(c.reviewers[0].token))
      .send({ body: 'x', anchor: { quote: 'clear margins', prefix: 'without ' } })
      .expect(422);
    await request(api.http)
      .post(`/articles/${article.id}/comments`)
      .set(auth(c.reviewers[0].token))
      .send({ body: 'x', parentId: '00000000-0000-4000-8000-000000000000' })
      .expect(404);
  });

  it('approves exactly once when the final sign-offs arrive together', async () => {
    const article = await underReview(c);
    await setWorkerChecks(article.id, 'passed');
    await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    const finals = await Promise.all(
      [1, 2].map((i) => signoff(c, article.id, i, { decision: 'approve', revision: 1 })),
    );
    const statuses = finals.map((r) => r.status).sort();
    // The first to take the row lock approves; the other then finds the article approved.
    expect(statuses).toEqual([201, 409]);
    expect(finals.find((r) => r.status === 201)?.body.article.state).toBe('approved');
    expect(finals.find((r) => r.status === 409)?.body).toMatchObject({
      code: 'invalid_transition',
      details: { from: 'approved' },
    });
    expect(await approvedEvents(article.id)).toHaveLength(1);
    const approvals = await db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE article_id = $1 AND action = 'article.approved'`,
      [article.id],
    );
    expect(approvals.rows[0].n).toBe(1);
  });

  it('derives unique slugs, suffixing collisions, and refuses a taken explicit slug (409 duplicate)', async () => {
    const title = `Is aspirin safe in pregnancy? ${Date.now()}`;
    const a = await createArticle(c, { title });
    const b = await createArticle(c, { title });
    expect(b.slug).toBe(`${a.slug}-2`);
    const explicit = await createArticle(c, { slug: `custom-${Date.now()}` });
    const dup = await request(api.http)
      .post('/articles')
      .set(auth(c.editor.token))
      .send({ ...sampleContent(), slug: explicit.slug })
      .expect(409);
    expect(dup.body.code).toBe('duplicate');
    await request(api.http)
      .post('/articles')
      .set(auth(c.editor.token))
      .send({ ...sampleContent(), slug: 'Not A Slug' })
      .expect(400);
  });

  it('validates content: unknown fields, references without a locator, bad years', async () => {
    const send = (body: Record<string, unknown>) =>
      request(api.http).post('/articles').set(auth(c.editor.token)).send(body);
    expect((await send({ ...sampleContent(), extra: 1 }).expect(400)).body.details.fields).toHaveProperty('extra');
    const noLocator = await send(sampleContent({ references: [{ type: 'research', title: 'x' }] })).expect(400);
    expect(noLocator.body.details.fields).toEqual({ 'references.0': ['needs at least one of url, doi, pmid'] });
    const badYear = await send(
      sampleContent({ references: [{ type: 'nonsense', title: 'x', year: 'old', url: 'ftp://x' }] }),
    ).expect(400);
    expect(Object.keys(badYear.body.details.fields).sort()).toEqual([
      'references.0.type',
      'references.0.url',
      'references.0.year',
    ]);
    await send(sampleContent({ title: '' })).expect(400);
  });

  it('lists with filters, title search and a cursor', async () => {
    const marker = `zebrafish${Date.now()}`;
    const mine = [];
    for (let i = 0; i < 3; i++) mine.push(await createArticle(c, { title: `Does ${marker} model ${i} help?` }));
    const page1 = await request(api.http)
      .get('/articles')
      .query({ q: marker.toUpperCase(), limit: 2 })
      .set(auth(c.reviewers[0].token))
      .expect(200);
    expect(page1.body.items.map((a: { id: string }) => a.id)).toEqual([mine[2].id, mine[1].id]);
    const page2 = await request(api.http)
      .get('/articles')
      .query({ q: marker, limit: 2, cursor: page1.body.nextCursor })
      .set(auth(c.reviewers[0].token))
      .expect(200);
    expect(page2.body).toEqual({ items: [expect.objectContaining({ id: mine[0].id })], nextCursor: null });

    const reviewing = await underReview(c);
    const byReviewer = await request(api.http)
      .get('/articles')
      .query({ reviewerId: c.reviewers[2].id, state: 'under_review', limit: 100 })
      .set(auth(c.admin))
      .expect(200);
    expect(byReviewer.body.items.map((a: { id: string }) => a.id)).toContain(reviewing.id);
    expect(byReviewer.body.items.every((a: { state: string }) => a.state === 'under_review')).toBe(true);
    const byAuthor = await request(api.http)
      .get('/articles')
      .query({ authorId: c.editor.id, limit: 5 })
      .set(auth(c.admin))
      .expect(200);
    expect(byAuthor.body.items.every((a: { authorId: string }) => a.authorId === c.editor.id)).toBe(true);
    await request(api.http).get('/articles').query({ state: 'published' }).set(auth(c.admin)).expect(400);
    await request(api.http).get('/articles').query({ reviewDue: 'yes' }).set(auth(c.admin)).expect(400);
  });

  it('keeps revisions immutable and readable one by one', async () => {
    const article = await createArticle(c);
    const one = await request(api.http)
      .get(`/articles/${article.id}/revisions/1`)
      .set(auth(c.reviewers[0].token))
      .expect(200);
    expect(one.body).toMatchObject({ number: 1, changeNote: 'first draft' });
    expect(one.body.references[0]).toEqual({
      key: expect.stringMatching(/^[A-Za-z0-9_-]{8}$/),
      type: 'guideline',
      title: 'Soft tissue sarcoma: clinical practice guideline',
      source: 'Annals of Oncology',
      year: 2021,
      url: null,
      doi: '10.1016/j.annonc.2021.07.002',
      pmid: null,
    });
    await request(api.http).get(`/articles/${article.id}/revisions/9`).set(auth(c.reviewers[0].token)).expect(404);
    await request(api.http).get(`/articles/${article.id}/revisions/x`).set(auth(c.reviewers[0].token)).expect(400);
    const list = await request(api.http)
      .get(`/articles/${article.id}/revisions`)
      .set(auth(c.reviewers[0].token))
      .expect(200);
    expect(list.body.items).toHaveLength(1);
    await expect(
      db.query(`UPDATE revisions SET body = 'tampered' WHERE article_id = $1`, [article.id]),
    ).rejects.toThrow(/revisions are immutable/);
  });

  describe('who may do what (403)', () => {
    let article: { id: string };
    let outsider: { id: string; token: string; password: string };

    beforeAll(async () => {
      article = await underReview(c);
      const user = await createUser(api.http, c.admin, { roles: ['reviewer'] });
      outsider = { id: user.id, token: await user.token(), password: user.password };
    });

    it.each([
      ['a reviewer', 'POST', '/articles', 'reviewer'],
      ['a reviewer', 'POST', '/articles/:id/revisions', 'reviewer'],
      ['a reviewer', 'POST', '/articles/:id/submit', 'reviewer'],
      ['a reviewer', 'POST', '/articles/:id/withdraw', 'reviewer'],
      ['a reviewer', 'PUT', '/articles/:id/reviewers', 'reviewer'],
      ['a reviewer', 'POST', '/articles/:id/archive', 'reviewer'],
      ['an editor', 'POST', '/articles/:id/start-review', 'editor'],
      ['an editor', 'POST', '/articles/:id/signoffs', 'editor'],
      ['an editor', 'POST', '/articles/:id/conflicts', 'editor'],
      ['an editor', 'PUT', '/articles/:id/reviewers', 'editor'],
      ['an editor', 'POST', '/articles/:id/archive', 'editor'],
      ['an admin', 'POST', '/articles/:id/submit', 'admin'],
      ['an admin', 'POST', '/articles/:id/signoffs', 'admin'],
    ])('refuses %s on %s %s', async (_who, method, path, role) => {
      const token = role === 'reviewer' ? c.reviewers[0].token : role === 'editor' ? c.editor.token : c.admin;
      const url = path.replace(':id', article.id);
      const res = await (method === 'PUT' ? request(api.http).put(url) : request(api.http).post(url))
        .set(auth(token))
        .send({});
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    });

    it('refuses reviewers who are not assigned: start-review, sign-off, conflicts, comments', async () => {
      for (const [path, body] of [
        ['signoffs', { decision: 'approve', revision: 1, contentHash: 'a'.repeat(64), password: outsider.password }],
        ['conflicts', { reason: 'x' }],
        ['comments', { body: 'x' }],
      ] as const) {
        const res = await request(api.http)
          .post(`/articles/${article.id}/${path}`)
          .set(auth(outsider.token))
          .send(body);
        expect([path, res.status, res.body.code]).toEqual([path, 403, 'forbidden']);
      }
      const fresh = await createArticle(c);
      await request(api.http).post(`/articles/${fresh.id}/submit`).set(auth(c.editor.token)).send({}).expect(200);
      const res = await request(api.http)
        .post(`/articles/${fresh.id}/start-review`)
        .set(auth(outsider.token))
        .expect(403);
      expect(res.body.code).toBe('forbidden');
    });

    it('refuses to assign an author of the article (403 conflict_of_interest), and a reviewer who declared a conflict', async () => {
      const both = await createUser(api.http, c.admin, { roles: ['editor', 'reviewer'] });
      const token = await both.token();
      const own = await request(api.http).post('/articles').set(auth(token)).send(sampleContent()).expect(201);
      const res = await request(api.http)
        .put(`/articles/${own.body.id}/reviewers`)
        .set(auth(c.admin))
        .send({ reviewerIds: [both.id, c.reviewers[0].id] })
        .expect(403);
      expect(res.body).toMatchObject({ code: 'conflict_of_interest', details: { reviewerIds: [both.id] } });

      const declared = await request(api.http)
        .post(`/articles/${article.id}/conflicts`)
        .set(auth(c.reviewers[2].token))
        .send({ reason: 'I co-authored reference 2' })
        .expect(200);
      expect(declared.body.reviewers.map((r: { id: string }) => r.id)).not.toContain(c.reviewers[2].id);
      const again = await request(api.http)
        .put(`/articles/${article.id}/reviewers`)
        .set(auth(c.admin))
        .send({ reviewerIds: c.reviewers.map((r) => r.id) })
        .expect(403);
      expect(again.body).toMatchObject({ code: 'conflict_of_interest', details: { reviewerIds: [c.reviewers[2].id] } });
      await signoff(c, article.id, 2, { decision: 'approve', revision: 1 }).expect(403);
    });

    it('refuses a sign-off from an assigned reviewer who then wrote a revision (403 conflict_of_interest)', async () => {
      const both = await createUser(api.http, c.admin, { roles: ['editor', 'reviewer'] });
      const token = await both.token();
      const other = await underReview(c);
      await request(api.http)
        .put(`/articles/${other.id}/reviewers`)
        .set(auth(c.admin))
        .send({ reviewerIds: [both.id, c.reviewers[0].id] })
        .expect(200);
      await request(api.http)
        .post(`/articles/${other.id}/revisions`)
        .set(auth(token))
        .send({ ...sampleContent(), baseRevision: 1 })
        .expect(201);
      const res = await request(api.http)
        .post(`/articles/${other.id}/signoffs`)
        .set(auth(token))
        .send({ decision: 'approve', revision: 2, contentHash: 'a'.repeat(64), password: both.password })
        .expect(403);
      expect(res.body.code).toBe('conflict_of_interest');
    });

    it('refuses to assign users who are not active reviewers (400)', async () => {
      const res = await request(api.http)
        .put(`/articles/${article.id}/reviewers`)
        .set(auth(c.admin))
        .send({ reviewerIds: [c.editor.id] })
        .expect(400);
      expect(res.body).toMatchObject({ code: 'validation_failed', details: { reviewerIds: [c.editor.id] } });
    });

    it('refuses comments from editors who did not write the article', async () => {
      const stranger = await createUser(api.http, c.admin, { roles: ['editor'] });
      const res = await request(api.http)
        .post(`/articles/${article.id}/comments`)
        .set(auth(await stranger.token()))
        .send({ body: 'drive-by' })
        .expect(403);
      expect(res.body.code).toBe('forbidden');
    });
  });
});
