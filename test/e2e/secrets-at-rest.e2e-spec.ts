import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { PublicationKeysRepository, secretKeyId, TransactionRunner, WebhooksRepository } from '@imprimatur/database';
import { ADMIN, login, startApi, TestApi } from '../support/app';
import { auth } from '../support/articles';
import { isolatedEnvironment } from '../support/isolated';

const key = () => randomBytes(32).toString('base64');
const kidOf = (base64: string) => secretKeyId(Buffer.from(base64, 'base64'));

describe('secrets at rest: webhook secrets and generated signing keys sealed under SECRETS_KEY (e2e)', () => {
  // Its own database: starting with a key seals every secret stored in it.
  let env: Record<string, string>;
  let db: Client;
  const k1 = key();
  const k2 = key();

  beforeAll(async () => {
    env = await isolatedEnvironment('secrets');
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
  });
  afterAll(() => db.end());

  const stored = async () =>
    (await db.query<{ id: string; secret: string }>('SELECT id, secret FROM webhook_subscriptions ORDER BY created_at'))
      .rows;
  const storedKeys = async () =>
    (await db.query<{ private_key: string }>('SELECT private_key FROM publication_keys WHERE private_key IS NOT NULL'))
      .rows;

  async function withApi<T>(extra: Record<string, string>, work: (api: TestApi, admin: string) => Promise<T>) {
    const api = await startApi({ ...env, ...extra });
    try {
      return await work(api, await login(api.http, ADMIN.email, ADMIN.password));
    } finally {
      await api.close();
    }
  }

  /** What the worker reads to sign an attempt: the subscription's secret, opened. */
  async function secretForAttempt(api: TestApi, subscriptionId: string): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, message_id, body)
       VALUES ($1, $2, 'article.published', $3, '{}') RETURNING id`,
      [subscriptionId, Date.now() + Math.floor(Math.random() * 1000), `msg_${randomBytes(6).toString('hex')}`],
    );
    const delivery = await api.app
      .get(TransactionRunner)
      .run((tx) => api.app.get(WebhooksRepository).lockForAttempt(rows[0].id, tx));
    return delivery?.subscription.secret ?? '';
  }

  it('seals new secrets, seals old plain ones at start, rotates to a new key, and refuses a start without the key it needs', async () => {
    // Before encryption (development without SECRETS_KEY): stored as shown.
    const plain = await withApi({}, async (api, admin) => {
      const res = await request(api.http)
        .post('/webhooks')
        .set(auth(admin))
        .send({ url: 'https://hooks.example/one', events: ['article.published'] })
        .expect(201);
      return { id: res.body.id as string, secret: res.body.secret as string };
    });
    expect((await stored())[0].secret).toBe(plain.secret);

    // With SECRETS_KEY: the old secret is sealed at start, new ones as they are written, the generated key too.
    const sealed = await withApi({ SECRETS_KEY: k1 }, async (api, admin) => {
      expect((await stored())[0].secret.startsWith(`enc:v1:${kidOf(k1)}:`)).toBe(true);
      const res = await request(api.http)
        .post('/webhooks')
        .set(auth(admin))
        .send({ url: 'https://hooks.example/two', events: ['article.published'] })
        .expect(201);
      await request(api.http).post('/admin/publication-keys/rotate').set(auth(admin)).expect(200);
      expect(await secretForAttempt(api, plain.id)).toBe(plain.secret);
      expect(await secretForAttempt(api, res.body.id as string)).toBe(res.body.secret);
      const active = await api.app
        .get(TransactionRunner)
        .run((tx) => api.app.get(PublicationKeysRepository).activeGenerated(tx));
      expect(active?.privateKey).toContain('BEGIN PRIVATE KEY');
      return { id: res.body.id as string, secret: res.body.secret as string };
    });
    for (const row of await stored()) {
      expect(row.secret.startsWith(`enc:v1:${kidOf(k1)}:`)).toBe(true);
      expect(row.secret).not.toContain(plain.secret.slice(6, 20));
      expect(row.secret).not.toContain(sealed.secret.slice(6, 20));
    }
    const keys = await storedKeys();
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k.private_key.startsWith(`enc:v1:${kidOf(k1)}:`)).toBe(true);

    // Rotation: the new key seals, the previous one still opens, and the start seals everything again.
    await withApi({ SECRETS_KEY: k2, SECRETS_KEY_PREVIOUS: k1 }, async () => undefined);
    for (const row of await stored()) expect(row.secret.startsWith(`enc:v1:${kidOf(k2)}:`)).toBe(true);
    for (const k of await storedKeys()) expect(k.private_key.startsWith(`enc:v1:${kidOf(k2)}:`)).toBe(true);
    // ... after which the previous key can go.
    await withApi({ SECRETS_KEY: k2 }, async (api) => {
      expect(await secretForAttempt(api, sealed.id)).toBe(sealed.secret);
    });

    // A key that sealed nothing here, and not the one that did: the start stops and says which key it needs.
    await expect(startApi({ ...env, SECRETS_KEY: key() })).rejects.toThrow(kidOf(k2));
  });
});
