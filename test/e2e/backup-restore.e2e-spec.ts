import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { startApi, startWorker, TestApi } from '../support/app';
import { auth, Cast, cast, createArticle, signoff } from '../support/articles';
import { isolatedEnvironment } from '../support/isolated';
import { waitFor } from '../support/redis-server';

const run = promisify(execFile);

/** The tables whose rows a restore must bring back, every one. */
const TABLES = [
  'users',
  'articles',
  'revisions',
  'signoffs',
  'published_versions',
  'publication_keys',
  'audit_log',
  'audit_digest_keys',
  'notifications',
  'outbox',
];

/**
 * docs/operations.md "Backup and restore": `pg_dump -Fc` of a working database, `pg_restore` into an
 * empty one, and an API on the copy serves the same — rows, audit chain, signed documents, logins.
 */
describe('backup and restore with pg_dump (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imprimatur-backup-'));
  let env: Record<string, string>;
  let restoredUrl: string;
  let api: TestApi;
  let copy: TestApi | undefined;
  let worker: INestApplicationContext | undefined;
  let c: Cast;

  beforeAll(async () => {
    env = { ...(await isolatedEnvironment('backup')), REQUIRED_SIGNOFFS: '2' };
    api = await startApi(env);
    worker = await startWorker(env);
    c = await cast(api.http, 2);
    const url = new URL(env.DATABASE_URL);
    url.pathname = `${url.pathname}_restored`;
    restoredUrl = url.toString();
  });

  afterAll(async () => {
    await copy?.close();
    await worker?.close();
    await api?.close();
    const admin = new Client({ connectionString: env.DATABASE_URL });
    await admin.connect();
    await admin.query(
      `DROP DATABASE IF EXISTS ${admin.escapeIdentifier(new URL(restoredUrl).pathname.slice(1))} WITH (FORCE)`,
    );
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  async function counts(databaseUrl: string): Promise<Record<string, number>> {
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const out: Record<string, number> = {};
      for (const table of TABLES)
        out[table] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
      return out;
    } finally {
      await db.end();
    }
  }

  it('restores a copy that serves the same rows, audit chain, signed documents and logins', async () => {
    const article = await createArticle(c, { references: [], body: 'No citations.', summary: null });
    await request(api.http)
      .put(`/articles/${article.id}/reviewers`)
      .set(auth(c.admin))
      .send({ reviewerIds: c.reviewers.map((r) => r.id) })
      .expect(200);
    await request(api.http).post(`/articles/${article.id}/submit`).set(auth(c.editor.token)).send({}).expect(200);
    await request(api.http).post(`/articles/${article.id}/start-review`).set(auth(c.reviewers[0].token)).expect(200);
    await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    await signoff(c, article.id, 1, { decision: 'approve', revision: 1 }).expect(201);
    const published = await waitFor(
      async () => {
        const res = await request(api.http).get(`/public/articles/${article.slug}`);
        return res.status === 200 ? res : null;
      },
      30_000,
      'publication',
    );
    // Nothing moving while the dump is taken, so that the copy can be compared with the original.
    await worker?.close();
    worker = undefined;
    const verified = (await request(api.http).get('/audit/verify').set(auth(c.admin)).expect(200)).body as Record<
      string,
      unknown
    >;
    const before = await counts(env.DATABASE_URL);

    const dump = join(dir, 'imprimatur.dump');
    await run('pg_dump', ['-Fc', '--no-password', '-f', dump, '-d', env.DATABASE_URL]);
    expect(statSync(dump).size).toBeGreaterThan(0);
    const admin = new Client({ connectionString: env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(new URL(restoredUrl).pathname.slice(1))}`);
    await admin.end();
    await run('pg_restore', ['--no-password', '--exit-on-error', '-d', restoredUrl, dump]);

    expect(await counts(restoredUrl)).toEqual(before);
    expect(before.published_versions).toBe(1);
    expect(before.audit_log).toBeGreaterThan(5);

    copy = await startApi({ ...env, DATABASE_URL: restoredUrl });
    // The chain verifies on the copy, to the same head.
    const again = (await request(copy.http).get('/audit/verify').set(auth(c.admin)).expect(200)).body as Record<
      string,
      unknown
    >;
    expect(again).toEqual(verified);
    // The same signed bytes for readers.
    const served = await request(copy.http).get(`/public/articles/${article.slug}`).expect(200);
    expect(served.text).toBe(published.text);
    // Accounts came back with their password hashes: signing in works on the copy.
    const login = await request(copy.http)
      .post('/auth/login')
      .send({ email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD })
      .expect(200);
    expect(typeof (login.body as { accessToken?: unknown }).accessToken).toBe('string');
  }, 120_000);
});
