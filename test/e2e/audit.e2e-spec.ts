import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { AuditQueryRepository, AuditRepository, TransactionRunner } from '@imprimatur/database';
import { AuditEntry, AuditEntryContent, encodeCursor, entryHash } from '@imprimatur/domain';
import { ADMIN, createUser, freshAddress, login, startApi, TestApi, uniqueEmail } from '../support/app';
import { auditFor, sql, verifyStoredChain } from '../support/db';
import { isolatedEnvironment } from '../support/isolated';

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

describe('audit pages since an instant, and the chain read in bulk (e2e, isolated database)', () => {
  let api: TestApi;
  let owner: Client;
  let admin: string;
  const actor = { id: randomUUID(), email: 'clock-skew@imprimatur.test' };
  const articleId = randomUUID();
  // Later than anything the API writes during the test, rising 10 ms per entry but going back now and
  // then (as a clock set back would), by more than a block of the timeline, and once jumping far ahead.
  const base = Date.now() + 3_600_000;
  const timeOf = (i: number) => base + i * 10 + (i % 97 === 0 ? -3_000 : 0) + (i === 700 ? 20_000 : 0);

  const auth = () => ({ authorization: `Bearer ${admin}` });

  /** Appends entries with the given times (the real appender takes the database's clock), keeping the chain whole. */
  async function appendAt(times: number[]) {
    const runner = api.app.get(TransactionRunner);
    const audit = api.app.get(AuditRepository);
    await runner.run(async (tx) => {
      const head = await audit.lockedHead(tx);
      let prev = head?.hash ?? '0'.repeat(64);
      let seq = head?.seq ?? 0;
      const rows: unknown[][] = [];
      for (const [i, t] of times.entries()) {
        seq += 1;
        const content: AuditEntryContent = {
          seq,
          at: new Date(t).toISOString(),
          actor,
          action: i % 2 ? 'test.odd' : 'test.even',
          entityType: 'test',
          entityId: `skew-${seq}`,
          articleId: i % 3 ? null : articleId,
          data: { i },
        };
        const hash = entryHash(prev, content);
        const { actor: a } = content;
        rows.push([seq, content.at, a?.id ?? null, a?.email ?? null, content.action, content.entityType]);
        rows[rows.length - 1].push(content.entityId, content.articleId, JSON.stringify(content.data), prev, hash);
        prev = hash;
      }
      const insert = (batch: unknown[][]) => {
        const values = batch.map(
          (_, r) => `(${Array.from({ length: 11 }, (__, c) => `$${r * 11 + c + 1}`).join(', ')})`,
        );
        return tx.query(
          `INSERT INTO audit_log (seq, at, actor_id, actor_email, action, entity_type, entity_id, article_id, data, prev_hash, hash)
           VALUES ${values.join(', ')}`,
          batch.flat(),
        );
      };
      for (let i = 0; i < rows.length; i += 500) await insert(rows.slice(i, i + 500));
    });
  }

  /** Every entry as stored: seq and time. */
  async function stored(): Promise<{ seq: number; at: number }[]> {
    const { rows } = await owner.query<{ seq: string; at: Date }>('SELECT seq, at FROM audit_log ORDER BY seq');
    return rows.map((r) => ({ seq: Number(r.seq), at: r.at.getTime() }));
  }

  async function pages(query: Record<string, string | number>): Promise<{ items: AuditEntry[]; pages: number }> {
    const items: AuditEntry[] = [];
    let cursor: string | null = null;
    let count = 0;
    do {
      const res = await request(api.http)
        .get('/audit')
        .query({ ...query, ...(cursor ? { cursor } : {}) })
        .set(auth())
        .expect(200);
      items.push(...(res.body.items as AuditEntry[]));
      cursor = res.body.nextCursor as string | null;
      count += 1;
      expect(count).toBeLessThan(200);
    } while (cursor);
    return { items, pages: count };
  }

  beforeAll(async () => {
    const env = await isolatedEnvironment('audit_since');
    api = await startApi(env);
    owner = new Client({ connectionString: env.DATABASE_URL });
    await owner.connect();
    admin = await login(api.http, ADMIN.email, ADMIN.password);
    await appendAt(Array.from({ length: 1_600 }, (_, i) => timeOf(i)));
    // A clock set back by an hour and a half: everything from here on is a descent of the entries above.
    await createUser(api.http, admin, { roles: ['editor'] });
  }, 60_000);
  afterAll(async () => {
    await owner?.end();
    await api?.close();
  });

  /** Checks `since` pages against the stored log at instants around these entries' times. */
  async function expectExactSincePages(picks: number[]) {
    const log = await stored();
    const entries = new Map<number, AuditEntry>();
    for (const page of (await pages({ limit: 100 })).items) entries.set(page.seq, page);
    expect(entries.size).toBe(log.length);
    const atOf = (seq: number) => log.find((e) => e.seq === seq)?.at ?? NaN;
    const instants = [...new Set(picks.flatMap((seq) => [atOf(seq), atOf(seq) + 1]))];
    instants.push(base - 7_200_000, base + 10_000_000);
    for (const t of instants) {
      const since = new Date(t).toISOString();
      const matching = log.filter((e) => e.at >= t).map((e) => entries.get(e.seq) as AuditEntry);
      const seqs = (keep: (e: AuditEntry) => boolean) => matching.filter(keep).map((e) => e.seq);
      const until = base + 8_000;
      const checks: [Record<string, string | number>, number[], 'all' | 'first'][] = [
        [{ since, limit: 100 }, seqs(() => true), 'all'],
        [{ since, limit: 7, order: 'desc' }, seqs(() => true).reverse(), 'first'],
        [{ since, actorId: actor.id, limit: 5 }, seqs((e) => e.actor?.id === actor.id), 'first'],
        [{ since, articleId, limit: 5, order: 'desc' }, seqs((e) => e.articleId === articleId).reverse(), 'first'],
        [{ since, action: 'test.odd', limit: 5 }, seqs((e) => e.action === 'test.odd'), 'first'],
        [{ since, until: new Date(until).toISOString(), limit: 20 }, seqs((e) => Date.parse(e.at) < until), 'first'],
      ];
      for (const [query, expected, scope] of checks) {
        const got =
          scope === 'all'
            ? (await pages(query)).items.map((e) => e.seq)
            : (
                (await request(api.http).get('/audit').query(query).set(auth()).expect(200)).body.items as AuditEntry[]
              ).map((e) => e.seq);
        expect({ query, seqs: got }).toEqual({
          query,
          seqs: scope === 'all' ? expected : expected.slice(0, Number(query.limit)),
        });
      }
    }
    return log;
  }

  it('pages `since` an instant exactly as filtering every entry would, in both orders, alone and with other filters', async () => {
    const log = await stored();
    const first = log[0].seq;
    // Around the steps back, the jump ahead and the blocks' edges, and some in between.
    const picks = [0, 96, 97, 98, 511, 512, 700, 701, 776, 1024, 1599].map((i) => first + i);
    await expectExactSincePages(picks.filter((seq) => seq <= log[log.length - 1].seq));
  });

  it('finds entries appended after the timeline was read, earlier or later than those before them, at once', async () => {
    const before = await stored();
    await expectExactSincePages([before[before.length - 1].seq]);
    const last = before[before.length - 1];
    // Straight after a page was answered: the process's timeline has not seen these yet.
    await appendAt([last.at + 5, last.at - 10_000, last.at + 20, base + 100, last.at + 30]);
    const after = await stored();
    await expectExactSincePages(after.slice(-5).map((e) => e.seq));
  });

  it('continues a `since` page from a cursor on either side of the first entry at or after the instant', async () => {
    const log = await stored();
    const since = timeOf(800);
    const first = log.find((e) => e.at >= since);
    expect(first).toBeDefined();
    const sinceText = new Date(since).toISOString();
    for (const after of [1, (first?.seq ?? 2) - 1, first?.seq ?? 0, (first?.seq ?? 0) + 2]) {
      const cursor = encodeCursor([after]);
      const res = await request(api.http)
        .get('/audit')
        .query({ since: sinceText, cursor, limit: 100 })
        .set(auth())
        .expect(200);
      expect((res.body.items as AuditEntry[]).map((e) => e.seq)).toEqual(
        log
          .filter((e) => e.seq > after && e.at >= since)
          .slice(0, 100)
          .map((e) => e.seq),
      );
    }
  });

  it('answers an empty page for an instant after every entry', async () => {
    const res = await request(api.http).get('/audit').query({ since: '2999-01-01' }).set(auth()).expect(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });

  it('verifies entries read in bulk, with the database writing part of the canonical text, exactly as the entries hash', async () => {
    const awkward = {
      actor: { id: randomUUID(), email: 'q"uote\\back\tslash\u0001\u001f\u2028é🩺@imprimatur.test' },
      action: 'test.awkward',
      entityType: 'type "with" \\ and\n\u0007',
      entityId: '\u007f id "x" \r\n 𝄞',
    };
    const audit = api.app.get(AuditRepository);
    await api.app.get(TransactionRunner).run(async (tx) => {
      await audit.append({ ...awkward, data: { nested: { b: [1.5, -0, 1e21, null], a: 'é' }, '\u00e9': true } }, tx);
      await audit.append({ ...awkward, actor: { id: awkward.actor.id, email: '' }, entityId: null }, tx);
    });
    // An actor whose email was not kept is hashed with an empty one.
    const [{ seq }] = (
      await owner.query<{ seq: string }>(`SELECT seq FROM audit_log WHERE entity_type = $1 AND entity_id IS NULL`, [
        awkward.entityType,
      ])
    ).rows;
    expect(Number(seq)).toBeGreaterThan(0);
    const res = await request(api.http).get('/audit/verify').set(auth()).expect(200);
    const log = await stored();
    expect(res.body).toMatchObject({ valid: true, entries: log.length });
    expect(res.body).toEqual(await verifyStoredChain(owner));
  });

  it('verifies in bulk across statements of the scan, and stops at the first break', async () => {
    const repository = api.app.get(AuditQueryRepository);
    const db = api.app.get(TransactionRunner);
    const upTo = await repository.headSeq(db.autocommit);
    for (const chunk of [7, 500, 100_000]) {
      const seen: number[] = [];
      await repository.scan(
        upTo,
        (s) => {
          seen.push(s);
          return true;
        },
        db.autocommit,
        chunk,
      );
      expect(seen).toEqual(Array.from({ length: upTo }, (_, i) => i + 1));
      const stopped: number[] = [];
      await repository.scan(
        upTo,
        (s) => {
          stopped.push(s);
          return s < 5;
        },
        db.autocommit,
        chunk,
      );
      expect(stopped).toEqual([1, 2, 3, 4, 5]);
    }
    // A throw inside the visitor reaches the caller, and the connection is fine afterwards.
    await expect(
      repository.scan(
        upTo,
        () => {
          throw new Error('visitor failed');
        },
        db.autocommit,
        3,
      ),
    ).rejects.toThrow('visitor failed');
    expect((await request(api.http).get('/audit/verify').set(auth()).expect(200)).body.valid).toBe(true);
  });
});
