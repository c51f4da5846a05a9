import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import canonicalize from 'canonicalize';
import {
  calculateJwkThumbprint,
  compactVerify,
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  JSONWebKeySet,
} from 'jose';
import { Client } from 'pg';
import request from 'supertest';
import { renderContent } from '@imprimatur/domain/rendering/server';
import type { JobPayloads } from '@imprimatur/queue';
import { publishAsWorker, startApi, TestApi } from '../support/app';
import { auth, Cast, cast, sampleContent, signoff, underReview, setWorkerChecks } from '../support/articles';
import { isolatedEnvironment } from '../support/isolated';

type Doc = Record<string, unknown> & { attestation: string; bodyHtml: string; contentHash: string; slug: string };

/**
 * Contract §12, attested publication: what the board signed is what readers get, and anyone can check
 * it offline with the JWKS. Written here independently of the code under test (canonicalize and
 * SHA-256 directly), as a syndication partner would. No worker runs: publications are made from the
 * approval's outbox payload, as the worker would. A database of its own, so that rotations here
 * change no other test file's keys.
 */
describe('attested publication (e2e)', () => {
  let env: Record<string, string>;
  let api: TestApi;
  let db: Client;
  let c: Cast;

  beforeAll(async () => {
    env = { ...(await isolatedEnvironment('attestation')), PUBLIC_BASE_URL: 'https://medical.example' };
    api = await startApi(env);
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    c = await cast(api.http, 2);
    // Credentials as they are when the reviewer signs are what the signature carries.
    await db.query(`UPDATE users SET credentials = 'MD, PhD' WHERE id = $1`, [c.reviewers[0].id]);
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  /** What a verifier computes: SHA-256 of the JCS of the document without attestation and updateInReview. */
  const recomputed = (doc: Record<string, unknown>) => {
    const signed = Object.fromEntries(
      Object.entries(doc).filter(([key]) => key !== 'attestation' && key !== 'updateInReview'),
    );
    return createHash('sha256')
      .update(String(canonicalize(signed)), 'utf8')
      .digest('hex');
  };

  const jwks = async (http = api.http) => {
    const res = await request(http).get('/.well-known/jwks.json').expect(200);
    return { body: res.body as JSONWebKeySet, headers: res.headers };
  };

  async function verify(doc: Doc, keys: JSONWebKeySet) {
    const { payload, protectedHeader } = await compactVerify(doc.attestation, createLocalJWKSet(keys));
    return { payload: JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>, protectedHeader };
  }

  const passWorkerChecks = (articleId: string) => setWorkerChecks(articleId, 'passed', db);

  /** Both board members approve the current revision, then it is published from the approval's payload. */
  async function approveAndPublish(article: { id: string }, revision: number, publisher = api) {
    await passWorkerChecks(article.id);
    await signoff(c, article.id, 0, { decision: 'approve', revision }).expect(201);
    await signoff(c, article.id, 1, { decision: 'approve', revision }).expect(201);
    const { rows } = await db.query<{ payload: JobPayloads['article.approved'] }>(
      `SELECT payload FROM outbox WHERE name = 'article.approved' AND payload->>'articleId' = $1 ORDER BY id DESC LIMIT 1`,
      [article.id],
    );
    await expect(publishAsWorker(publisher, rows[0].payload)).resolves.toMatchObject({
      published: true,
    });
  }

  async function publishedArticle() {
    const article = await underReview(c);
    await approveAndPublish(article, 1);
    return article;
  }

  const live = async (slug: string) =>
    (await request(api.http).get(`/public/articles/${slug}`).expect(200)).body as Doc;

  it('serves the signing key in the JWKS before anything is published', async () => {
    const { body, headers } = await jwks();
    expect(headers['cache-control']).toBe('public, max-age=300');
    expect(body.keys).toHaveLength(1);
    const [key] = body.keys;
    expect(key).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      kid: expect.any(String),
      alg: 'EdDSA',
      use: 'sig',
    });
    expect(key.kid).toBe(await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: key.x }, 'sha256'));
    // No token needed, and no private member ever.
    expect(JSON.stringify(body)).not.toContain('"d"');
  });

  it("attests a publication: the JWS verifies with the JWKS, its documentHash is the served document's, tampering breaks it", async () => {
    const article = await publishedArticle();
    const doc = await live(article.slug);
    const { body: keys } = await jwks();
    const { payload, protectedHeader } = await verify(doc, keys);

    expect(protectedHeader).toEqual({ alg: 'EdDSA', kid: keys.keys[0].kid, typ: 'imprimatur-attestation+jwt' });
    const revision = (await request(api.http).get(`/articles/${article.id}/revisions/1`).set(auth(c.admin)).expect(200))
      .body as { contentHash: string };
    expect(payload).toEqual({
      iss: 'https://medical.example',
      sub: article.slug,
      version: 1,
      revision: 1,
      contentHash: revision.contentHash,
      documentHash: recomputed(doc),
      signatures: doc.signatures,
      iat: expect.any(Number),
    });
    expect(Math.abs((payload.iat as number) - Date.parse(doc.publishedAt as string) / 1000)).toBeLessThan(1);
    expect(doc.contentHash).toBe(revision.contentHash);

    // The board members who approved, as they were when they signed, in the order they signed.
    const signatures = doc.signatures as { name: string; signedAt: string }[];
    expect(signatures).toEqual([
      {
        name: 'Dr Board 0',
        credentials: 'MD, PhD',
        meaning: 'approval',
        signedAt: expect.any(String),
        contentHash: revision.contentHash,
      },
      {
        name: 'Dr Board 1',
        credentials: null,
        meaning: 'approval',
        signedAt: expect.any(String),
        contentHash: revision.contentHash,
      },
    ]);
    expect(Date.parse(signatures[0].signedAt)).toBeLessThanOrEqual(Date.parse(signatures[1].signedAt));

    // One character changed anywhere in what was signed no longer matches the signed hash.
    const tampered = { ...doc, bodyHtml: doc.bodyHtml.replace('surgical', 'surgicak') };
    expect(tampered.bodyHtml).not.toBe(doc.bodyHtml);
    expect(recomputed(tampered)).not.toBe(payload.documentHash);
    expect(recomputed({ ...doc, version: 2 })).not.toBe(payload.documentHash);
    // And the JWS itself does not survive a changed byte.
    const [header, body, signature] = doc.attestation.split('.');
    const flipped = `${header}.${body}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    await expect(verify({ ...doc, attestation: flipped }, keys)).rejects.toThrow();

    // The same document, byte for byte, as the version (what is stored is what is served and signed).
    const v1 = (await request(api.http).get(`/public/articles/${article.slug}/versions/1`).expect(200)).body as Doc;
    expect(v1).toEqual(doc);
    const stored = await db.query<{ document: Record<string, unknown> }>(
      `SELECT document FROM published_versions pv JOIN articles a ON a.id = pv.article_id WHERE a.slug = $1`,
      [article.slug],
    );
    expect(recomputed(stored.rows[0].document)).toBe(payload.documentHash);
  });

  it('publishes the HTML stored with the revision, byte for byte (the seed-shaped article)', async () => {
    const article = await publishedArticle();
    const doc = await live(article.slug);
    const revision = (await request(api.http).get(`/articles/${article.id}/revisions/1`).set(auth(c.admin)).expect(200))
      .body as { summaryHtml: string | null; bodyHtml: string; contentHash: string };
    expect(typeof revision.bodyHtml).toBe('string');
    expect(doc.bodyHtml).toBe(revision.bodyHtml);
    expect(doc.summaryHtml).toBe(revision.summaryHtml);
    expect(doc.bodyHtml).toContain('<h2 id="from-the-guidelines">From the Guidelines</h2>');
    expect(doc.bodyHtml).toContain('<a href="#ref-1">1</a>');
    // The shared renderer (the one the editor's preview runs in the browser) gives those very bytes.
    const content = sampleContent();
    const preview = renderContent({
      summary: content.summary,
      body: content.body,
      referenceCount: content.references.length,
    });
    expect(preview).toEqual({ summaryHtml: doc.summaryHtml, bodyHtml: doc.bodyHtml });
  });

  it('lists the signatures on the reader page in words', async () => {
    const article = await publishedArticle();
    const doc = await live(article.slug);
    const res = await request(api.http).get(`/read/${article.slug}`).expect(200);
    const day = (at: string) =>
      new Date(at).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    const [first, second] = doc.signatures as { signedAt: string }[];
    expect(res.text).toContain('<h2 id="signatures-heading">Signed off by the Medical Advisory Board</h2>');
    expect(res.text).toContain(
      `<li>Approved by Dr Board 0, MD, PhD, on <time datetime="${first.signedAt}">${day(first.signedAt)}</time></li>`,
    );
    expect(res.text).toContain(
      `<li>Approved by Dr Board 1 on <time datetime="${second.signedAt}">${day(second.signedAt)}</time></li>`,
    );
    expect(day(first.signedAt)).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);
  });

  it('rotates the key (admin): older versions still verify against the JWKS, new ones use the new kid', async () => {
    const article = await publishedArticle();
    const before = await jwks();
    const first = await live(article.slug);
    const oldKid = decodeProtectedHeader(first.attestation).kid;

    await request(api.http).post('/admin/publication-keys/rotate').expect(401);
    await request(api.http).post('/admin/publication-keys/rotate').set(auth(c.editor.token)).expect(403);
    const rotated = await request(api.http).post('/admin/publication-keys/rotate').set(auth(c.admin)).expect(200);
    const newKid = rotated.body.current.kid as string;
    expect(rotated.body).toEqual({
      retired: { kid: oldKid, source: 'generated', createdAt: expect.any(String), retiredAt: expect.any(String) },
      current: { kid: expect.any(String), source: 'generated', createdAt: expect.any(String), retiredAt: null },
    });
    expect(newKid).not.toBe(oldKid);
    const audit = await db.query<{ data: Record<string, unknown>; actor_id: string }>(
      `SELECT data, actor_id FROM audit_log WHERE action = 'publication_key.rotated' ORDER BY seq DESC LIMIT 1`,
    );
    expect(audit.rows[0].data).toEqual({ retiredKid: oldKid, kid: newKid });

    const after = await jwks();
    expect(after.body.keys.map((k) => k.kid)).toEqual([...before.body.keys.map((k) => k.kid), newKid]);
    const listed = await request(api.http).get('/admin/publication-keys').set(auth(c.admin)).expect(200);
    expect(listed.body.current).toBe(newKid);

    // The version signed before the rotation still verifies, with the key set as it is now.
    const v1 = (await request(api.http).get(`/public/articles/${article.slug}/versions/1`).expect(200)).body as Doc;
    expect((await verify(v1, after.body)).protectedHeader.kid).toBe(oldKid);

    // The next version of the same article is signed with the new key.
    await request(api.http)
      .post(`/articles/${article.id}/revisions`)
      .set(auth(c.editor.token))
      .send({
        // A clinical change (a new dose), so that the whole board signs it as approveAndPublish expects.
        ...sampleContent({
          title: 'Can leiomyosarcoma be treated? (updated)',
          body: `${sampleContent().body}\n\nTrabectedin 1.5 mg/m² is an option after doxorubicin [3].`,
          changeNote: 'new data',
        }),
        baseRevision: 1,
      })
      .expect(201);
    await request(api.http).post(`/articles/${article.id}/submit`).set(auth(c.editor.token)).send({}).expect(200);
    await request(api.http).post(`/articles/${article.id}/start-review`).set(auth(c.reviewers[0].token)).expect(200);
    await approveAndPublish(article, 2);
    const second = await live(article.slug);
    expect(second.version).toBe(2);
    const { payload, protectedHeader } = await verify(second, after.body);
    expect(protectedHeader.kid).toBe(newKid);
    expect(payload).toMatchObject({ version: 2, revision: 2, documentHash: recomputed(second) });
    // A verifier holding only the old key set cannot be fooled into accepting it.
    await expect(verify(second, before.body)).rejects.toThrow();
  });

  it('signs with PUBLICATION_SIGNING_KEY when set: its thumbprint is the kid, rotation is 409, every key stays listed', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const kid = await calculateJwkThumbprint(await exportJWK(createPublicKey(privateKey)), 'sha256');
    const generatedKids = (await jwks()).body.keys.map((k) => k.kid);
    // As an env file holds it: one line with \n escapes.
    const configured = await startApi({ ...env, PUBLICATION_SIGNING_KEY: pem.replace(/\n/g, '\\n') });
    try {
      const refused = await request(configured.http)
        .post('/admin/publication-keys/rotate')
        .set(auth(c.admin))
        .expect(409);
      expect(refused.body).toMatchObject({ code: 'invalid_transition', details: { from: 'configured_key' } });

      const article = await underReview(c);
      await approveAndPublish(article, 1, configured);
      const doc = await live(article.slug);
      const keys = (await jwks(configured.http)).body;
      expect(keys.keys.map((k) => k.kid)).toEqual([...generatedKids, kid]);
      const { payload, protectedHeader } = await verify(doc, keys);
      expect(protectedHeader.kid).toBe(kid);
      expect(payload.documentHash).toBe(recomputed(doc));
      const listed = await request(configured.http).get('/admin/publication-keys').set(auth(c.admin)).expect(200);
      expect(listed.body.current).toBe(kid);
      expect(listed.body.keys.find((k: { kid: string }) => k.kid === kid)).toMatchObject({
        source: 'configured',
        retiredAt: null,
      });
      const stored = await db.query<{ private_key: string | null }>(
        'SELECT private_key FROM publication_keys WHERE kid = $1',
        [kid],
      );
      expect(stored.rows).toEqual([{ private_key: null }]);
    } finally {
      await configured.close();
    }
    // Without the variable, the generated key signs again, and the configured key's public half stays listed.
    expect((await jwks()).body.keys.map((k) => k.kid)).toContain(kid);
  });

  it('shares one generated key between processes that start together on an empty key table', async () => {
    const fresh = { ...(await isolatedEnvironment('attestation_race')), PUBLIC_BASE_URL: 'https://medical.example' };
    const apis = await Promise.all([startApi(fresh), startApi(fresh), startApi(fresh)]);
    try {
      const sets = await Promise.all(apis.map((a) => jwks(a.http)));
      const kids = sets.map((s) => s.body.keys.map((k) => k.kid));
      expect(kids[0]).toHaveLength(1);
      expect(kids).toEqual([kids[0], kids[0], kids[0]]);
    } finally {
      await Promise.all(apis.map((a) => a.close()));
    }
  });
});
