import { Client } from 'pg';
import request from 'supertest';
import { startApi, TestApi } from '../support/app';
import { auth, Cast, cast, revisionOf, signoff, underReview } from '../support/articles';
import { sql } from '../support/db';

/** Contract §19, "editors work with comments": what the desk and the timeline need from the server. */
describe('comments on the desk and the timeline (e2e)', () => {
  let api: TestApi;
  let db: Client;
  let c: Cast;

  beforeAll(async () => {
    api = await startApi();
    db = await sql();
    c = await cast(api.http, 2);
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  const comment = (id: string, token: string, body: Record<string, unknown>) =>
    request(api.http).post(`/articles/${id}/comments`).set(auth(token)).send(body).expect(201);
  const resolve = (id: string, commentId: string, token: string) =>
    request(api.http).post(`/articles/${id}/comments/${commentId}/resolve`).set(auth(token)).expect(200);

  describe('openBlockingComments', () => {
    it('counts the unresolved blocking comments of each article, in the list and in the article', async () => {
      const busy = await underReview(c);
      const quiet = await underReview(c);
      const first = await comment(busy.id, c.reviewers[0].token, { body: 'Which trial?', blocking: true });
      await comment(busy.id, c.reviewers[1].token, { body: 'Give the dose.', blocking: true });
      // Neither a remark nor a reply counts, nor a blocking comment once resolved.
      await comment(busy.id, c.reviewers[1].token, { body: 'Nice summary.' });
      await comment(busy.id, c.editor.token, { body: 'Added it.', parentId: first.body.id });
      const resolvedLater = await comment(busy.id, c.reviewers[0].token, { body: 'Typo.', blocking: true });
      await resolve(busy.id, resolvedLater.body.id, c.reviewers[0].token);

      const list = await request(api.http)
        .get('/articles')
        .query({ authorId: c.editor.id, limit: 100 })
        .set(auth(c.editor.token))
        .expect(200);
      const byId = new Map(
        (list.body.items as { id: string; openBlockingComments: number }[]).map((a) => [a.id, a.openBlockingComments]),
      );
      expect(byId.get(busy.id)).toBe(2);
      expect(byId.get(quiet.id)).toBe(0);

      const one = await request(api.http).get(`/articles/${busy.id}`).set(auth(c.editor.token)).expect(200);
      expect(one.body.openBlockingComments).toBe(2);
      // Resolving one lowers the count at once.
      await resolve(busy.id, first.body.id, c.reviewers[0].token);
      const after = await request(api.http).get(`/articles/${busy.id}`).set(auth(c.editor.token)).expect(200);
      expect(after.body.openBlockingComments).toBe(1);
    });

    it('a blocking comment on an earlier revision still counts on the next one', async () => {
      const article = await underReview(c);
      await comment(article.id, c.reviewers[0].token, { body: 'Cite the 2024 guideline.', blocking: true });
      await signoff(c, article.id, 0, { decision: 'request_changes', revision: 1, note: 'See my comment' }).expect(201);
      const content = await revisionOf(c, article.id, 1);
      const revised = await request(api.http)
        .post(`/articles/${article.id}/revisions`)
        .set(auth(c.editor.token))
        .send({
          title: content.title,
          summary: content.summary,
          body: `${content.body}\n\nAdded the 2024 guideline [1].`,
          references: content.references,
          specialties: content.specialties,
          changeNote: 'the 2024 guideline',
          baseRevision: 1,
        })
        .expect(201);
      expect(revised.body.number).toBe(2);
      const one = await request(api.http).get(`/articles/${article.id}`).set(auth(c.editor.token)).expect(200);
      expect(one.body.currentRevision).toBe(2);
      expect(one.body.openBlockingComments).toBe(1);
    });

    it('is read from the partial index of open blocking comments, not by scanning the comments', async () => {
      const { rows: index } = await db.query<{ indexdef: string }>(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'comments' AND indexname = 'comments_open_blocking'",
      );
      expect(index[0]?.indexdef).toMatch(/\(article_id\) WHERE \(blocking AND \(resolved_at IS NULL\)\)/);
      // The repository's query, planned as if the table were large (a small one is always cheaper to scan).
      await db.query('BEGIN');
      try {
        await db.query('SET LOCAL enable_seqscan = off');
        const { rows } = await db.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT article_id, count(*)::int AS n FROM comments
           WHERE article_id = ANY($1::uuid[]) AND blocking AND resolved_at IS NULL GROUP BY article_id`,
          [['00000000-0000-4000-8000-000000000000']],
        );
        const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).toContain('comments_open_blocking');
        expect(plan).not.toMatch(/Seq Scan on comments/);
      } finally {
        await db.query('ROLLBACK');
      }
    });
  });

  describe('the timeline', () => {
    it("gives comment events the comment's text, its first 280 characters, beside the audited data", async () => {
      const article = await underReview(c);
      const short = await comment(article.id, c.reviewers[0].token, {
        body: 'Say whether adding ifosfamide helps: readers will ask.',
        blocking: true,
      });
      // 279 characters, then an emoji (two UTF-16 units), then more: cut after the emoji, not inside it.
      const long = `${'d'.repeat(279)}💊 and more after the limit`;
      await comment(article.id, c.editor.token, { body: long, parentId: short.body.id });
      await resolve(article.id, short.body.id, c.reviewers[0].token);

      const res = await request(api.http).get(`/articles/${article.id}/history`).set(auth(c.editor.token)).expect(200);
      const entries = res.body.items as {
        action: string;
        entityId: string;
        data: Record<string, unknown>;
        commentText: string | null;
      }[];
      const created = entries.filter((e) => e.action === 'comment.created');
      expect(created.map((e) => e.commentText)).toEqual([
        'Say whether adding ifosfamide helps: readers will ask.',
        `${'d'.repeat(279)}💊…`,
      ]);
      const resolved = entries.find((e) => e.action === 'comment.resolved');
      expect(resolved?.commentText).toBe('Say whether adding ifosfamide helps: readers will ask.');
      // Other events have none, and the audited data is as it was written (the text is not in it).
      expect(entries.filter((e) => !e.action.startsWith('comment.')).every((e) => e.commentText === null)).toBe(true);
      expect(created.every((e) => !('text' in e.data) && !('commentText' in e.data))).toBe(true);
      const { rows } = await db.query<{ data: Record<string, unknown> }>(
        "SELECT data FROM audit_log WHERE entity_id = $1 AND action = 'comment.created'",
        [short.body.id],
      );
      expect(created[0].data).toEqual(rows[0].data);
    });

    it('finds the texts for every page of the timeline', async () => {
      const article = await underReview(c);
      for (let i = 0; i < 5; i++) await comment(article.id, c.reviewers[0].token, { body: `Remark ${i}` });
      const texts: (string | null)[] = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await request(api.http)
          .get(`/articles/${article.id}/history`)
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(auth(c.editor.token))
          .expect(200);
        for (const e of res.body.items as { action: string; commentText: string | null }[])
          if (e.action === 'comment.created') texts.push(e.commentText);
        cursor = res.body.nextCursor as string | null;
      } while (cursor);
      expect(texts).toEqual(['Remark 0', 'Remark 1', 'Remark 2', 'Remark 3', 'Remark 4']);
    });

    it('is for staff only, as the route is', async () => {
      const article = await underReview(c);
      await request(api.http).get(`/articles/${article.id}/history`).expect(401);
    });
  });
});
