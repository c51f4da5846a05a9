import { IncomingMessage } from 'node:http';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { loadConfig } from '@imprimatur/config';
import { TransactionRunner, WebhooksRepository } from '@imprimatur/database';
import { JobPayloads, outboxJobId, OutboxService, redisOptions, WebhookEvent } from '@imprimatur/queue';
import { eventBody, newWebhookSecret, WebhookFanOut, WebhookRecovery } from '@imprimatur/webhooks';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { ADMIN, createUser, login, startApi, startWorker, TestApi } from '../support/app';
import { auth } from '../support/articles';
import { auditFor } from '../support/db';
import { isolatedEnvironment } from '../support/isolated';
import { freePort, PrivateRedis, waitFor } from '../support/redis-server';
import { after, Handler, LocalWeb } from '../support/web';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Whether the receiver could verify the signature with the subscription's secret. */
  verified: boolean;
  at: number;
}

const MAX_ATTEMPTS = 4;
const BACKOFF_MS = 100;

describe('webhooks (e2e)', () => {
  const receiver = new LocalWeb('127.0.0.1');
  // Not allow-listed: a subscription pointing here must never reach it.
  const forbidden = new LocalWeb('127.0.0.2');
  const received: Received[] = [];
  /** The secret of the subscription behind each receiver path, so the receiver can verify as a subscriber would. */
  const secrets = new Map<string, string>();
  let env: Record<string, string>;
  let api: TestApi;
  let worker: INestApplicationContext;
  let queue: Queue;
  let db: Client;
  let admin: string;
  let editor: string;
  let reviewer: string;

  /** A receiver route that records each request, verifies its signature and answers `status(hit)`. */
  const capture =
    (status: (hit: number) => number | Promise<number>): Handler =>
    async (req: IncomingMessage, res, hit) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
      );
      const path = (req.url ?? '').split('?')[0];
      let verified = false;
      try {
        new Webhook(secrets.get(path) ?? 'whsec_AAAA').verify(body, headers);
        verified = true;
      } catch {
        verified = false;
      }
      received.push({ path, headers, body, verified, at: Date.now() });
      res.writeHead(await status(hit)).end();
    };

  const at = (path: string) => received.filter((r) => r.path === path);

  async function subscribe(path: string, events: WebhookEvent[], url = receiver.url(path)) {
    const res = await request(api.http).post('/webhooks').set(auth(admin)).send({ url, events }).expect(201);
    const body = res.body as {
      id: string;
      secret: string;
      url: string;
      events: string[];
      active: boolean;
      createdAt: string;
    };
    secrets.set(path, body.secret);
    return body;
  }

  /** Emits an event as publishing and the review-due scan do: an outbox row in a committed transaction. */
  async function emit<N extends WebhookEvent>(name: N, data: JobPayloads[N]): Promise<string> {
    const tx = worker.get(TransactionRunner);
    const outbox = worker.get(OutboxService);
    return tx.run((t) => outbox.emit(t, name, data));
  }

  const reviewDue = (slug = 'can-leiomyosarcoma-be-treated'): JobPayloads['article.review_due'] => ({
    articleId: '4f0a3c36-8d65-4a39-9f59-1a1f5a0d1d11',
    slug,
    publishedVersion: 1,
    nextReviewDue: '2026-11-28',
    asOf: new Date().toISOString(),
  });

  const published = (slug = 'can-leiomyosarcoma-be-treated'): JobPayloads['article.published'] => ({
    articleId: '4f0a3c36-8d65-4a39-9f59-1a1f5a0d1d11',
    slug,
    version: 2,
    revision: 3,
    significance: 'clinical',
    changeSummary: null,
    reReview: false,
    title: 'Can leiomyosarcoma be treated?',
    publishedAt: new Date().toISOString(),
    url: `http://127.0.0.1/read/${slug}`,
  });

  /** The fan-out job of an event, once it has completed. */
  async function fannedOut(eventId: string): Promise<{ eventId: string; deliveries: number }> {
    return waitFor(
      async () => {
        const job = await queue.getJob(outboxJobId(eventId));
        return job && (await job.isCompleted()) ? (job.returnvalue as { eventId: string; deliveries: number }) : null;
      },
      10_000,
      `the fan-out of event ${eventId}`,
    );
  }

  async function attempts(id: string, query: Record<string, string | number> = {}) {
    const res = await request(api.http).get(`/webhooks/${id}/deliveries`).query(query).set(auth(admin)).expect(200);
    return res.body as { items: Record<string, unknown>[]; nextCursor: string | null };
  }

  async function deliveryStatus(subscriptionId: string): Promise<string[]> {
    const rows = await db.query<{ status: string }>(
      'SELECT status FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY created_at',
      [subscriptionId],
    );
    return rows.rows.map((r) => r.status);
  }

  beforeAll(async () => {
    await receiver.start();
    await forbidden.route('/hook', (_req, res) => res.writeHead(200).end()).start();
    env = {
      ...(await isolatedEnvironment('webhooks')),
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      WEBHOOK_BACKOFF_MS: String(BACKOFF_MS),
      WEBHOOK_TIMEOUT_MS: '2000',
    };
    api = await startApi(env);
    const config = loadConfig({ ...process.env, ...env });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
      logger: false,
      abortOnError: false,
    });
    queue = new Queue('webhooks', {
      connection: { ...redisOptions(config.redisUrl, 'worker') },
      prefix: config.queuePrefix,
    });
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    admin = await login(api.http, ADMIN.email, ADMIN.password);
    editor = await (await createUser(api.http, admin, { roles: ['editor'] })).token();
    reviewer = await (await createUser(api.http, admin, { roles: ['reviewer'] })).token();
  });

  afterAll(async () => {
    await queue?.close();
    await db?.end();
    await worker?.close();
    await api?.close();
    await receiver.stop();
    await forbidden.stop();
  });

  // Each test starts with no live subscription, so events reach only the ones it creates.
  afterEach(async () => {
    const res = await request(api.http).get('/webhooks').query({ limit: 100 }).set(auth(admin)).expect(200);
    for (const s of res.body.items as { id: string }[])
      await request(api.http).delete(`/webhooks/${s.id}`).set(auth(admin)).expect(204);
  });

  it('shows the secret once, at creation, and never again (nor in the audit log)', async () => {
    const created = await subscribe('/once', ['article.published', 'article.review_due']);
    expect(created).toMatchObject({
      id: expect.any(String),
      url: receiver.url('/once'),
      events: ['article.published', 'article.review_due'],
      active: true,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    const key = Buffer.from(created.secret.slice('whsec_'.length), 'base64');
    expect(key.length).toBeGreaterThanOrEqual(24);
    expect(key.length).toBeLessThanOrEqual(32);
    expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);

    const list = await request(api.http).get('/webhooks').set(auth(admin)).expect(200);
    const listed = (list.body.items as Record<string, unknown>[]).find((s) => s.id === created.id);
    expect(listed).toEqual({
      id: created.id,
      url: created.url,
      events: created.events,
      active: true,
      disabledAt: null,
      disabledReason: null,
      createdAt: created.createdAt,
    });
    expect(list.text).not.toContain(created.secret);
    expect(list.text).not.toContain('secret');

    const entries = await auditFor(db, created.id);
    expect(entries.map((e) => e.action)).toEqual(['webhook.created']);
    expect(entries[0]).toMatchObject({
      actor: { email: ADMIN.email },
      entityType: 'webhook',
      data: { url: created.url, events: created.events },
    });
    expect(JSON.stringify(entries)).not.toContain(created.secret.slice('whsec_'.length));

    // Events are stored once each, in catalogue order, whatever order they were sent in.
    const reordered = await request(api.http)
      .post('/webhooks')
      .set(auth(admin))
      .send({ url: receiver.url('/order'), events: ['article.review_due', 'article.published'] })
      .expect(201);
    expect(reordered.body.events).toEqual(['article.published', 'article.review_due']);
  });

  it('delivers an event as {type, timestamp, data}, signed so that the standardwebhooks library verifies it', async () => {
    receiver.route(
      '/signed',
      capture(() => 200),
    );
    const sub = await subscribe('/signed', ['article.review_due']);
    const data = reviewDue('signed-article');
    const eventId = await emit('article.review_due', data);
    await waitFor(async () => at('/signed').length === 1, 10_000, 'the delivery');
    const [hit] = at('/signed');

    expect(hit.verified).toBe(true);
    expect(hit.headers['content-type']).toBe('application/json');
    expect(hit.headers['webhook-id']).toMatch(/^msg_[0-9a-f-]{36}$/);
    expect(hit.headers['webhook-signature']).toMatch(/^v1,/);
    expect(Math.abs(Number(hit.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    const payload = new Webhook(sub.secret).verify(hit.body, hit.headers) as {
      type: string;
      timestamp: string;
      data: unknown;
    };
    const outboxRow = await db.query<{ created_at: Date }>('SELECT created_at FROM outbox WHERE id = $1', [eventId]);
    expect(payload).toEqual({
      type: 'article.review_due',
      timestamp: outboxRow.rows[0].created_at.toISOString(),
      data,
    });
    // Another secret does not verify it.
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(hit.body, hit.headers),
    ).toThrow();

    const log = await waitFor(
      async () => ((await attempts(sub.id)).items.length === 1 ? attempts(sub.id) : null),
      5_000,
      'the attempt log',
    );
    expect(log.items).toEqual([
      {
        deliveryId: expect.any(String),
        eventId,
        eventType: 'article.review_due',
        messageId: hit.headers['webhook-id'],
        attempt: 1,
        at: expect.any(String),
        statusCode: 200,
        durationMs: expect.any(Number),
        error: null,
        outcome: 'delivered',
      },
    ]);
    expect(await deliveryStatus(sub.id)).toEqual(['delivered']);

    // A fan-out that runs again for the same event (a re-delivered job) adds no second delivery.
    expect(await fannedOut(eventId)).toEqual({ eventId, deliveries: 1 });
    expect(await worker.get(WebhookFanOut).fanOut(eventId, 'article.review_due', data, new Date())).toEqual({
      eventId,
      deliveries: 0,
    });
    await after(300);
    expect(at('/signed')).toHaveLength(1);
  });

  it('retries a receiver that answers 500 twice with the same webhook-id, and logs every attempt', async () => {
    receiver.route(
      '/flaky',
      capture((hit) => (hit <= 2 ? 500 : 200)),
    );
    const sub = await subscribe('/flaky', ['article.published']);
    const eventId = await emit('article.published', published('flaky-article'));
    await waitFor(async () => at('/flaky').length === 3, 15_000, 'three attempts');
    const hits = at('/flaky');

    expect(new Set(hits.map((h) => h.headers['webhook-id'])).size).toBe(1);
    expect(hits.every((h) => h.verified)).toBe(true);
    expect(new Set(hits.map((h) => h.body)).size).toBe(1);
    // WEBHOOK_BACKOFF_MS=100: the first retry after 100 ms, the second after 200 ms.
    expect(hits[1].at - hits[0].at).toBeGreaterThanOrEqual(BACKOFF_MS - 5);
    expect(hits[2].at - hits[1].at).toBeGreaterThanOrEqual(2 * BACKOFF_MS - 5);

    const log = await waitFor(
      async () => {
        const page = await attempts(sub.id);
        return page.items.length === 3 ? page : null;
      },
      5_000,
      'three logged attempts',
    );
    expect(log.items.map((a) => [a.attempt, a.statusCode, a.outcome, a.error])).toEqual([
      [3, 200, 'delivered', null],
      [2, 500, 'retrying', null],
      [1, 500, 'retrying', null],
    ]);
    for (const a of log.items) {
      expect(a).toMatchObject({
        eventId,
        eventType: 'article.published',
        messageId: hits[0].headers['webhook-id'],
        deliveryId: log.items[0].deliveryId,
      });
      expect(a.durationMs).toEqual(expect.any(Number));
      expect(a.durationMs as number).toBeGreaterThanOrEqual(0);
    }
    expect(Date.parse(log.items[0].at as string)).toBeGreaterThan(Date.parse(log.items[2].at as string));
    expect(await deliveryStatus(sub.id)).toEqual(['delivered']);

    // The log pages newest first.
    const first = await attempts(sub.id, { limit: 2 });
    expect(first.items.map((a) => a.attempt)).toEqual([3, 2]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await attempts(sub.id, { limit: 2, cursor: first.nextCursor ?? '' });
    expect(second).toEqual({ items: [expect.objectContaining({ attempt: 1 })], nextCursor: null });
  });

  it('disables a subscription whose receiver answers 410, and delivers nothing more to it', async () => {
    receiver.route(
      '/gone',
      capture(() => 410),
    );
    receiver.route(
      '/still-here',
      capture(() => 204),
    );
    const gone = await subscribe('/gone', ['article.review_due', 'article.unpublished']);
    await subscribe('/still-here', ['article.review_due', 'article.unpublished']);

    await emit('article.review_due', reviewDue('gone-1'));
    const log = await waitFor(
      async () => {
        const page = await attempts(gone.id);
        return page.items.length === 1 ? page : null;
      },
      10_000,
      'the 410 attempt',
    );
    expect(log.items[0]).toMatchObject({ attempt: 1, statusCode: 410, outcome: 'disabled' });

    const list = await request(api.http).get('/webhooks').set(auth(admin)).expect(200);
    const shown = (list.body.items as Record<string, unknown>[]).find((s) => s.id === gone.id);
    expect(shown).toMatchObject({ active: false, disabledReason: 'gone', disabledAt: expect.any(String) });
    const disabled = (await auditFor(db, gone.id)).filter((e) => e.action === 'webhook.disabled');
    expect(disabled).toHaveLength(1);
    expect(disabled[0]).toMatchObject({
      actor: null,
      entityType: 'webhook',
      data: { reason: 'gone', statusCode: 410, url: gone.url },
    });

    // A later event reaches the other subscription only.
    const later = await emit('article.unpublished', {
      articleId: reviewDue().articleId,
      slug: 'gone-2',
      version: 1,
      reason: 'retracted',
      unpublishedAt: new Date().toISOString(),
    });
    expect(await fannedOut(later)).toEqual({ eventId: later, deliveries: 1 });
    await waitFor(async () => at('/still-here').length === 2, 10_000, 'the second event at the other receiver');
    await after(300);
    expect(at('/gone')).toHaveLength(1);
    expect(at('/still-here').every((h) => h.verified)).toBe(true);
  });

  it(`gives up after WEBHOOK_MAX_ATTEMPTS (${MAX_ATTEMPTS}) failed attempts and marks the delivery failed`, async () => {
    receiver.route(
      '/down',
      capture(() => 503),
    );
    const sub = await subscribe('/down', ['article.published']);
    await emit('article.published', published('down-article'));
    const log = await waitFor(
      async () => {
        const page = await attempts(sub.id);
        return page.items.length === MAX_ATTEMPTS ? page : null;
      },
      15_000,
      'every attempt',
    );
    expect(log.items.map((a) => [a.attempt, a.statusCode, a.outcome])).toEqual([
      [4, 503, 'failed'],
      [3, 503, 'retrying'],
      [2, 503, 'retrying'],
      [1, 503, 'retrying'],
    ]);
    expect(await deliveryStatus(sub.id)).toEqual(['failed']);
    await after(1_000);
    expect(at('/down')).toHaveLength(MAX_ATTEMPTS);
    // A failed delivery does not disable the subscription.
    const list = await request(api.http).get('/webhooks').set(auth(admin)).expect(200);
    expect((list.body.items as { id: string; active: boolean }[]).find((s) => s.id === sub.id)?.active).toBe(true);
  });

  it('never reaches an address outside the allow list: such attempts fail as blocked, without a connection', async () => {
    const sub = await subscribe('/hook', ['article.review_due'], forbidden.url('/hook'));
    await emit('article.review_due', reviewDue('blocked-article'));
    const log = await waitFor(
      async () => {
        const page = await attempts(sub.id);
        return page.items.length === MAX_ATTEMPTS ? page : null;
      },
      15_000,
      'every blocked attempt',
    );
    expect(log.items[0]).toMatchObject({ attempt: MAX_ATTEMPTS, statusCode: null, outcome: 'failed' });
    // The record says blocked in the client's own words, never the address the name resolved to.
    for (const a of log.items) expect(a.error).toBe('address_not_allowed: the address is not allowed');
    expect(forbidden.connections).toBe(0);
  });

  it('delivers an event only to the subscriptions that asked for its type', async () => {
    receiver.route(
      '/pub-only',
      capture(() => 200),
    );
    receiver.route(
      '/due-only',
      capture(() => 200),
    );
    await subscribe('/pub-only', ['article.published']);
    await subscribe('/due-only', ['article.review_due']);

    const unpublished = await emit('article.unpublished', {
      articleId: reviewDue().articleId,
      slug: 'nobody',
      version: 1,
      reason: 'retracted',
      unpublishedAt: new Date().toISOString(),
    });
    expect(await fannedOut(unpublished)).toEqual({ eventId: unpublished, deliveries: 0 });
    const pub = await emit('article.published', published('only-pub'));
    expect(await fannedOut(pub)).toEqual({ eventId: pub, deliveries: 1 });
    await waitFor(async () => at('/pub-only').length === 1, 10_000, 'the published event');
    await after(300);
    expect(at('/due-only')).toHaveLength(0);
    expect((JSON.parse(at('/pub-only')[0].body) as { type: string }).type).toBe('article.published');
    const rows = await db.query('SELECT 1 FROM webhook_deliveries WHERE event_id = $1', [unpublished]);
    expect(rows.rowCount).toBe(0);
  });

  it('abandons pending deliveries of a deleted subscription; DELETE is audited and answers 404 the second time', async () => {
    let release: () => void = () => undefined;
    const deleted = new Promise<void>((resolve) => (release = resolve));
    receiver.route(
      '/deleted',
      capture(async (hit) => {
        if (hit === 1) await deleted;
        return 500;
      }),
    );
    const sub = await subscribe('/deleted', ['article.review_due']);
    await emit('article.review_due', reviewDue('deleted-article'));
    await waitFor(async () => receiver.count('POST', '/deleted') === 1, 10_000, 'the first attempt');

    await request(api.http).delete(`/webhooks/${sub.id}`).set(auth(admin)).expect(204);
    release();
    await waitFor(
      async () => (await deliveryStatus(sub.id))[0] === 'abandoned',
      10_000,
      'the delivery to be abandoned',
    );
    await after(300);
    expect(receiver.count('POST', '/deleted')).toBe(1);

    await request(api.http).delete(`/webhooks/${sub.id}`).set(auth(admin)).expect(404);
    await request(api.http).get(`/webhooks/${sub.id}/deliveries`).set(auth(admin)).expect(404);
    const list = await request(api.http).get('/webhooks').set(auth(admin)).expect(200);
    expect((list.body.items as { id: string }[]).map((s) => s.id)).not.toContain(sub.id);
    const entries = await auditFor(db, sub.id);
    expect(entries.map((e) => e.action)).toEqual(['webhook.created', 'webhook.deleted']);
    expect(entries[1]).toMatchObject({ actor: { email: ADMIN.email }, data: { url: sub.url } });
  });

  it('re-issues a delivery whose job was lost (the recovery sweep), with its own webhook-id', async () => {
    receiver.route(
      '/recovered',
      capture(() => 200),
    );
    const sub = await subscribe('/recovered', ['article.published']);
    const body = eventBody('article.published', new Date(), published('lost-article'));
    // A pending delivery whose next attempt is an hour overdue and whose job is nowhere.
    const lost = await db.query<{ message_id: string }>(
      `INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, message_id, body, next_attempt_at)
       VALUES ($1, 999999, 'article.published', 'msg_' || gen_random_uuid(), $2, now() - interval '1 hour') RETURNING message_id`,
      [sub.id, body],
    );
    expect(await worker.get(WebhookRecovery).sweep()).toBe(1);
    expect(await worker.get(WebhookRecovery).sweep()).toBe(0);
    await waitFor(async () => at('/recovered').length === 1, 10_000, 'the recovered delivery');
    expect(at('/recovered')[0]).toMatchObject({
      verified: true,
      body,
      headers: expect.objectContaining({ 'webhook-id': lost.rows[0].message_id }),
    });
    await waitFor(async () => (await deliveryStatus(sub.id))[0] === 'delivered', 5_000, 'the delivery to be recorded');
  });

  it('holds a delivery job off while another run has the delivery leased, then makes the attempt', async () => {
    receiver.route(
      '/leased',
      capture(() => 200),
    );
    const sub = await subscribe('/leased', ['article.published']);
    const body = eventBody('article.published', new Date(), published('leased-article'));
    // As if another run of the job were mid-attempt (or had crashed in one) until the lease ends.
    const leased = await db.query<{ id: string; lease_until: Date }>(
      `INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, message_id, body, lease_until)
       VALUES ($1, 999998, 'article.published', 'msg_' || gen_random_uuid(), $2, now() + interval '1500 milliseconds') RETURNING id, lease_until`,
      [sub.id, body],
    );
    const { id, lease_until: leaseUntil } = leased.rows[0];
    const jobRef = await worker
      .get(TransactionRunner)
      .run((tx) => worker.get(OutboxService).emit(tx, 'webhooks.deliver', { deliveryId: id }));
    await db.query('UPDATE webhook_deliveries SET job_ref = $2 WHERE id = $1', [id, jobRef]);
    await waitFor(async () => at('/leased').length === 1, 10_000, 'the attempt after the lease');
    expect(at('/leased')[0].at).toBeGreaterThanOrEqual(leaseUntil.getTime());
    await waitFor(async () => (await queue.getJob(outboxJobId(jobRef)))?.isCompleted(), 5_000, 'the job to complete');
    expect((await attempts(sub.id)).items.map((a) => [a.attempt, a.outcome])).toEqual([[1, 'delivered']]);
  });

  it('admits admins only: editors and reviewers get 403 on every webhook route, anonymous callers 401', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const token of [editor, reviewer]) {
      await request(api.http)
        .post('/webhooks')
        .set(auth(token))
        .send({ url: receiver.url('/x'), events: ['article.published'] })
        .expect(403);
      await request(api.http).get('/webhooks').set(auth(token)).expect(403);
      await request(api.http).delete(`/webhooks/${id}`).set(auth(token)).expect(403);
      await request(api.http).get(`/webhooks/${id}/deliveries`).set(auth(token)).expect(403);
    }
    await request(api.http)
      .post('/webhooks')
      .send({ url: receiver.url('/x'), events: ['article.published'] })
      .expect(401);
    await request(api.http).get('/webhooks').expect(401);
    const res = await request(api.http).get('/webhooks').set(auth(editor)).expect(403);
    expect(res.body).toMatchObject({ statusCode: 403, code: 'forbidden' });
  });

  it('refuses unknown events, non-http URLs and other malformed requests with 400; unknown ids with 404', async () => {
    const bad = [
      { url: receiver.url('/x'), events: ['article.deleted'] },
      { url: receiver.url('/x'), events: ['article.published', 'system.ping'] },
      { url: receiver.url('/x'), events: [] },
      { url: receiver.url('/x'), events: 'article.published' },
      { url: receiver.url('/x'), events: ['article.published', 'article.published'] },
      { url: receiver.url('/x') },
      { url: 'ftp://example.org/hook', events: ['article.published'] },
      { url: 'javascript:alert(1)', events: ['article.published'] },
      { url: '/relative/hook', events: ['article.published'] },
      { url: 'https://user:secret@example.org/hook', events: ['article.published'] },
      { url: `https://example.org/${'a'.repeat(2048)}`, events: ['article.published'] },
      { url: 42, events: ['article.published'] },
      { events: ['article.published'] },
      { url: receiver.url('/x'), events: ['article.published'], secret: 'whsec_mine' },
    ];
    for (const body of bad) {
      const res = await request(api.http).post('/webhooks').set(auth(admin)).send(body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({
        body,
        status: 400,
        code: 'validation_failed',
      });
    }
    const none = await request(api.http).get('/webhooks').set(auth(admin)).expect(200);
    expect(none.body.items).toEqual([]);

    await request(api.http).delete('/webhooks/not-a-uuid').set(auth(admin)).expect(400);
    await request(api.http).delete('/webhooks/00000000-0000-4000-8000-000000000000').set(auth(admin)).expect(404);
    await request(api.http)
      .get('/webhooks/00000000-0000-4000-8000-000000000000/deliveries')
      .set(auth(admin))
      .expect(404);
    await request(api.http).get('/webhooks').query({ cursor: '!!' }).set(auth(admin)).expect(400);
    await request(api.http).get('/webhooks').query({ limit: 0 }).set(auth(admin)).expect(400);
    const forged = Buffer.from(JSON.stringify(['v1', 'yesterday', 'x'])).toString('base64url');
    await request(api.http).get('/webhooks').query({ cursor: forged }).set(auth(admin)).expect(400);
  });

  it('pages the subscription list oldest first', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await subscribe(`/page-${i}`, ['article.published'])).id);
    const first = await request(api.http).get('/webhooks').query({ limit: 2 }).set(auth(admin)).expect(200);
    const second = await request(api.http)
      .get('/webhooks')
      .query({ limit: 2, cursor: first.body.nextCursor })
      .set(auth(admin))
      .expect(200);
    expect([...first.body.items, ...second.body.items].map((s: { id: string }) => s.id)).toEqual(made);
    expect(second.body.nextCursor).toBeNull();
  });
});

