import { Client } from 'pg';
import request from 'supertest';
import type { JobPayloads } from '@imprimatur/queue';
import { ADMIN, createUser, login, publishAsWorker, startApi, TestApi } from '../support/app';
import { auth, Cast, cast, setWorkerChecks, signoff, underReview } from '../support/articles';
import { sql } from '../support/db';
import { isolatedEnvironment } from '../support/isolated';

/**
 * Contract §5: only active users with the reviewer role count towards the quorum. No worker runs
 * here: the tests call the publishing service with the very payload the approval wrote to the
 * outbox, as the worker would.
 */
describe('reviewer eligibility (e2e)', () => {
  let api: TestApi;
  let db: Client;
  let c: Cast;

  beforeAll(async () => {
    api = await startApi({ REQUIRED_SIGNOFFS: '2' });
    db = await sql();
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });
  beforeEach(async () => {
    c = await cast(api.http, 3);
  });

  const stateOf = async (id: string) =>
    (await db.query<{ state: string }>('SELECT state FROM articles WHERE id = $1', [id])).rows[0].state;
  const signoffStatuses = async (id: string, reviewerId: string) =>
    (
      await db.query<{ status: string }>(
        'SELECT status FROM signoffs WHERE article_id = $1 AND reviewer_id = $2 ORDER BY created_at',
        [id, reviewerId],
      )
    ).rows.map((r) => r.status);
  const auditOf = async (id: string, action: string) =>
    (
      await db.query<{ data: Record<string, unknown> }>(
        'SELECT data FROM audit_log WHERE article_id = $1 AND action = $2 ORDER BY seq',
        [id, action],
      )
    ).rows.map((r) => r.data);
  const approvals = async (id: string) =>
    (
      await db.query<{ payload: JobPayloads['article.approved'] }>(
        `SELECT payload FROM outbox WHERE name = 'article.approved' AND payload->>'articleId' = $1 ORDER BY id`,
        [id],
      )
    ).rows.map((r) => r.payload);
  const patchUser = (id: string, body: Record<string, unknown>) =>
    request(api.http).patch(`/users/${id}`).set(auth(c.admin)).send(body);

  async function readyForSignoffs() {
    const article = await underReview(c);
    await setWorkerChecks(article.id, 'passed');
    return article;
  }

  it('stops counting a deactivated reviewer: approve, deactivate, second approval → not approved; never in reviewedBy', async () => {
    const article = await readyForSignoffs();
    await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    await patchUser(c.reviewers[0].id, { active: false }).expect(200);

    const second = await signoff(c, article.id, 1, { decision: 'approve', revision: 1 }).expect(201);
    expect(second.body.article.state).toBe('under_review');
    expect(await stateOf(article.id)).toBe('under_review');
    // Recorded, not deleted.
    expect(await signoffStatuses(article.id, c.reviewers[0].id)).toEqual(['dismissed']);
    expect(await auditOf(article.id, 'signoff.dismissed')).toEqual([
      { reviewerId: c.reviewers[0].id, revision: 1, decision: 'approve', reason: 'reviewer deactivated' },
    ]);
    const shown = await request(api.http).get(`/articles/${article.id}`).set(auth(c.admin)).expect(200);
    expect(shown.body.signoffs.map((s: { reviewer: { id: string } }) => s.reviewer.id)).toEqual([c.reviewers[1].id]);

    const third = await signoff(c, article.id, 2, { decision: 'approve', revision: 1 }).expect(201);
    expect(third.body.article.state).toBe('approved');
    const [approval] = await approvals(article.id);
    expect(approval.approverIds).toEqual([c.reviewers[1].id, c.reviewers[2].id].sort());

    await expect(publishAsWorker(api, approval)).resolves.toEqual({ published: true, version: 1 });
    const live = await request(api.http).get(`/public/articles/${article.slug}`).expect(200);
    expect(live.body.reviewedBy.map((r: { name: string }) => r.name).sort()).toEqual(['Dr Board 1', 'Dr Board 2']);
  });

  it('withdraws an approval not yet published when a signer loses the reviewer role; the pending publication does nothing', async () => {
    const article = await readyForSignoffs();
    await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    await signoff(c, article.id, 1, { decision: 'approve', revision: 1 }).expect(201);
    expect(await stateOf(article.id)).toBe('approved');
    const [first] = await approvals(article.id);

    await patchUser(c.reviewers[0].id, { roles: ['editor'] }).expect(200);
    expect(await stateOf(article.id)).toBe('under_review');
    const [withdrawn] = await auditOf(article.id, 'article.approval_withdrawn');
    expect(withdrawn).toMatchObject({
      from: 'approved',
      to: 'under_review',
      revision: 1,
      approvedAt: first.approvedAt,
      blockers: [{ reason: 'quorum', approvals: 1, required: 2 }],
    });

    await expect(publishAsWorker(api, first)).resolves.toMatchObject({ published: false });
    await request(api.http).get(`/public/articles/${article.slug}`).expect(404);

    await signoff(c, article.id, 2, { decision: 'approve', revision: 1 }).expect(201);
    expect(await stateOf(article.id)).toBe('approved');
    const [, second] = await approvals(article.id);
    expect(second.approverIds).toEqual([c.reviewers[1].id, c.reviewers[2].id].sort());
    await expect(publishAsWorker(api, second)).resolves.toEqual({ published: true, version: 1 });
    // The old job running late still publishes nothing.
    await expect(publishAsWorker(api, first)).resolves.toMatchObject({ published: false });
    const live = await request(api.http).get(`/public/articles/${article.slug}`).expect(200);
    expect(live.body.reviewedBy.map((r: { name: string }) => r.name).sort()).toEqual(['Dr Board 1', 'Dr Board 2']);
  });

  it('withdraws an approval whose signer is deactivated before its delayed publication; reactivation brings no sign-off back', async () => {
    const article = await readyForSignoffs();
    await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    await signoff(c, article.id, 1, { decision: 'approve', revision: 1 }).expect(201);
    const [approval] = await approvals(article.id);
    // Deactivated between the approval and its publication: the approval no longer holds.
    await patchUser(c.reviewers[1].id, { active: false }).expect(200);
    await expect(publishAsWorker(api, approval)).resolves.toMatchObject({ published: false });
    expect(await stateOf(article.id)).toBe('under_review');
    // Reactivation does not bring the dismissed sign-off back.
    await patchUser(c.reviewers[1].id, { active: true }).expect(200);
    expect(await signoffStatuses(article.id, c.reviewers[1].id)).toEqual(['dismissed']);
    expect(await stateOf(article.id)).toBe('under_review');
  });
});

