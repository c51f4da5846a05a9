import { createPublicKey, generateKeyPairSync, randomBytes, verify as verifySignature } from 'node:crypto';
import { INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { loadConfig } from '@imprimatur/config';
import {
  appRoleUrl,
  AuditDigestRepository,
  prepareDatabase,
  provisionAppRole,
  TransactionRunner,
} from '@imprimatur/database';
import { AuditEntry, chainEntry } from '@imprimatur/domain';
import { outboxJobId, OutboxService, redisOptions } from '@imprimatur/queue';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { ADMIN, createUser, login, startApi, TestApi, uniqueEmail } from '../support/app';
import { auth, sampleContent } from '../support/articles';
import { parseCsv } from '../support/csv';
import { sql } from '../support/db';
import { isolatedEnvironment } from '../support/isolated';
import { waitFor } from '../support/redis-server';

const APP_ROLE = process.env.APP_DATABASE_ROLE ?? '';

function download(http: App, token: string, format: 'csv' | 'jsonl') {
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
    })
    .expect(200);
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

describe('audit log integrity: roles and triggers (e2e)', () => {
  let api: TestApi;
  let owner: Client;
  let app: Client;
  let admin: string;

  beforeAll(async () => {
    api = await startApi();
    owner = await sql();
    app = await connect(appRoleUrl(process.env.DATABASE_URL ?? '', APP_ROLE));
    admin = await login(api.http, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await app?.end();
    await owner?.end();
    await api?.close();
  });

  it("connects the API as the run's application role, which neither owns audit_log nor is a superuser", async () => {
    expect(APP_ROLE).toMatch(/^imprimatur_app_/);
    const [me] = await api.app
      .get(DataSource)
      .query('SELECT current_user AS role, usesuper FROM pg_user WHERE usename = current_user');
    expect(me).toEqual({ role: APP_ROLE, usesuper: false });
    const { rows } = await owner.query(
      `SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE oid = 'audit_log'::regclass`,
    );
    expect(rows[0].owner).not.toBe(APP_ROLE);
    expect(
      (await owner.query(`SELECT pg_has_role($1, $2, 'MEMBER') AS member`, [APP_ROLE, rows[0].owner])).rows[0].member,
    ).toBe(false);
  });

  it.each([
    ['UPDATE', `UPDATE audit_log SET action = 'tampered' WHERE seq = 1`],
    ['DELETE', 'DELETE FROM audit_log WHERE seq = 1'],
    ['TRUNCATE', 'TRUNCATE audit_log'],
    ['DISABLE TRIGGER ALL', 'ALTER TABLE audit_log DISABLE TRIGGER ALL'],
    ['DISABLE TRIGGER', 'ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete'],
    ['ENABLE REPLICA TRIGGER', 'ALTER TABLE audit_log ENABLE REPLICA TRIGGER audit_log_no_update_delete'],
    ['DROP TRIGGER', 'DROP TRIGGER audit_log_no_update_delete ON audit_log'],
    ['DROP TABLE', 'DROP TABLE audit_log'],
    [
      'CREATE TRIGGER',
      'CREATE TRIGGER sneaky BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()',
    ],
    ['SET session_replication_role', 'SET session_replication_role = replica'],
    ['UPDATE of the digest keys', `UPDATE audit_digest_keys SET public_key = 'x'`],
    ['DELETE of the digest keys', 'DELETE FROM audit_digest_keys'],
    ['DELETE of the migrations', 'DELETE FROM migrations'],
  ])('refuses %s to the application role: permission denied', async (_, statement) => {
    const before = (await owner.query('SELECT count(*)::int AS n, max(seq)::int AS max FROM audit_log')).rows[0];
    const error = await app.query(statement).then(
      () => null,
      (e: { code?: string; message: string }) => e,
    );
    expect(error).toMatchObject({
      code: '42501',
      message: expect.stringMatching(/permission denied|must be (the )?owner/),
    });
    const after = (
      await owner.query('SELECT count(*)::int AS n, min(seq)::int AS min FROM audit_log WHERE seq <= $1', [before.max])
    ).rows[0];
    expect(after).toEqual({ n: before.n, min: 1 });
    const triggers = await owner.query(
      `SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal ORDER BY tgname`,
    );
    expect(triggers.rows).toEqual([
      { tgname: 'audit_log_no_truncate', tgenabled: 'A' },
      { tgname: 'audit_log_no_update_delete', tgenabled: 'A' },
    ]);
  });

  it('lets the application role read and append, which is all the API needs', async () => {
    expect((await app.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n).toBeGreaterThan(0);
    const before = Number((await owner.query('SELECT max(seq) AS s FROM audit_log')).rows[0].s);
    await createUser(api.http, admin, { roles: ['editor'] });
    expect(Number((await owner.query('SELECT max(seq) AS s FROM audit_log')).rows[0].s)).toBeGreaterThan(before);
  });

  it.each([
    ['UPDATE', `UPDATE audit_log SET action = 'tampered' WHERE seq = 1`],
    ['DELETE', 'DELETE FROM audit_log WHERE seq = 1'],
    ['TRUNCATE', 'TRUNCATE audit_log'],
  ])(
    'refuses a superuser %s under session_replication_role = replica (the triggers are ENABLE ALWAYS)',
    async (op, statement) => {
      expect((await owner.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).rows[0].rolsuper).toBe(
        true,
      );
      await owner.query('BEGIN');
      try {
        await owner.query('SET LOCAL session_replication_role = replica');
        expect((await owner.query('SHOW session_replication_role')).rows[0].session_replication_role).toBe('replica');
        await expect(owner.query(statement)).rejects.toThrow(
          new RegExp(`audit_log is append-only: ${op} is not allowed`),
        );
      } finally {
        await owner.query('ROLLBACK');
      }
      expect((await owner.query('SELECT count(*)::int AS n FROM audit_log WHERE seq = 1')).rows[0].n).toBe(1);
    },
  );

  it('keeps revisions and published versions immutable for a superuser under session_replication_role = replica too', async () => {
    const editor = await createUser(api.http, admin, { roles: ['editor'] });
    const article = (
      await request(api.http)
        .post('/articles')
        .set(auth(await editor.token()))
        .send(sampleContent())
        .expect(201)
    ).body as { id: string };
    await owner.query('BEGIN');
    try {
      await owner.query('SET LOCAL session_replication_role = replica');
      // A published version of the article's revision 1, written here so that there is a row to touch.
      await owner.query(
        `INSERT INTO published_versions (article_id, version, revision, document, content_hash, etag, published_at)
         SELECT article_id, 1, number, '{}', content_hash, 'e', now() FROM revisions WHERE article_id = $1 AND number = 1`,
        [article.id],
      );
      await owner.query('SAVEPOINT before');
      await expect(
        owner.query(`UPDATE revisions SET body = 'tampered' WHERE article_id = $1`, [article.id]),
      ).rejects.toThrow(/revisions are immutable: UPDATE/);
      await owner.query('ROLLBACK TO SAVEPOINT before');
      await expect(owner.query(`DELETE FROM published_versions WHERE article_id = $1`, [article.id])).rejects.toThrow(
        /published versions are immutable: DELETE/,
      );
    } finally {
      await owner.query('ROLLBACK');
    }
  });

  it('answers GET /audit/head with the newest entry and the number of entries', async () => {
    const res = await request(api.http).get('/audit/head').set(auth(admin)).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['at', 'entries', 'hash', 'seq']);
    const { rows } = await owner.query('SELECT hash, at FROM audit_log WHERE seq = $1', [res.body.seq]);
    expect(res.body).toEqual({
      seq: expect.any(Number),
      hash: rows[0].hash,
      at: rows[0].at.toISOString(),
      entries: res.body.seq,
    });
    for (const path of ['/audit/head', '/audit/digests/keys']) {
      const editor = await createUser(api.http, admin, { roles: ['editor'] });
      await request(api.http)
        .get(path)
        .set(auth(await editor.token()))
        .expect(403);
      await request(api.http).get(path).expect(401);
    }
  });

  it('neutralises formula cells in the CSV export and leaves the JSON Lines as stored', async () => {
    const name = '=HYPERLINK("http://x")';
    const users = [];
    for (const lead of ['=', '+', '-']) {
      const user = await createUser(api.http, admin, {
        roles: ['editor'],
        name,
        email: `${lead}${uniqueEmail('formula')}`,
      });
      await login(api.http, user.email, user.password);
      users.push(user);
    }
    const { rows } = await owner.query(
      `SELECT seq, action, actor_email, data FROM audit_log WHERE entity_id = ANY($1) ORDER BY seq`,
      [users.map((u) => u.id)],
    );
    const logins = rows.filter((r) => r.action === 'auth.login');
    expect(logins.map((r) => r.actor_email)).toEqual(users.map((u) => u.email));
    const created = rows.filter((r) => r.action === 'user.created');
    expect(created.map((r) => r.data.name)).toEqual([name, name, name]);

    const csv = parseCsv((await download(api.http, admin, 'csv')).body as string);
    const header = csv[0];
    const bySeq = new Map(csv.slice(1).map((r) => [Number(r[0]), r]));
    const col = (r: string[], c: string) => r[header.indexOf(c)];
    for (const [i, entry] of logins.entries()) {
      const cell = col(bySeq.get(Number(entry.seq)) ?? [], 'actorEmail');
      expect(cell).toBe(`'${users[i].email}`);
      expect(cell.startsWith("'")).toBe(true);
    }
    for (const entry of created) {
      // JSON text starts with "{": nothing to neutralise, and the name inside stays exact.
      const data = col(bySeq.get(Number(entry.seq)) ?? [], 'data');
      expect(JSON.parse(data)).toEqual(entry.data);
    }
    // No cell anywhere starts with a formula character.
    for (const row of csv.slice(1)) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

    const jsonl = ((await download(api.http, admin, 'jsonl')).body as string)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEntry);
    const loginsAsStored = jsonl.filter((e) => logins.some((l) => Number(l.seq) === e.seq));
    expect(loginsAsStored.map((e) => e.actor?.email)).toEqual(users.map((u) => u.email));
  });
});

