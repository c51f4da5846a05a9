import { Client } from 'pg';
import request from 'supertest';
import { startApi, TestApi } from '../support/app';
import { auth, Cast, cast, createArticle, sampleContent, signoff } from '../support/articles';
import { sql } from '../support/db';

/** Contract §19, the server's part: fewer steps between the editor and the board. */
describe('hand-off between editors and reviewers (e2e)', () => {
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

  const stateOf = async (id: string): Promise<string> =>
    ((await request(api.http).get(`/articles/${id}`).set(auth(c.admin)).expect(200)).body as { state: string }).state;

  const audit = async (id: string) =>
    (
      await db.query<{ action: string; data: Record<string, unknown> }>(
        'SELECT action, data FROM audit_log WHERE article_id = $1 ORDER BY seq',
        [id],
      )
    ).rows;

  /** Submitted, with the first two board members of the cast assigned; the third is not. */
  async function submitted(overrides: Record<string, unknown> = {}) {
    const article = await createArticle(c, overrides);
    await request(api.http)
      .put(`/articles/${article.id}/reviewers`)
      .set(auth(c.admin))
      .send({ reviewerIds: [c.reviewers[0].id, c.reviewers[1].id] })
      .expect(200);
    await request(api.http).post(`/articles/${article.id}/submit`).set(auth(c.editor.token)).send({}).expect(200);
    return article;
  }

  const comment = (id: string, token: string, body = 'Is this dose graded?') =>
    request(api.http).post(`/articles/${id}/comments`).set(auth(token)).send({ body });

  describe('the review starts by itself', () => {
    it("with an assigned reviewer's first comment, recorded as review.started", async () => {
      const article = await submitted();
      // Others taking part leave it submitted: the editor and an admin.
      await comment(article.id, c.editor.token, 'Reviewers: note the new guideline.').expect(201);
      await comment(article.id, c.admin, 'Assigned two of you.').expect(201);
      expect(await stateOf(article.id)).toBe('submitted');

      await comment(article.id, c.reviewers[0].token).expect(201);
      expect(await stateOf(article.id)).toBe('under_review');
      const started = (await audit(article.id)).filter((e) => e.action === 'review.started');
      expect(started).toEqual([
        {
          action: 'review.started',
          data: { from: 'submitted', to: 'under_review', revision: 1, startedBy: 'comment' },
        },
      ]);
      // The comment is recorded after the start, in the same transaction.
      const actions = (await audit(article.id)).map((e) => e.action);
      expect(actions.slice(-2)).toEqual(['review.started', 'comment.created']);

      // Later comments start nothing more.
      await comment(article.id, c.reviewers[1].token).expect(201);
      expect((await audit(article.id)).filter((e) => e.action === 'review.started')).toHaveLength(1);
    });

    it("with an assigned reviewer's first sign-off, either decision", async () => {
      const approved = await submitted();
      const res = await signoff(c, approved.id, 0, { decision: 'approve', revision: 1 }).expect(201);
      expect(res.body.article.state).toBe('under_review');
      expect((await audit(approved.id)).map((e) => e.action).slice(-2)).toEqual(['review.started', 'signoff.recorded']);
      expect((await audit(approved.id)).find((e) => e.action === 'review.started')?.data.startedBy).toBe('signoff');

      const sentBack = await submitted();
      const back = await signoff(c, sentBack.id, 1, {
        decision: 'request_changes',
        revision: 1,
        note: 'Cite the 2024 update.',
      }).expect(201);
      expect(back.body.article.state).toBe('changes_requested');
    });

    it('not for a reviewer who is not assigned, nor on a draft', async () => {
      const article = await submitted();
      await comment(article.id, c.reviewers[2].token).expect(403);
      await signoff(c, article.id, 2, { decision: 'approve', revision: 1 }).expect(403);
      expect(await stateOf(article.id)).toBe('submitted');

      const draft = await createArticle(c);
      await request(api.http)
        .put(`/articles/${draft.id}/reviewers`)
        .set(auth(c.admin))
        .send({ reviewerIds: [c.reviewers[0].id] })
        .expect(200);
      await comment(draft.id, c.reviewers[0].token).expect(201);
      expect(await stateOf(draft.id)).toBe('draft');
      const refused = await signoff(c, draft.id, 0, { decision: 'approve', revision: 1 }).expect(409);
      expect(refused.body.code).toBe('invalid_transition');
    });

    it('start-review still works, and is refused once the review has started', async () => {
      const article = await submitted();
      await comment(article.id, c.reviewers[0].token).expect(201);
      const again = await request(api.http)
        .post(`/articles/${article.id}/start-review`)
        .set(auth(c.reviewers[1].token))
        .expect(409);
      expect(again.body.code).toBe('invalid_transition');
    });
  });

  describe('resubmission after changes were requested', () => {
    it('goes straight to under_review; after a withdrawal, the next submission waits again', async () => {
      const article = await submitted();
      await signoff(c, article.id, 0, { decision: 'request_changes', revision: 1, note: 'Grade it.' }).expect(201);
      expect(await stateOf(article.id)).toBe('changes_requested');
      const revised = await request(api.http)
        .post(`/articles/${article.id}/revisions`)
        .set(auth(c.editor.token))
        .send({ ...sampleContent({ changeNote: 'graded' }), baseRevision: 1 })
        .expect(201);
      expect(revised.body.number).toBe(2);
      expect(await stateOf(article.id)).toBe('draft');

      const resubmitted = await request(api.http)
        .post(`/articles/${article.id}/submit`)
        .set(auth(c.editor.token))
        .send({})
        .expect(200);
      expect(resubmitted.body.state).toBe('under_review');
      const submissions = (await audit(article.id)).filter((e) => e.action === 'article.submitted');
      expect(submissions.map((e) => [e.data.from, e.data.to, e.data.revision])).toEqual([
        ['draft', 'submitted', 1],
        ['draft', 'under_review', 2],
      ]);
      // The board can sign the new revision at once.
      await signoff(c, article.id, 1, { decision: 'approve', revision: 2 }).expect(201);

      // Withdrawn and submitted again: that is a new submission, which waits for the board to start.
      await request(api.http).post(`/articles/${article.id}/withdraw`).set(auth(c.editor.token)).expect(200);
      const fresh = await request(api.http)
        .post(`/articles/${article.id}/submit`)
        .set(auth(c.editor.token))
        .send({})
        .expect(200);
      expect(fresh.body.state).toBe('submitted');
    });
  });

  describe('comments follow the text (GET /articles/:id/comments?revision=)', () => {
    it('places anchored comments on any revision: anchored where the quote still is, outdated where it is gone', async () => {
      const article = await submitted();
      const quoted = 'clear margins';
      const dose = 'first-line option';
      const sent = async (anchor: { quote: string }, body: string) =>
        (
          await request(api.http)
            .post(`/articles/${article.id}/comments`)
            .set(auth(c.reviewers[0].token))
            .send({ body, anchor })
            .expect(201)
        ).body as { id: string };
      const margins = await sent({ quote: quoted }, 'Which margin width?');
      const regimen = await sent({ quote: dose }, 'Still first line in 2024?');
      const reply = (
        await request(api.http)
          .post(`/articles/${article.id}/comments`)
          .set(auth(c.editor.token))
          .send({ body: 'Checking.', parentId: margins.id })
          .expect(201)
      ).body as { id: string };
      await signoff(c, article.id, 0, { decision: 'request_changes', revision: 1, note: 'See comments.' }).expect(201);

      const original = sampleContent().body;
      // Revision 2 adds a sentence in front: both quotes move but stay. Revision 3 rewrites the regimen.
      const r2 = `A new opening sentence.\n\n${original}`;
      const r3 = r2.replace('remains the first-line option', 'is one of two first-line choices');
      for (const [base, body] of [
        [1, r2],
        [2, r3],
      ] as const) {
        await request(api.http)
          .post(`/articles/${article.id}/revisions`)
          .set(auth(c.editor.token))
          .send({ ...sampleContent({ body }), baseRevision: base })
          .expect(201);
      }

      const placed = async (revision?: number) => {
        const res = await request(api.http)
          .get(`/articles/${article.id}/comments`)
          .query(revision ? { revision } : {})
          .set(auth(c.editor.token))
          .expect(200);
        const byId = new Map(
          (res.body.items as { id: string; placement: Record<string, unknown> | null }[]).map((i) => [
            i.id,
            i.placement,
          ]),
        );
        return { revision: res.body.revision as number, byId };
      };
      const bodies: Record<number, string> = { 1: original, 2: r2, 3: r3 };
      for (const n of [1, 2, 3]) {
        const { revision, byId } = await placed(n);
        expect(revision).toBe(n);
        const m = byId.get(margins.id) as { status: string; start: number; end: number };
        expect(m).toMatchObject({ revision: n, status: 'anchored' });
        expect(bodies[n].slice(m.start, m.end)).toBe(quoted);
        const d = byId.get(regimen.id) as { status: string; start: number | null; end: number | null };
        if (n < 3) expect(bodies[n].slice(d.start ?? 0, d.end ?? 0)).toBe(dose);
        else expect(d).toEqual({ revision: 3, status: 'outdated', start: null, end: null });
        expect(byId.get(reply.id)).toBeNull();
      }
      // Without ?revision= the current one (3); an unknown revision is a 404, a malformed one a 400.
      expect((await placed()).revision).toBe(3);
      const missing = await request(api.http)
        .get(`/articles/${article.id}/comments`)
        .query({ revision: 9 })
        .set(auth(c.editor.token))
        .expect(404);
      expect(missing.body.code).toBe('not_found');
      await request(api.http)
        .get(`/articles/${article.id}/comments`)
        .query({ revision: 'two' })
        .set(auth(c.editor.token))
        .expect(400);
    });
  });

  describe('save and submit (POST /articles/:id/revisions with submit: true)', () => {
    const revisionsOf = async (id: string): Promise<number[]> =>
      (
        (await request(api.http).get(`/articles/${id}/revisions`).set(auth(c.admin)).expect(200)).body as {
          items: { number: number }[];
        }
      ).items.map((r) => r.number);

    it('saves the revision and submits it in one request', async () => {
      const article = await createArticle(c);
      const res = await request(api.http)
        .post(`/articles/${article.id}/revisions`)
        .set(auth(c.editor.token))
        .send({ ...sampleContent({ changeNote: 'ready' }), baseRevision: 1, submit: true })
        .expect(201);
      expect(res.body.number).toBe(2);
      expect(await stateOf(article.id)).toBe('submitted');
      const actions = (await audit(article.id)).map((e) => e.action);
      expect(actions.slice(-2)).toEqual(['revision.created', 'article.submitted']);
      expect((await audit(article.id)).find((e) => e.action === 'article.submitted')?.data.revision).toBe(2);
    });

    it('refuses the whole request on a citation error: nothing is saved', async () => {
      const article = await createArticle(c);
      const before = await audit(article.id);
      const res = await request(api.http)
        .post(`/articles/${article.id}/revisions`)
        .set(auth(c.editor.token))
        .send({ ...sampleContent({ body: 'Cites a reference that is not there [7].' }), baseRevision: 1, submit: true })
        .expect(422);
      expect(res.body.code).toBe('citation_errors');
      expect(await revisionsOf(article.id)).toEqual([1]);
      expect(await stateOf(article.id)).toBe('draft');
      expect(await audit(article.id)).toEqual(before);

      // The same text saved without submit is kept, citation error and all, as before.
      await request(api.http)
        .post(`/articles/${article.id}/revisions`)
        .set(auth(c.editor.token))
        .send({ ...sampleContent({ body: 'Cites a reference that is not there [7].' }), baseRevision: 1 })
        .expect(201);
      expect(await revisionsOf(article.id)).toEqual([1, 2]);
    });

    it('refuses it when the article is not a draft after saving, and validates the flag', async () => {
      const article = await submitted();
      await comment(article.id, c.reviewers[0].token).expect(201);
      const res = await request(api.http)
        .post(`/articles/${article.id}/revisions`)
        .set(auth(c.editor.token))
        .send({ ...sampleContent(), baseRevision: 1, submit: true })
        .expect(409);
      expect(res.body.code).toBe('invalid_transition');
      expect(await revisionsOf(article.id)).toEqual([1]);

      const bad = await request(api.http)
        .post(`/articles/${article.id}/revisions`)
        .set(auth(c.editor.token))
        .send({ ...sampleContent(), baseRevision: 1, submit: 'yes' })
        .expect(400);
      expect(bad.body.code).toBe('validation_failed');
    });
  });
});
