import { Client } from 'pg';
import request from 'supertest';
import { AuditRepository, TransactionRunner } from '@imprimatur/database';
import { ADMIN, createUser, freshAddress, login, startApi, TestApi, uniqueEmail } from '../support/app';
import { auditFor, sql, verifyStoredChain } from '../support/db';

describe('audit log (e2e)', () => {
  let api: TestApi;
  let db: Client;
  let adminToken: string;
  let adminId: string;

  beforeAll(async () => {
    api = await startApi();
    db = await sql();
    const res = await request(api.http)
      .post('/auth/login')
      .set('x-forwarded-for', freshAddress())
      .send(ADMIN)
      .expect(200);
    adminToken = res.body.accessToken;
    adminId = res.body.user.id;
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  it('records user creation, update, login and failed login with actor, entity and a compact diff', async () => {
    const user = await createUser(api.http, adminToken, { roles: ['reviewer'], name: 'Dr Audit' });
    await request(api.http)
      .patch(`/users/${user.id}`)
      .auth(adminToken, { type: 'bearer' })
      .send({ credentials: 'MD', name: 'Dr Audit' })
      .expect(200);
    await request(api.http)
      .post('/auth/login')
      .set('x-forwarded-for', '198.18.7.7')
      .send({ email: user.email, password: 'wrong-password!' })
      .expect(401);
    await login(api.http, user.email, user.password);

    const entries = await auditFor(db, user.id);
    expect(entries.map((e) => e.action)).toEqual(['user.created', 'user.updated', 'auth.login_failed', 'auth.login']);
    const [created, updated, failed, loggedIn] = entries;
    expect(created).toMatchObject({
      actor: { id: adminId, email: ADMIN.email },
      entityType: 'user',
      data: { email: user.email, roles: ['reviewer'] },
    });
    // only what changed: the unchanged name is not in the diff
    expect(updated.data).toEqual({ changes: { credentials: { from: null, to: 'MD' } } });
    expect(failed).toMatchObject({
      actor: null,
      data: { email: user.email, reason: 'wrong_password', address: '198.18.7.7' },
    });
    expect(loggedIn).toMatchObject({ actor: { id: user.id, email: user.email } });
    for (const entry of entries) expect(JSON.stringify(entry)).not.toContain(user.password);
    expect(entries.every((e, i) => i === 0 || e.seq > entries[i - 1].seq)).toBe(true);
  });

  it('records a failed login for an unknown email without an entity', async () => {
    const email = uniqueEmail('ghost');
    await request(api.http)
      .post('/auth/login')
      .set('x-forwarded-for', freshAddress())
      .send({ email, password: 'whatever-it-is' })
      .expect(401);
    const { rows } = await db.query(
      `SELECT entity_id, data FROM audit_log WHERE action = 'auth.login_failed' AND data->>'email' = $1`,
      [email],
    );
    expect(rows).toEqual([{ entity_id: null, data: expect.objectContaining({ email, reason: 'unknown_email' }) }]);
  });

  it('writes no audit entry and no user when creation fails', async () => {
    const user = await createUser(api.http, adminToken, { roles: ['editor'] });
    const before = await db.query('SELECT count(*)::int AS n FROM audit_log');
    await request(api.http)
      .post('/users')
      .auth(adminToken, { type: 'bearer' })
      .send({ email: user.email, name: 'Dup', password: 'a-long-enough-password', roles: ['editor'] })
      .expect(409);
    const after = await db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.created' AND data->>'name' = 'Dup'`,
    );
    expect(after.rows[0].n).toBe(0);
    expect((await db.query('SELECT count(*)::int AS n FROM users WHERE email = $1', [user.email])).rows[0].n).toBe(1);
    expect(before.rows[0].n).toBeGreaterThan(0);
  });

  it('keeps one unforked chain under concurrent writers', async () => {
    const creations = Array.from({ length: 20 }, (_, i) =>
      request(api.http)
        .post('/users')
        .auth(adminToken, { type: 'bearer' })
        .send({
          email: uniqueEmail(`c${i}`),
          name: `Concurrent ${i}`,
          password: 'a-long-enough-password',
          roles: ['editor'],
        }),
    );
    const results = await Promise.all(creations);
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const verdict = await verifyStoredChain(db);
    expect(verdict.valid).toBe(true);
    const { rows } = await db.query('SELECT count(*)::int AS n, max(seq)::int AS max FROM audit_log');
    expect(verdict.entries).toBe(rows[0].n);
    expect(rows[0].max).toBe(rows[0].n);
  });

  it("writes a transaction's entries at its end, in call order, hashed by the database exactly as the verifier hashes them", async () => {
    const audit = api.app.get(AuditRepository);
    const db2 = api.app.get(TransactionRunner);
    const awkward = {
      text: 'Léiomyosarcome — "quoted", back\\slash, tab\t, 𝄞 and 🩺, \u2028 and \u007f',
      numbers: [0, -1.5, 1e21, 123456789012, 0.1],
      nested: { z: [true, null, { b: 'x', a: 'y' }], a: {} },
      '\u00e9-key': 'é',
    };
    await db2.run(async (tx) => {
      await audit.append(
        { actor: null, action: 'test.first', entityType: 'test', entityId: 'awkward', data: awkward },
        tx,
      );
      // Nothing is written before the transaction's end, so the appender holds no lock yet.
      const early = await tx.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = 'awkward'`);
      expect(early[0].n).toBe(0);
      await audit.append(
        { actor: { id: adminId, email: ADMIN.email }, action: 'test.second', entityType: 'test', entityId: 'awkward' },
        tx,
      );
    });
    const { rows } = await db.query(`SELECT seq, action FROM audit_log WHERE entity_id = 'awkward' ORDER BY seq`);
    expect(rows.map((r) => r.action)).toEqual(['test.first', 'test.second']);
    expect(Number(rows[1].seq)).toBe(Number(rows[0].seq) + 1);

    const [stored] = await auditFor(db, 'awkward');
    expect(stored.data).toEqual(awkward);
    const immediate = await db2.run((tx) =>
      audit.appendNow(
        { actor: null, action: 'test.now', entityType: 'test', entityId: 'awkward-now', data: awkward },
        tx,
      ),
    );
    const [readBack] = await auditFor(db, 'awkward-now');
    expect(readBack).toEqual(immediate);
    const verdict = await verifyStoredChain(db);
    expect(verdict.valid).toBe(true);
  });

  it('keeps the append lock only for the end of a transaction: a long transaction that appended does not hold up others', async () => {
    const audit = api.app.get(AuditRepository);
    const runner = api.app.get(TransactionRunner);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = runner.run(async (tx) => {
      await audit.append({ actor: null, action: 'test.slow', entityType: 'test', entityId: 'lock-slow' }, tx);
      await held;
    });
    // While the slow transaction is still working, another appender commits.
    await runner.run((tx) =>
      audit.append({ actor: null, action: 'test.fast', entityType: 'test', entityId: 'lock-fast' }, tx),
    );
    release();
    await slow;
    const { rows } = await db.query(
      `SELECT entity_id FROM audit_log WHERE entity_id IN ('lock-slow', 'lock-fast') ORDER BY seq`,
    );
    expect(rows.map((r) => r.entity_id)).toEqual(['lock-fast', 'lock-slow']);
    expect((await verifyStoredChain(db)).valid).toBe(true);
  });

  it.each([
    ['UPDATE', `UPDATE audit_log SET action = 'tampered' WHERE seq = 1`],
    ['DELETE', 'DELETE FROM audit_log WHERE seq = 1'],
    ['TRUNCATE', 'TRUNCATE audit_log'],
  ])('refuses a raw-SQL %s of audit_log, even from a superuser', async (op, statement) => {
    await expect(db.query(statement)).rejects.toThrow(new RegExp(`audit_log is append-only: ${op} is not allowed`));
    const { rows } = await db.query('SELECT count(*)::int AS n FROM audit_log WHERE seq = 1');
    expect(rows[0].n).toBe(1);
  });

  it('refuses a second entry claiming the same predecessor (no fork, even without the lock)', async () => {
    const { rows } = await db.query('SELECT seq, hash, prev_hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    await expect(
      db.query(
        `INSERT INTO audit_log (seq, at, action, entity_type, data, prev_hash, hash) VALUES ($1, now(), 'forged', 'x', '{}', $2, $3)`,
        [Number(rows[0].seq) + 1000, rows[0].prev_hash, 'f'.repeat(64)],
      ),
    ).rejects.toThrow(/duplicate key/);
  });
});
