import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import request from 'supertest';
import { TransactionRunner } from '@imprimatur/database';
import { JobName, JobPayloads, outboxJobId, OutboxService, QueueName, redisOptions } from '@imprimatur/queue';
import { loadConfig } from '@imprimatur/config';
import { startApi, startWorker, TestApi } from '../support/app';
import { auth, Cast, cast, createArticle } from '../support/articles';
import { isolatedEnvironment } from '../support/isolated';
import { waitFor } from '../support/redis-server';
import { ReceivedMail, TestSmtp } from '../support/smtp';

const BASE = 'http://board.imprimatur.test';

interface NotificationRow {
  id: string;
  user_id: string;
  kind: string;
  email_status: string;
}

describe('email for the board, through a real SMTP server (e2e)', () => {
  const smtp = new TestSmtp();
  let env: Record<string, string>;
  let api: TestApi;
  let worker: INestApplicationContext;
  let db: Client;
  let c: Cast;
  const queues = new Map<QueueName, Queue>();
  const emails = new Map<string, string>();

  beforeAll(async () => {
    await smtp.start();
    env = {
      ...(await isolatedEnvironment('mail')),
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Imprimatur board <board@imprimatur.test>',
      PUBLIC_BASE_URL: BASE,
    };
    api = await startApi(env);
    worker = await startWorker(env);
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    const config = loadConfig({ ...process.env, ...env });
    for (const name of ['mail', 'maintenance'] as const)
      queues.set(
        name,
        new Queue(name, { connection: { ...redisOptions(config.redisUrl, 'worker') }, prefix: config.queuePrefix }),
      );
    // 0, 1: immediate (the default); 2: daily; 3: off.
    c = await cast(api.http, 4);
    const rows = await db.query<{ id: string; email: string }>('SELECT id, email FROM users WHERE id = ANY($1)', [
      c.reviewers.map((r) => r.id),
    ]);
    for (const row of rows.rows) emails.set(row.id, row.email);
  });

  afterAll(async () => {
    await Promise.all([...queues.values()].map((q) => q.close()));
    await db?.end();
    await worker?.close();
    await api?.close();
    await smtp.stop();
  });

  const emailOf = (reviewer: number) => emails.get(c.reviewers[reviewer].id) ?? '';
  const messageIdOf = (n: NotificationRow) => `<notification-${n.id}@imprimatur>`;
  const mailsOf = (n: NotificationRow) => smtp.received.filter((m) => m.messageId === messageIdOf(n));

  async function notificationsOf(articleId: string, kind: string): Promise<NotificationRow[]> {
    const rows = await db.query<NotificationRow>(
      'SELECT id, user_id, kind, email_status FROM notifications WHERE article_id = $1 AND kind = $2 ORDER BY user_id',
      [articleId, kind],
    );
    return rows.rows;
  }

  async function assign(reviewers: number[], overrides: Record<string, unknown> = {}) {
    const article = await createArticle(c, overrides);
    await request(api.http)
      .put(`/articles/${article.id}/reviewers`)
      .set(auth(c.admin))
      .send({ reviewerIds: reviewers.map((r) => c.reviewers[r].id) })
      .expect(200);
    const title = (await db.query<{ title: string }>('SELECT title FROM articles WHERE id = $1', [article.id])).rows[0]
      .title;
    return { id: article.id, title };
  }

  /** The email job of a notification, once the worker has finished it: what it did. */
  async function emailJobOutcome(n: NotificationRow): Promise<unknown> {
    const outbox = await waitFor(
      async () =>
        (
          await db.query<{ id: string }>(
            `SELECT id FROM outbox WHERE name = 'notifications.email' AND payload->>'notificationId' = $1`,
            [n.id],
          )
        ).rows[0],
      10_000,
      `the email job of notification ${n.id}`,
    );
    return finished(queues.get('mail'), outbox.id);
  }

  async function finished(queue: Queue | undefined, outboxId: string): Promise<unknown> {
    if (!queue) throw new Error('queue not open');
    const job = await waitFor(
      async () => {
        // The state first, then the job: a job read while still active has no return value yet.
        const state = await queue.getJobState(outboxJobId(outboxId));
        if (state === 'failed') throw new Error(`job ${outboxId} failed`);
        return state === 'completed' ? queue.getJob(outboxJobId(outboxId)) : null;
      },
      20_000,
      `job ${outboxId} to complete`,
    );
    return job.returnvalue as unknown;
  }

  /** Runs a job as a producer would: committed through the outbox, relayed to its queue; its return value. */
  async function runJob<N extends JobName>(name: N, data: JobPayloads[N], queue: QueueName): Promise<unknown> {
    const id = await worker.get(TransactionRunner).run((tx) => worker.get(OutboxService).emit(tx, name, data));
    return finished(queues.get(queue), id);
  }

  async function sentOnce(n: NotificationRow): Promise<ReceivedMail> {
    await waitFor(
      async () =>
        (await db.query<{ email_status: string }>('SELECT email_status FROM notifications WHERE id = $1', [n.id]))
          .rows[0]?.email_status === 'sent',
      20_000,
      `notification ${n.id} to be mailed`,
    );
    // Marked sent after the server accepted it, so nothing more is on its way.
    const mails = mailsOf(n);
    expect(mails).toHaveLength(1);
    return mails[0];
  }

  it('emails each reviewer of a new assignment once, naming the article and linking to its review screen', async () => {
    const article = await assign([0, 1]);
    const notifications = await notificationsOf(article.id, 'review.assigned');
    expect(notifications.map((n) => n.user_id).sort()).toEqual([c.reviewers[0].id, c.reviewers[1].id].sort());

    for (const n of notifications) {
      const mail = await sentOnce(n);
      expect(mail.to).toEqual([emails.get(n.user_id)]);
      expect(mail.messageId).toBe(messageIdOf(n));
      expect(mail.subject).toBe(`You were asked to review "${article.title}"`);
      for (const part of [mail.text, mail.html]) {
        expect(part).toContain(`${BASE}/app/articles/${article.id}/review`);
        expect(part).toContain(`${BASE}/app/preferences`);
      }
      expect(mail.html).toContain(`href="${BASE}/app/articles/${article.id}/review"`);
      expect(mail.headers['list-unsubscribe']).toBe(`<${BASE}/app/preferences>`);
      expect(mail.headers.from).toBe('Imprimatur board <board@imprimatur.test>');
    }
    expect(smtp.to(emailOf(0)).filter((m) => m.subject.includes(article.title))).toHaveLength(1);
    expect(smtp.to(emailOf(1)).filter((m) => m.subject.includes(article.title))).toHaveLength(1);
  });

  it('retries a mail the server refused with 451, and it arrives once', async () => {
    const refusedBefore = smtp.refused;
    smtp.failNext(1, 451);
    const article = await assign([0]);
    const [n] = await notificationsOf(article.id, 'review.assigned');
    const mail = await sentOnce(n);
    expect(smtp.refused).toBe(refusedBefore + 1);
    expect(mail.subject).toContain(article.title);
    const job = await queues
      .get('mail')
      ?.getJob(
        outboxJobId(
          (
            await db.query<{ id: string }>(
              `SELECT id FROM outbox WHERE name = 'notifications.email' AND payload->>'notificationId' = $1`,
              [n.id],
            )
          ).rows[0].id,
        ),
      );
    expect(job?.attemptsMade).toBe(2);
  });

  it('sends a daily reviewer nothing at once and one digest when the digest runs', async () => {
    await request(api.http)
      .patch('/me/preferences')
      .set(auth(c.reviewers[2].token))
      .send({ email: 'daily' })
      .expect(200);
    const first = await assign([0, 2]);
    const second = await assign([2]);
    const [forDaily] = (await notificationsOf(first.id, 'review.assigned')).filter(
      (n) => n.user_id === c.reviewers[2].id,
    );
    const [alsoDaily] = await notificationsOf(second.id, 'review.assigned');
    expect(await emailJobOutcome(forDaily)).toEqual({ outcome: 'for_digest' });
    expect(await emailJobOutcome(alsoDaily)).toEqual({ outcome: 'for_digest' });
    expect(smtp.to(emailOf(2))).toEqual([]);
    // The other reviewer of the same article, on `immediate`, had theirs at once.
    const [forImmediate] = (await notificationsOf(first.id, 'review.assigned')).filter(
      (n) => n.user_id === c.reviewers[0].id,
    );
    await sentOnce(forImmediate);

    expect(await runJob('notifications.digest', {}, 'mail')).toEqual({ digests: 1, notifications: 2 });
    const digests = smtp.to(emailOf(2));
    expect(digests).toHaveLength(1);
    const [digest] = digests;
    const day = new Date().toISOString().slice(0, 10);
    expect(digest.messageId).toBe(`<digest-${c.reviewers[2].id}-${day}@imprimatur>`);
    expect(digest.subject).toBe(`Imprimatur daily digest, ${day}: 2 notifications`);
    for (const article of [first, second]) {
      expect(digest.text).toContain(`You were asked to review "${article.title}"`);
      expect(digest.text).toContain(`${BASE}/app/articles/${article.id}/review`);
      expect(digest.html).toContain(`href="${BASE}/app/articles/${article.id}/review"`);
    }
    expect(digest.headers['list-unsubscribe']).toBe(`<${BASE}/app/preferences>`);
    const statuses = await db.query<{ email_status: string }>(
      'SELECT email_status FROM notifications WHERE id = ANY($1)',
      [[forDaily.id, alsoDaily.id]],
    );
    expect(statuses.rows.map((r) => r.email_status)).toEqual(['sent', 'sent']);

    // Nothing is left for another digest.
    expect(await runJob('notifications.digest', {}, 'mail')).toEqual({ digests: 0, notifications: 0 });
    expect(smtp.to(emailOf(2))).toHaveLength(1);
  });

  it('sends a reviewer who turned email off nothing, ever', async () => {
    await request(api.http).patch('/me/preferences').set(auth(c.reviewers[3].token)).send({ email: 'off' }).expect(200);
    const article = await assign([0, 3]);
    const notifications = await notificationsOf(article.id, 'review.assigned');
    const off = notifications.find((n) => n.user_id === c.reviewers[3].id);
    const on = notifications.find((n) => n.user_id === c.reviewers[0].id);
    if (!off || !on) throw new Error('both reviewers should have been notified');
    expect(await emailJobOutcome(off)).toEqual({ outcome: 'skipped' });
    await sentOnce(on);
    expect((await notificationsOf(article.id, 'review.assigned')).find((n) => n.id === off.id)?.email_status).toBe(
      'skipped',
    );
    await runJob('notifications.digest', {}, 'mail');
    expect(smtp.to(emailOf(3))).toEqual([]);
  });

  it('reminds a reviewer of an overdue review once per assignment and revision, at the time the scan is given', async () => {
    const article = await assign([1]);
    await request(api.http).post(`/articles/${article.id}/submit`).set(auth(c.editor.token)).send({}).expect(200);
    const dueAt = new Date(Date.now() - 24 * 3_600_000);
    await db.query('UPDATE article_reviewers SET due_at = $3 WHERE article_id = $1 AND reviewer_id = $2', [
      article.id,
      c.reviewers[1].id,
      dueAt,
    ]);

    // As of two days ago it was not yet due.
    const before = new Date(Date.now() - 2 * 24 * 3_600_000).toISOString();
    expect(await runJob('reviews.overdue_scan', { asOf: before }, 'maintenance')).toEqual({
      overdue: 0,
      reminded: 0,
    });
    expect(await notificationsOf(article.id, 'review.overdue')).toEqual([]);

    const now = new Date().toISOString();
    expect(await runJob('reviews.overdue_scan', { asOf: now }, 'maintenance')).toEqual({ overdue: 1, reminded: 1 });
    const [reminder] = await notificationsOf(article.id, 'review.overdue');
    expect(reminder.user_id).toBe(c.reviewers[1].id);
    const mail = await sentOnce(reminder);
    expect(mail.to).toEqual([emailOf(1)]);
    expect(mail.subject).toBe(`Your review of "${article.title}" is overdue`);
    expect(mail.text).toContain(`${BASE}/app/articles/${article.id}/review`);
    const dueDay = dueAt.toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    expect(mail.text).toContain(`(due ${dueDay})`);

    // Still overdue the next day, but reminded already for this revision.
    const tomorrow = new Date(Date.now() + 24 * 3_600_000).toISOString();
    expect(await runJob('reviews.overdue_scan', { asOf: tomorrow }, 'maintenance')).toEqual({
      overdue: 1,
      reminded: 0,
    });
    expect(await notificationsOf(article.id, 'review.overdue')).toHaveLength(1);
    expect(
      smtp.received.filter((m) => m.subject.includes('overdue') && m.subject.includes(article.title)),
    ).toHaveLength(1);
  });
});