describe('webhooks through a Redis outage (e2e)', () => {
  const receiver = new LocalWeb('127.0.0.1');
  const received: { id: string; type: string; status: number }[] = [];
  let redis: PrivateRedis;
  let worker: INestApplicationContext;
  let db: Client;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    await receiver.start();
    const env = {
      ...(await isolatedEnvironment('webhooks_outage')),
      REDIS_URL: redis.url,
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_MAX_ATTEMPTS: '5',
      WEBHOOK_BACKOFF_MS: '100',
      WEBHOOK_TIMEOUT_MS: '5000',
    };
    worker = await startWorker(env);
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await worker?.close();
    await receiver.stop();
    await redis?.stop();
  });

  it('loses neither a retry nor a new event while Redis is down: both arrive once it is back', async () => {
    const secret = newWebhookSecret();
    const sub = await worker
      .get(TransactionRunner)
      .run((tx) =>
        worker
          .get(WebhooksRepository)
          .insertSubscription(
            { url: receiver.url('/hook'), events: ['article.review_due'], secret, createdBy: null },
            tx,
          ),
      );
    receiver.route('/hook', async (req, res, hit) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const payload = new Webhook(secret).verify(Buffer.concat(chunks).toString('utf8'), headers) as {
        data: { slug: string };
      };
      // The first attempt fails, and Redis goes away before the worker can hear about it.
      if (hit === 1) await redis.stop();
      const status = hit === 1 ? 500 : 200;
      received.push({ id: headers['webhook-id'], type: payload.data.slug, status });
      res.writeHead(status).end();
    });
    const emit = (slug: string) =>
      worker.get(TransactionRunner).run((tx) =>
        worker.get(OutboxService).emit(tx, 'article.review_due', {
          articleId: '4f0a3c36-8d65-4a39-9f59-1a1f5a0d1d11',
          slug,
          publishedVersion: 1,
          nextReviewDue: null,
          asOf: new Date().toISOString(),
        }),
      );

    await emit('before-outage');
    await waitFor(async () => received.length === 1, 10_000, 'the first attempt');
    // The failed attempt is recorded and its retry is an outbox row, waiting for Redis.
    await waitFor(
      async () =>
        (await db.query(`SELECT 1 FROM webhook_attempts WHERE subscription_id = $1 AND outcome = 'retrying'`, [sub.id]))
          .rowCount === 1,
      10_000,
      'the failed attempt to be recorded',
    );
    const during = await emit('during-outage');
    await after(2_000);
    const waiting = await db.query(
      `SELECT id FROM outbox WHERE dispatched_at IS NULL AND queue = 'webhooks' ORDER BY id`,
    );
    expect(waiting.rows.map((r: { id: string }) => r.id)).toContain(during);
    expect(waiting.rowCount).toBe(2);
    expect(received).toHaveLength(1);

    await redis.start();
    await waitFor(async () => received.length === 3, 30_000, 'the retry and the new event after Redis returned');
    await after(500);
    expect(received).toHaveLength(3);
    expect(received[0]).toMatchObject({ type: 'before-outage', status: 500 });
    const retry = received.find((r) => r.type === 'before-outage' && r.status === 200);
    expect(retry?.id).toBe(received[0].id);
    expect(received.filter((r) => r.type === 'during-outage')).toEqual([expect.objectContaining({ status: 200 })]);
    const statuses = await db.query<{ status: string }>(
      'SELECT status FROM webhook_deliveries WHERE subscription_id = $1',
      [sub.id],
    );
    expect(statuses.rows.map((r) => r.status)).toEqual(['delivered', 'delivered']);
  }, 60_000);
});
