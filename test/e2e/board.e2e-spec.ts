import request from 'supertest';
import { startApi, TestApi } from '../support/app';
import { auth, Cast, cast, createArticle, signoff } from '../support/articles';

interface TaskItem {
  kind: string;
  articleId: string;
  title: string;
  revision: number;
  dueAt: string | null;
  overdue: boolean;
  since: string;
}

interface NotificationItem {
  id: string;
  kind: string;
  articleId: string | null;
  revision: number | null;
  title: string;
  message: string;
  path: string;
  createdAt: string;
  readAt: string | null;
}

const DAY = 24 * 3_600_000;

describe("the board's working day: due dates, tasks, notifications (e2e)", () => {
  let api: TestApi;
  let c: Cast;

  beforeAll(async () => {
    // Reviews are due 7 days after the later of assignment and submission unless the admin says otherwise.
    api = await startApi({ REVIEW_SLA_DAYS: '7', SIGNOFF_REAUTH: 'false' });
    c = await cast(api.http, 2);
  });
  afterAll(() => api.close());

  const http = () => request(api.http);
  const tasksOf = async (token: string) =>
    (await http().get('/me/tasks').set(auth(token)).expect(200)).body.items as TaskItem[];
  const notificationsOf = async (token: string, query: Record<string, string> = {}) =>
    (await http().get('/me/notifications').query(query).set(auth(token)).expect(200)).body as {
      items: NotificationItem[];
      nextCursor: string | null;
      unread: number;
    };

  async function submitted(reviewers: number[], dueAt?: string | null) {
    const article = await createArticle(c);
    await http()
      .put(`/articles/${article.id}/reviewers`)
      .set(auth(c.admin))
      .send({ reviewerIds: reviewers.map((i) => c.reviewers[i].id), ...(dueAt !== undefined ? { dueAt } : {}) })
      .expect(200);
    await http().post(`/articles/${article.id}/submit`).set(auth(c.editor.token)).send({}).expect(200);
    return article;
  }

  it('gives assignments a due date: the one set, else REVIEW_SLA_DAYS after submission', async () => {
    const before = Date.now();
    const byDefault = await submitted([0]);
    const view = (await http().get(`/articles/${byDefault.id}`).set(auth(c.admin)).expect(200)).body as {
      reviewers: { id: string; dueAt: string | null }[];
    };
    const due = Date.parse(view.reviewers[0].dueAt ?? '');
    expect(due).toBeGreaterThanOrEqual(before + 7 * DAY - 1_000);
    expect(due).toBeLessThanOrEqual(Date.now() + 7 * DAY + 1_000);

    const set = '2031-03-01T17:00:00.000Z';
    const fixed = await submitted([0], set);
    const fixedView = (await http().get(`/articles/${fixed.id}`).set(auth(c.admin)).expect(200)).body as {
      reviewers: { dueAt: string | null }[];
    };
    expect(fixedView.reviewers[0].dueAt).toBe(set);
    await http()
      .put(`/articles/${fixed.id}/reviewers`)
      .set(auth(c.admin))
      .send({ reviewerIds: [c.reviewers[0].id], dueAt: 'next tuesday' })
      .expect(400);
  });

  it("lists a reviewer's tasks most urgent first, overdue ones on top, and drops a review once decided", async () => {
    const reviewer = c.reviewers[1];
    const later = await submitted([1], new Date(Date.now() + 20 * DAY).toISOString());
    const soon = await submitted([1], new Date(Date.now() + 2 * DAY).toISOString());
    // Its due date already passed: the time is injected through the due date, never slept.
    const late = await submitted([1], new Date(Date.now() - DAY).toISOString());
    const mine = (await tasksOf(reviewer.token)).filter((t) => [later.id, soon.id, late.id].includes(t.articleId));
    expect(mine.map((t) => [t.articleId, t.kind, t.overdue])).toEqual([
      [late.id, 'review', true],
      [soon.id, 'review', false],
      [later.id, 'review', false],
    ]);
    expect(mine[0]).toMatchObject({ revision: 1, title: expect.stringContaining('leiomyosarcoma') });

    await http().post(`/articles/${soon.id}/start-review`).set(auth(reviewer.token)).expect(200);
    await signoff(c, soon.id, 1, { decision: 'approve', revision: 1 }).expect(201);
    expect((await tasksOf(reviewer.token)).map((t) => t.articleId)).not.toContain(soon.id);
    // Nothing of this is the editor's or the other reviewer's.
    expect((await tasksOf(c.reviewers[0].token)).map((t) => t.articleId)).not.toContain(late.id);
  });

  it('gives the editor a revise task and a notification when the board asks for changes', async () => {
    const article = await submitted([0]);
    await http().post(`/articles/${article.id}/start-review`).set(auth(c.reviewers[0].token)).expect(200);
    await signoff(c, article.id, 0, {
      decision: 'request_changes',
      revision: 1,
      note: 'Cite the 2021 guideline for the radiotherapy claim.',
    }).expect(201);
    const tasks = await tasksOf(c.editor.token);
    expect(tasks.find((t) => t.articleId === article.id)).toMatchObject({
      kind: 'revise',
      dueAt: null,
      overdue: false,
    });
    const { items } = await notificationsOf(c.editor.token);
    expect(items.find((n) => n.articleId === article.id && n.kind === 'article.changes_requested')).toMatchObject({
      path: `/app/articles/${article.id}/edit`,
      readAt: null,
    });
  });

  it('tells admins which submitted articles lack reviewers', async () => {
    const article = await submitted([0]); // one reviewer, the quorum is two
    const tasks = await tasksOf(c.admin);
    expect(tasks.find((t) => t.articleId === article.id)).toMatchObject({ kind: 'assign' });
    await http()
      .put(`/articles/${article.id}/reviewers`)
      .set(auth(c.admin))
      .send({ reviewerIds: c.reviewers.map((r) => r.id) })
      .expect(200);
    expect((await tasksOf(c.admin)).map((t) => t.articleId)).not.toContain(article.id);
  });

  it('notifies reviewers of their assignment and of a revision to look at, and marks notifications read', async () => {
    const { token } = c.reviewers[0];
    const unreadBefore = (await notificationsOf(token)).unread;
    const article = await submitted([0]);
    const fresh = (await notificationsOf(token, { unread: 'true' })).items.filter((n) => n.articleId === article.id);
    expect(fresh.map((n) => n.kind).sort()).toEqual(['review.assigned', 'review.revision_ready']);
    for (const n of fresh) {
      expect(n.path).toBe(`/app/articles/${article.id}/review`);
      expect(n.message).toContain('leiomyosarcoma');
    }
    expect((await notificationsOf(token)).unread).toBe(unreadBefore + 2);
    // The admin who assigned is not told of what they did.
    expect((await notificationsOf(c.admin)).items.filter((n) => n.articleId === article.id)).toEqual([]);

    // Someone else's notification cannot be marked through my account.
    const editorsOwn = (await notificationsOf(c.editor.token)).items[0];
    const marked = await http()
      .post('/me/notifications/read')
      .set(auth(token))
      .send({ ids: [fresh[0].id, ...(editorsOwn ? [editorsOwn.id] : [])] })
      .expect(200);
    expect(marked.body).toEqual({ marked: 1, unread: unreadBefore + 1 });
    if (editorsOwn) {
      const still = (await notificationsOf(c.editor.token)).items.find((n) => n.id === editorsOwn.id);
      expect(still?.readAt).toBeNull();
    }
    const unreadOnly = (await notificationsOf(token, { unread: 'true' })).items.map((n) => n.id);
    expect(unreadOnly).not.toContain(fresh[0].id);
    expect(unreadOnly).toContain(fresh[1].id);

    const all = await http().post('/me/notifications/read').set(auth(token)).send({ all: true }).expect(200);
    expect(all.body.unread).toBe(0);
    expect((await notificationsOf(token, { unread: 'true' })).items).toEqual([]);

    for (const body of [{}, { ids: [] }, { ids: ['nope'] }, { all: false }, { ids: [fresh[0].id], all: true }]) {
      expect((await http().post('/me/notifications/read').set(auth(token)).send(body).expect(400)).body.code).toBe(
        'validation_failed',
      );
    }
  });

  it('pages notifications newest first by key', async () => {
    const { token } = c.reviewers[1];
    await submitted([1]);
    const first = await notificationsOf(token, { limit: '1' });
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await notificationsOf(token, { limit: '1', cursor: first.nextCursor ?? '' });
    expect(second.items).toHaveLength(1);
    expect(second.items[0].id).not.toBe(first.items[0].id);
    expect(Date.parse(second.items[0].createdAt)).toBeLessThanOrEqual(Date.parse(first.items[0].createdAt));
    await http().get('/me/notifications').query({ cursor: 'garbage!' }).set(auth(token)).expect(400);
  });

  it('tells the author of a comment that someone replied', async () => {
    const article = await submitted([0, 1]);
    await http().post(`/articles/${article.id}/start-review`).set(auth(c.reviewers[0].token)).expect(200);
    const parent = await http()
      .post(`/articles/${article.id}/comments`)
      .set(auth(c.reviewers[0].token))
      .send({ body: 'Is the 2021 guideline the latest?' })
      .expect(201);
    await http()
      .post(`/articles/${article.id}/comments`)
      .set(auth(c.reviewers[1].token))
      .send({ body: 'Yes, updated in 2021.', parentId: parent.body.id })
      .expect(201);
    const { items } = await notificationsOf(c.reviewers[0].token, { unread: 'true' });
    expect(items.filter((n) => n.articleId === article.id && n.kind === 'comment.reply')).toHaveLength(1);
  });

  it('keeps each user’s email preference', async () => {
    const { token } = c.reviewers[1];
    expect((await http().get('/me/preferences').set(auth(token)).expect(200)).body).toEqual({ email: 'immediate' });
    expect((await http().patch('/me/preferences').set(auth(token)).send({ email: 'daily' }).expect(200)).body).toEqual({
      email: 'daily',
    });
    expect((await http().get('/me/preferences').set(auth(token)).expect(200)).body).toEqual({ email: 'daily' });
    await http().patch('/me/preferences').set(auth(token)).send({ email: 'weekly' }).expect(400);
    await http().patch('/me/preferences').send({ email: 'off' }).expect(401);
  });
});