/** Captures what the worker writes to the application log (in production, pino through nestjs-pino). */
class CapturedLog implements LoggerService {
  readonly lines: { message: unknown; params: unknown[] }[] = [];
  log(message: unknown, ...params: unknown[]) {
    this.lines.push({ message, params });
  }
  error() {}
  warn() {}
  debug() {}
  verbose() {}
  fatal() {}
  /** The digests logged as "audit digest", oldest first. */
  digests(): Record<string, unknown>[] {
    return this.lines
      .filter((l) => l.params[0] === 'audit digest')
      .map((l) => (l.message as { auditDigest: Record<string, unknown> }).auditDigest);
  }
}

describe('audit digests (e2e, isolated database)', () => {
  let env: Record<string, string>;
  let api: TestApi;
  let owner: Client;
  let admin: string;
  const captured = new CapturedLog();
  let logged: {
    seq: number;
    headSeq: number;
    headHash: string;
    previousDigestSeq: number | null;
    keyId: string;
    algorithm: string;
    signature: string;
  }[] = [];

  async function startWorker(): Promise<INestApplicationContext> {
    return NestFactory.createApplicationContext(WorkerModule.forRoot(loadConfig({ ...process.env, ...env })), {
      logger: captured,
      abortOnError: false,
    });
  }

  /** The daily job, run now the way a producer would: through the outbox, relayed to the audit queue. */
  async function runDigestJob(): Promise<void> {
    const worker = await startWorker();
    const config = loadConfig({ ...process.env, ...env });
    const queue = new Queue('audit', {
      connection: { ...redisOptions(config.redisUrl, 'worker') },
      prefix: config.queuePrefix,
    });
    try {
      const id = await worker
        .get(TransactionRunner)
        .run((tx) => worker.get(OutboxService).emit(tx, 'audit.digest', {}));
      await waitFor(
        async () => {
          const job = await queue.getJob(outboxJobId(id));
          if (job && (await job.isFailed())) throw new Error(`the digest job failed: ${job.failedReason}`);
          return job && (await job.isCompleted()) ? job : null;
        },
        15_000,
        'the audit digest job',
      );
    } finally {
      await queue.close();
      await worker.close();
    }
    logged = captured.digests() as typeof logged;
  }

  const verify = async (digest?: (typeof logged)[number]) => {
    const query = digest
      ? {
          headSeq: digest.headSeq,
          headHash: digest.headHash,
          keyId: digest.keyId,
          signature: digest.signature,
          ...(digest.previousDigestSeq === null ? {} : { previousDigestSeq: digest.previousDigestSeq }),
        }
      : {};
    return (await request(api.http).get('/audit/verify').query(query).set(auth(admin)).expect(200)).body;
  };

  /** What a superuser can still do: drop the ALWAYS trigger's effect for one transaction and delete. */
  async function deleteNewestAsSuperuser(fromSeq: number): Promise<number> {
    await owner.query('BEGIN');
    try {
      await owner.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete');
      const res = await owner.query('DELETE FROM audit_log WHERE seq >= $1', [fromSeq]);
      await owner.query('ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update_delete');
      await owner.query('COMMIT');
      return res.rowCount ?? 0;
    } catch (error) {
      await owner.query('ROLLBACK');
      throw error;
    }
  }

  beforeAll(async () => {
    env = await isolatedEnvironment('digest');
    api = await startApi(env);
    owner = await connect(env.DATABASE_URL);
    admin = await login(api.http, ADMIN.email, ADMIN.password);
    for (let i = 0; i < 3; i++) await createUser(api.http, admin, { roles: ['editor'] });
  }, 60_000);
  afterAll(async () => {
    await owner?.end();
    await api?.close();
  });

  it('schedules the digest daily on the audit queue', async () => {
    const worker = await startWorker();
    const config = loadConfig({ ...process.env, ...env });
    const queue = new Queue('audit', {
      connection: { ...redisOptions(config.redisUrl, 'worker') },
      prefix: config.queuePrefix,
    });
    try {
      const scheduler = await waitFor(
        () => queue.getJobScheduler('audit-digest'),
        10_000,
        'the audit digest scheduler',
      );
      expect(scheduler).toMatchObject({ name: 'audit.digest', pattern: '0 0 * * *', tz: 'UTC' });
    } finally {
      await queue.close();
      await worker.close();
    }
  });

  it('appends a signed digest of the head, logs it as "audit digest", and publishes the key that checks it', async () => {
    const headBefore = (await request(api.http).get('/audit/head').set(auth(admin)).expect(200)).body;
    await runDigestJob();
    expect(logged).toHaveLength(1);
    const [digest] = logged;
    expect(digest).toEqual({
      seq: headBefore.seq + 1,
      at: expect.any(String),
      headSeq: headBefore.seq,
      headHash: headBefore.hash,
      previousDigestSeq: null,
      keyId: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      algorithm: 'Ed25519',
      signature: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/),
    });
    const { rows } = await owner.query('SELECT action, actor_id, data FROM audit_log WHERE seq = $1', [digest.seq]);
    expect(rows[0]).toEqual({
      action: 'audit.digest',
      actor_id: null,
      data: {
        headSeq: digest.headSeq,
        headHash: digest.headHash,
        previousDigestSeq: null,
        keyId: digest.keyId,
        algorithm: 'Ed25519',
        signature: digest.signature,
      },
    });

    const keys = (await request(api.http).get('/audit/digests/keys').set(auth(admin)).expect(200)).body.keys;
    expect(keys).toEqual([
      {
        keyId: digest.keyId,
        algorithm: 'Ed25519',
        publicKey: expect.stringContaining('-----BEGIN PUBLIC KEY-----'),
        jwk: { kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: digest.keyId, alg: 'EdDSA', use: 'sig' },
        generated: true,
        createdAt: expect.any(String),
      },
    ]);
    // Checked as an outside auditor would, with node:crypto and the documented message, not our code.
    const message = JSON.stringify({
      algorithm: 'Ed25519',
      headHash: digest.headHash,
      headSeq: digest.headSeq,
      keyId: digest.keyId,
      previousDigestSeq: null,
    });
    expect(
      verifySignature(
        null,
        Buffer.from(message),
        createPublicKey(keys[0].publicKey),
        Buffer.from(digest.signature, 'base64url'),
      ),
    ).toBe(true);
    expect(
      verifySignature(
        null,
        Buffer.from(message.replace(`"headSeq":${digest.headSeq}`, `"headSeq":${digest.headSeq - 1}`)),
        createPublicKey(keys[0].publicKey),
        Buffer.from(digest.signature, 'base64url'),
      ),
    ).toBe(false);

    expect(await verify()).toEqual({ valid: true, entries: digest.seq, head: expect.any(String), digests: 1 });
    expect(await verify(digest)).toEqual({ valid: true, entries: digest.seq, head: expect.any(String), digests: 1 });
  });

  it('keeps the generated key across restarts, links each digest to the previous one, and does not digest a digest', async () => {
    await runDigestJob();
    // Nothing new since the first digest: the head already is one, so it stands (and is logged again).
    expect(logged).toHaveLength(2);
    expect(logged[1]).toEqual(logged[0]);
    await createUser(api.http, admin, { roles: ['reviewer'] });
    await runDigestJob();
    expect(logged).toHaveLength(3);
    // The one user.created entry since the first digest, then this digest right after it.
    expect(logged[2]).toMatchObject({
      seq: logged[0].seq + 2,
      headSeq: logged[0].seq + 1,
      previousDigestSeq: logged[0].seq,
      keyId: logged[0].keyId,
    });
    expect((await owner.query('SELECT count(*)::int AS n FROM audit_digest_keys')).rows[0].n).toBe(1);
    expect(await verify()).toMatchObject({ valid: true, digests: 2 });
  });

  it('detects the newest entries deleted by a superuser, against a digest from the application log', async () => {
    const second = logged[2];
    for (let i = 0; i < 2; i++) await createUser(api.http, admin, { roles: ['editor'] });
    const whole = await verify();
    expect(whole).toMatchObject({ valid: true, digests: 2 });
    expect(await verify(second)).toEqual(whole);

    // Delete from the entry the second digest vouches for to the end, the second digest with it. (What
    // was written after the newest digest has nothing to vouch for it yet: hence a digest every day.)
    const cut = second.headSeq;
    expect(cut).toBe(logged[0].seq + 1);
    expect(await deleteNewestAsSuperuser(cut)).toBe(whole.entries - cut + 1);
    expect(Number((await owner.query('SELECT max(seq) AS s FROM audit_log')).rows[0].s)).toBe(cut - 1);

    // The shorter chain is whole on its own, digests and all: only a copy kept elsewhere shows the cut.
    expect(await verify()).toEqual({ valid: true, entries: cut - 1, head: expect.any(String), digests: 1 });
    expect(await verify(second)).toEqual({ valid: false, brokenAt: cut, entries: cut - 1, reason: 'truncated' });
    // The first digest is older than the cut and still holds.
    expect(await verify(logged[0])).toMatchObject({ valid: true });
    expect((await request(api.http).get('/audit/head').set(auth(admin)).expect(200)).body).toMatchObject({
      seq: cut - 1,
      entries: cut - 1,
    });

    // Writing on until the chain is as long again does not hide it: that seq now has another hash.
    while (Number((await owner.query('SELECT max(seq) AS s FROM audit_log')).rows[0].s) < second.headSeq) {
      await createUser(api.http, admin, { roles: ['editor'] });
    }
    expect(await verify()).toMatchObject({ valid: true });
    expect(await verify(second)).toEqual({
      valid: false,
      brokenAt: second.headSeq,
      entries: second.headSeq - 1,
      reason: 'anchor_mismatch',
    });
  });

  it('refuses a digest whose signature does not verify, or that is incomplete, with 400', async () => {
    const [first] = logged;
    const forged = { ...first, headSeq: first.headSeq - 1 };
    const res = await request(api.http)
      .get('/audit/verify')
      .query({ headSeq: forged.headSeq, headHash: forged.headHash, keyId: forged.keyId, signature: forged.signature })
      .set(auth(admin))
      .expect(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      code: 'validation_failed',
      details: { fields: { signature: ['does not verify'] } },
    });
    const unknown = await request(api.http)
      .get('/audit/verify')
      .query({ headSeq: 1, headHash: first.headHash, keyId: 'x'.repeat(43), signature: first.signature })
      .set(auth(admin))
      .expect(400);
    expect(unknown.body.details.fields).toHaveProperty('keyId');
    const partial = await request(api.http)
      .get('/audit/verify')
      .query({ headSeq: first.headSeq })
      .set(auth(admin))
      .expect(400);
    expect(Object.keys(partial.body.details.fields).sort()).toEqual(['headHash', 'keyId', 'signature']);
    await request(api.http)
      .get('/audit/verify')
      .query({ headSeq: 'x', headHash: 'y', keyId: '!', signature: '!' })
      .set(auth(admin))
      .expect(400);
  });

  it('signs with AUDIT_DIGEST_KEY when it is set, and keeps every earlier digest checkable', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const digests = api.app.get(AuditDigestRepository);
    // What the job does with AUDIT_DIGEST_KEY set (the processor passes config.auditDigest.signingKeyPem).
    const key = await digests.signingKey(
      loadConfig({ ...process.env, ...env, AUDIT_DIGEST_KEY: pem.replace(/\n/g, '\\n') }).auditDigest.signingKeyPem,
    );
    const outcome = await digests.append(key);
    expect(outcome.appended).toBe(true);
    const keys = (await request(api.http).get('/audit/digests/keys').set(auth(admin)).expect(200)).body.keys;
    expect(keys.map((k: { keyId: string; generated: boolean }) => [k.keyId, k.generated])).toEqual([
      [logged[0].keyId, true],
      [outcome.digest.keyId, false],
    ]);
    expect(
      (await owner.query('SELECT private_key FROM audit_digest_keys WHERE key_id = $1', [outcome.digest.keyId])).rows[0]
        .private_key,
    ).toBeNull();
    expect(await verify()).toMatchObject({ valid: true, digests: 2 });
    // A key that is not Ed25519 PKCS#8 stops the start, naming the variable.
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    for (const bad of ['not a key', rsa])
      expect(() => loadConfig({ ...process.env, AUDIT_DIGEST_KEY: bad })).toThrow(
        /AUDIT_DIGEST_KEY must be an Ed25519 private key/,
      );
  });

  it('reports a digest entry forged by the application role at its seq, though its hash chain is intact', async () => {
    const app = await connect(appRoleUrl(env.DATABASE_URL, APP_ROLE));
    try {
      const [head] = (await owner.query('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1')).rows;
      const previous = logged[0];
      const forged = chainEntry(head.hash, {
        seq: Number(head.seq) + 1,
        at: new Date().toISOString(),
        actor: null,
        action: 'audit.digest',
        entityType: 'audit_log',
        entityId: null,
        articleId: null,
        data: {
          headSeq: Number(head.seq),
          headHash: head.hash,
          previousDigestSeq: null,
          keyId: previous.keyId,
          algorithm: 'Ed25519',
          signature: previous.signature,
        },
      });
      await app.query(
        `INSERT INTO audit_log (seq, at, actor_id, actor_email, action, entity_type, entity_id, article_id, data, prev_hash, hash)
         VALUES ($1, $2, NULL, NULL, $3, $4, NULL, NULL, $5, $6, $7)`,
        [
          forged.seq,
          forged.at,
          forged.action,
          forged.entityType,
          JSON.stringify(forged.data),
          forged.prevHash,
          forged.hash,
        ],
      );
      expect(await verify()).toEqual({
        valid: false,
        brokenAt: forged.seq,
        entries: forged.seq - 1,
        reason: 'digest_signature',
      });
    } finally {
      await app.end();
    }
  });
});