describe('the last active admin (e2e)', () => {
  let api: TestApi;
  let admin: string;
  let adminId: string;

  beforeAll(async () => {
    // A database of its own: elsewhere other test files create admins of their own.
    api = await startApi(await isolatedEnvironment('last_admin'));
    admin = await login(api.http, ADMIN.email, ADMIN.password);
    adminId = (await request(api.http).get('/me').set(auth(admin)).expect(200)).body.id;
  });
  afterAll(() => api.close());

  it('cannot demote or deactivate themself (409 last_admin); another admin first makes it possible', async () => {
    for (const change of [{ roles: ['editor'] }, { active: false }, { roles: ['reviewer'], active: false }]) {
      const res = await request(api.http).patch(`/users/${adminId}`).set(auth(admin)).send(change).expect(409);
      expect(res.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        code: 'last_admin',
        message: 'This is the last active admin: make someone else an admin first',
        details: { userId: adminId },
      });
    }
    // A change that keeps them an admin is fine.
    await request(api.http)
      .patch(`/users/${adminId}`)
      .set(auth(admin))
      .send({ roles: ['admin', 'editor'] })
      .expect(200);

    // Two admins demoting themselves at the same moment: one succeeds, one is refused.
    const second = await createUser(api.http, admin, { roles: ['admin'] });
    const secondToken = await second.token();
    const results = await Promise.all([
      request(api.http)
        .patch(`/users/${adminId}`)
        .set(auth(admin))
        .send({ roles: ['editor'] }),
      request(api.http)
        .patch(`/users/${second.id}`)
        .set(auth(secondToken))
        .send({ roles: ['editor'] }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const client = new Client({ connectionString: api.config.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM users WHERE active AND 'admin' = ANY(roles)`,
      );
      expect(Number(rows[0].n)).toBe(1);
    } finally {
      await client.end();
    }
  });
});