/**
 * The other ways the application's role comes about. Roles are shared by the whole server: every
 * role made here is named after the run's own (APP_DATABASE_ROLE + suffix), and the global teardown
 * drops them after the run's databases.
 */
describe("the application's database role, as operators configure it (e2e)", () => {
  let owner: Client;
  const made: { databases: string[]; roles: string[] } = { databases: [], roles: [] };
  const suffix = randomBytes(2).toString('hex');
  // An owner that may create databases' tables but not roles, and a database of its own, migrated.
  const limited = `${APP_ROLE}_limited_${suffix}`;
  let limitedUrl: string;

  /** A database of the run (so the teardown drops it too), owned by `role`. */
  async function databaseOwnedBy(role: string, label: string): Promise<string> {
    const url = new URL(process.env.DATABASE_URL ?? '');
    const name = `${url.pathname.slice(1)}_${label}_${suffix}`;
    await owner.query(`CREATE DATABASE ${owner.escapeIdentifier(name)} OWNER ${owner.escapeIdentifier(role)}`);
    made.databases.push(name);
    url.pathname = `/${name}`;
    url.username = role;
    return url.toString();
  }

  async function role(name: string, attributes = 'LOGIN'): Promise<string> {
    await owner.query(`CREATE ROLE ${owner.escapeIdentifier(name)} ${attributes}`);
    made.roles.push(name);
    return name;
  }

  beforeAll(async () => {
    owner = await sql();
    await role(limited);
    limitedUrl = await databaseOwnedBy(limited, 'limited');
    await prepareDatabase(limitedUrl);
  });
  afterAll(async () => {
    // The roles that own a database go with it; the others (granted in the run's databases) go in the teardown.
    for (const name of made.databases)
      await owner.query(`DROP DATABASE IF EXISTS ${owner.escapeIdentifier(name)} WITH (FORCE)`);
    for (const name of made.roles) await owner.query(`DROP ROLE IF EXISTS ${owner.escapeIdentifier(name)}`);
    await owner?.end();
  });

  it('uses APP_DATABASE_URL when it is set: creates that role with its password, grants it, and connects as it', async () => {
    const env = await isolatedEnvironment('named');
    const named = `${APP_ROLE}_named_${suffix}`;
    const appUrl = new URL(env.DATABASE_URL);
    appUrl.username = named;
    appUrl.password = 'a-password-of-its-own';
    const connection = await provisionAppRole({
      ownerUrl: env.DATABASE_URL,
      appUrl: appUrl.toString(),
      appRole: 'ignored_here',
    });
    expect(connection).toEqual({ url: appUrl.toString(), role: named, separated: true });
    expect(
      (
        await owner.query('SELECT rolsuper, rolcreaterole, rolcreatedb, rolinherit FROM pg_roles WHERE rolname = $1', [
          named,
        ])
      ).rows[0],
    ).toEqual({
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolinherit: false,
    });
    const api = await startApi({ ...env, APP_DATABASE_URL: appUrl.toString() });
    try {
      expect((await api.app.get(DataSource).query('SELECT current_user AS role'))[0].role).toBe(named);
      const token = await login(api.http, ADMIN.email, ADMIN.password);
      await createUser(api.http, token, { roles: ['editor'] });
    } finally {
      await api.close();
    }
  });

  it('stops the start when APP_DATABASE_URL names a role that is missing and cannot be created', async () => {
    const appUrl = new URL(limitedUrl);
    appUrl.username = `${APP_ROLE}_missing_${suffix}`;
    await expect(provisionAppRole({ ownerUrl: limitedUrl, appUrl: appUrl.toString(), appRole: 'x' })).rejects.toThrow(
      /APP_DATABASE_URL: the role .* does not exist and .* may not create roles/,
    );
  });

  it('runs as DATABASE_URL, protected by the triggers only, when that role may not create roles', async () => {
    const ownerUrl = new URL(limitedUrl);
    const appRole = `${APP_ROLE}_never_${suffix}`;
    const connection = await provisionAppRole({ ownerUrl: ownerUrl.toString(), appUrl: null, appRole });
    expect(connection).toEqual({
      url: ownerUrl.toString(),
      role: limited,
      separated: false,
      reason: expect.stringMatching(
        new RegExp(
          `owns audit_log.*the role ${appRole} does not exist and ${limited} \\(DATABASE_URL\\) may not create roles`,
        ),
      ),
    });
    expect((await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [appRole])).rowCount).toBe(0);
    // The API still starts and works, as before, connected as the owner.
    const api = await startApi({ DATABASE_URL: ownerUrl.toString(), APP_DATABASE_ROLE: appRole });
    try {
      expect((await api.app.get(DataSource).query('SELECT current_user AS role'))[0].role).toBe(limited);
      const token = await login(api.http, ADMIN.email, ADMIN.password);
      await createUser(api.http, token, { roles: ['editor'] });
      // The triggers still refuse the owner, replica role or not.
      const db = await connect(ownerUrl.toString());
      try {
        await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      } finally {
        await db.end();
      }
    } finally {
      await api.close();
    }
  });
});
