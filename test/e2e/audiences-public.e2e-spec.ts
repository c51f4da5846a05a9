import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { compactVerify, createLocalJWKSet, JSONWebKeySet } from 'jose';
import { Client } from 'pg';
import request from 'supertest';
import type { JobPayloads } from '@imprimatur/queue';
import { LiveChanges } from '../../apps/api/src/public/live-changes.service';
import { publishAsWorker, startApi, TestApi } from '../support/app';
import { auth, Cast, cast, sampleContent, signoff, underReview, setWorkerChecks } from '../support/articles';
import { isolatedEnvironment } from '../support/isolated';

type Variant = {
  audience: string;
  title: string;
  summary: string | null;
  summaryHtml: string | null;
  body: string;
  bodyHtml: string;
};
type Doc = Record<string, unknown> & {
  title: string;
  summary: string | null;
  summaryHtml: string | null;
  body: string;
  bodyHtml: string;
  audience: string;
  audiences: string[];
  variants: Variant[];
  references: unknown[];
  updateInReview: boolean;
  attestation: string;
};

const PATIENT = {
  audience: 'patient',
  title: 'Can my leiomyosarcoma be treated?',
  body: [
    '## What the guidelines say',
    '',
    'Most people have an operation to take the tumour out [1].',
    '',
    '## What the research says',
    '',
    'If the cancer has spread, medicines can help [2].',
  ].join('\n'),
};

/**
 * Contract §13 and §14 for readers: the public document with its audiences, `?audience=`, the
 * reader page's choice and `updateInReview`. No worker: approvals are published from their outbox
 * payload as the worker would. A database of its own, so that its articles are the only ones.
 */
describe('audiences and review status for readers (e2e)', () => {
  let api: TestApi;
  let db: Client;
  let c: Cast;

  beforeAll(async () => {
    const env = { ...(await isolatedEnvironment('audiences')), PUBLIC_BASE_URL: 'https://medical.example' };
    api = await startApi(env);
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    c = await cast(api.http, 2);
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  const passWorkerChecks = (articleId: string) => setWorkerChecks(articleId, 'passed', db);

  async function approveAndPublish(articleId: string, revision: number) {
    await passWorkerChecks(articleId);
    await signoff(c, articleId, 0, { decision: 'approve', revision }).expect(201);
    await signoff(c, articleId, 1, { decision: 'approve', revision }).expect(201);
    const { rows } = await db.query<{ payload: JobPayloads['article.approved'] }>(
      `SELECT payload FROM outbox WHERE name = 'article.approved' AND payload->>'articleId' = $1 ORDER BY id DESC LIMIT 1`,
      [articleId],
    );
    await expect(publishAsWorker(api, rows[0].payload)).resolves.toMatchObject({ published: true });
  }

  async function published(overrides: Record<string, unknown> = { variants: [PATIENT] }) {
    const article = await underReview(c, overrides);
    await approveAndPublish(article.id, 1);
    return article;
  }

  const get = (url: string) => request(api.http).get(url);
  const doc = async (url: string) => (await get(url).expect(200)).body as Doc;
  const revisionOf = async (articleId: string, n: number) =>
    (await get(`/articles/${articleId}/revisions/${n}`).set(auth(c.admin)).expect(200)).body as {
      title: string;
      summary: string | null;
      summaryHtml: string | null;
      bodyHtml: string;
      variantsHtml: { audience: string; summaryHtml: string | null; bodyHtml: string }[];
    };

  /** What a verifier computes (contract §12), independently of the code under test. */
  const recomputed = (document: Record<string, unknown>) =>
    createHash('sha256')
      .update(
        String(
          canonicalize(
            Object.fromEntries(
              Object.entries(document).filter(([key]) => key !== 'attestation' && key !== 'updateInReview'),
            ),
          ),
        ),
        'utf8',
      )
      .digest('hex');

  it('publishes the variants with the article: audiences, variants, and their stored HTML byte for byte', async () => {
    const article = await published();
    const live = await doc(`/public/articles/${article.slug}`);
    const revision = await revisionOf(article.id, 1);
    const content = sampleContent();

    expect(live).toMatchObject({
      audience: 'professional',
      audiences: ['professional', 'patient'],
      updateInReview: false,
      bodyHtml: revision.bodyHtml,
      summaryHtml: revision.summaryHtml,
    });
    // The variant has no summary of its own: it is read with the article's, and rendered so when written.
    expect(live.variants).toEqual([
      {
        audience: 'patient',
        title: PATIENT.title,
        summary: content.summary,
        summaryHtml: revision.variantsHtml[0].summaryHtml,
        body: PATIENT.body,
        bodyHtml: revision.variantsHtml[0].bodyHtml,
      },
    ]);
    expect(revision.variantsHtml[0]).toMatchObject({ audience: 'patient' });
    expect(live.variants[0].bodyHtml).toContain('<h2 id="what-the-guidelines-say">What the guidelines say</h2>');
    expect(live.variants[0].bodyHtml).toContain('<a href="#ref-1">1</a>');

    // The signed document is the one without ?audience=, variants included.
    const keys = (await get('/.well-known/jwks.json').expect(200)).body as JSONWebKeySet;
    const { payload } = await compactVerify(live.attestation, createLocalJWKSet(keys));
    const claims = JSON.parse(new TextDecoder().decode(payload)) as { documentHash: string };
    expect(claims.documentHash).toBe(recomputed(live));
    expect(recomputed({ ...live, variants: [{ ...live.variants[0], bodyHtml: '<p>changed</p>' }] })).not.toBe(
      claims.documentHash,
    );
    // What ?audience=patient answers is the same version told another way: not the document signed.
    expect(recomputed(await doc(`/public/articles/${article.slug}?audience=patient`))).not.toBe(claims.documentHash);

    const plain = await published({});
    expect(await doc(`/public/articles/${plain.slug}`)).toMatchObject({
      audience: 'professional',
      audiences: ['professional'],
      variants: [],
    });
  });

  it('answers ?audience= with that text at the top level, falls back to professional and says so, and refuses others', async () => {
    const article = await published();
    const base = `/public/articles/${article.slug}`;
    const plainRes = await get(base).expect(200);
    const plain = plainRes.body as Doc;

    const patientRes = await get(`${base}?audience=patient`).expect(200);
    const patient = patientRes.body as Doc;
    expect(patient).toEqual({
      ...plain,
      audience: 'patient',
      title: plain.variants[0].title,
      summary: plain.variants[0].summary,
      summaryHtml: plain.variants[0].summaryHtml,
      body: plain.variants[0].body,
      bodyHtml: plain.variants[0].bodyHtml,
    });
    expect(patient.references).toEqual(plain.references);

    // No caregiver text: the professional one, and `audience` says whose it is.
    const caregiverRes = await get(`${base}?audience=caregiver`).expect(200);
    expect(caregiverRes.body).toEqual({ ...plain, audience: 'professional' });
    expect(await doc(`${base}?audience=professional`)).toEqual(plain);

    // One validator per representation; each still answers 304 to its own.
    const etags = [plainRes, patientRes, caregiverRes].map((r) => String(r.headers.etag));
    expect(new Set(etags).size).toBe(3);
    await get(`${base}?audience=patient`).set('if-none-match', patientRes.headers.etag).expect(304);
    await get(`${base}?audience=patient`).set('if-none-match', plainRes.headers.etag).expect(200);

    for (const bogus of ['bogus', 'Patient', '']) {
      const res = await get(`${base}?audience=${bogus}`).expect(400);
      expect(res.body).toMatchObject({
        code: 'validation_failed',
        details: { fields: { audience: [expect.any(String)] } },
      });
    }
    await get(`${base}?audience=patient&audience=caregiver`).expect(400);
    await get(`${base}/versions/1?audience=bogus`).expect(400);
    expect(await doc(`${base}/versions/1?audience=patient`)).toEqual(patient);
    // Other query parameters (a campaign tag) are no reason to refuse a reader.
    await get(`${base}?utm_source=newsletter`).expect(200);
  });

  it('says updateInReview while a newer revision is with the board, and not once it is published; the ETag follows', async () => {
    const article = await published();
    const base = `/public/articles/${article.slug}`;
    const state = async () => {
      const res = await get(base).expect(200);
      const item = (
        (await get('/public/articles').expect(200)).body.items as { slug: string; updateInReview: boolean }[]
      ).find((i) => i.slug === article.slug);
      return { flag: (res.body as Doc).updateInReview, listed: item?.updateInReview, etag: String(res.headers.etag) };
    };
    const before = await state();
    expect(before).toMatchObject({ flag: false, listed: false });

    // A draft is not in review.
    await request(api.http)
      .post(`/articles/${article.id}/revisions`)
      .set(auth(c.editor.token))
      .send({
        ...sampleContent({
          title: 'Can leiomyosarcoma be treated? (2027 update)',
          variants: [{ ...PATIENT, body: `${PATIENT.body}\n\nNew medicines are being tested [3].` }],
          changeNote: 'new trial',
        }),
        baseRevision: 1,
      })
      .expect(201);
    expect(await state()).toEqual(before);

    await request(api.http).post(`/articles/${article.id}/submit`).set(auth(c.editor.token)).send({}).expect(200);
    const submitted = await state();
    expect(submitted).toMatchObject({ flag: true, listed: true });
    expect(submitted.etag).not.toBe(before.etag);
    await get(base).set('if-none-match', before.etag).expect(200);
    await get(base).set('if-none-match', submitted.etag).expect(304);
    // It is about the article: earlier versions say so too. The live text is still version 1's.
    expect(await doc(`${base}/versions/1`)).toMatchObject({ updateInReview: true, version: 1 });
    expect(await doc(base)).toMatchObject({ version: 1, title: expect.not.stringContaining('2027') });

    const page = await get(`/read/${article.slug}`).expect(200);
    expect(page.text).toContain('An update to this article is under review');

    await request(api.http).post(`/articles/${article.id}/withdraw`).set(auth(c.editor.token)).expect(200);
    expect(await state()).toMatchObject({ flag: false, etag: before.etag });
    await request(api.http).post(`/articles/${article.id}/submit`).set(auth(c.editor.token)).send({}).expect(200);
    await request(api.http).post(`/articles/${article.id}/start-review`).set(auth(c.reviewers[0].token)).expect(200);
    expect(await state()).toMatchObject({ flag: true, listed: true });

    await approveAndPublish(article.id, 2);
    const after = await state();
    expect(after).toMatchObject({ flag: false, listed: false });
    const live = await doc(base);
    expect(live).toMatchObject({
      version: 2,
      updateInReview: false,
      title: 'Can leiomyosarcoma be treated? (2027 update)',
    });
    expect(live.variants[0].body).toContain('New medicines are being tested');
    expect((await get(`/read/${article.slug}`).expect(200)).text).not.toContain(
      'An update to this article is under review',
    );
    // updateInReview is not signed: the attestation of version 2 covers the document without it.
    const keys = (await get('/.well-known/jwks.json').expect(200)).body as JSONWebKeySet;
    const { payload } = await compactVerify(live.attestation, createLocalJWKSet(keys));
    expect((JSON.parse(new TextDecoder().decode(payload)) as { documentHash: string }).documentHash).toBe(
      recomputed(live),
    );
  });

  it('serves a version attested before audiences exactly as it was signed, and tells it for an audience on request', async () => {
    const article = await published({});
    const signed = await doc(`/public/articles/${article.slug}`);
    // As a version published before §13 is stored: no audience fields, and its attestation covers that.
    await db.query(
      `UPDATE public_articles SET document = document - 'audience' - 'audiences' - 'variants' WHERE slug = $1`,
      [article.slug],
    );
    // Written behind the API's back: wait until its read cache has heard of it, as another process would.
    await api.app.get(LiveChanges).sync();
    const old = await doc(`/public/articles/${article.slug}`);
    expect(old).not.toHaveProperty('audiences');
    expect(old).toEqual({ ...signed, audience: undefined, audiences: undefined, variants: undefined });
    const list = (await get('/public/articles').expect(200)).body.items as { slug: string; audiences: string[] }[];
    expect(list.find((i) => i.slug === article.slug)?.audiences).toEqual(['professional']);
    expect(await doc(`/public/articles/${article.slug}?audience=patient`)).toMatchObject({
      audience: 'professional',
      audiences: ['professional'],
      variants: [],
    });
    expect((await get(`/read/${article.slug}?audience=patient`).expect(200)).text).toContain(
      'This article is not yet available for patients',
    );
  });

  describe('the reader page', () => {
    const jsonLdOf = (html: string) =>
      JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}') as {
        name: string;
        audience: { '@type': string; audienceType: string };
        url: string;
      };

    it('asks "Which best describes you?", shows the chosen text, remembers the choice in a cookie, and adapts the disclaimer', async () => {
      const article = await published();
      const plain = await doc(`/public/articles/${article.slug}`);

      const chosen = await get(`/read/${article.slug}?audience=patient`).expect(200);
      expect(chosen.headers['set-cookie']).toEqual(['audience=patient; Path=/read; Max-Age=31536000; SameSite=Lax']);
      expect(chosen.headers.vary).toBe('Cookie');
      expect(chosen.text).toContain(`<h1>${PATIENT.title}</h1>`);
      expect(chosen.text).toContain(plain.variants[0].bodyHtml);
      expect(chosen.text).not.toContain(plain.bodyHtml);
      expect(chosen.text).toContain('Talk to your doctor');
      expect(chosen.text).not.toContain('clinical judgement');
      expect(chosen.text).toContain(`<a href="/read/${article.slug}?audience=patient" aria-current="true">Patient</a>`);
      expect(jsonLdOf(chosen.text)).toMatchObject({
        name: PATIENT.title,
        audience: { '@type': 'MedicalAudience', audienceType: 'Patient' },
        url: `https://medical.example/read/${article.slug}?audience=patient`,
      });

      // The next visit carries only the cookie: the same text, and no cookie set again.
      const remembered = await get(`/read/${article.slug}`).set('cookie', 'audience=patient').expect(200);
      expect(remembered.headers['set-cookie']).toBeUndefined();
      expect(remembered.text).toContain(`<h1>${PATIENT.title}</h1>`);
      expect(remembered.text).toContain(plain.variants[0].bodyHtml);
      expect(remembered.headers.etag).toBe(chosen.headers.etag);

      // No choice: the article's own text, for professionals.
      const professional = await get(`/read/${article.slug}`).expect(200);
      expect(professional.headers['set-cookie']).toBeUndefined();
      expect(professional.text).toContain(`<h1>${plain.title}</h1>`);
      expect(professional.text).toContain(plain.bodyHtml);
      expect(professional.text).toContain('For healthcare professionals');
      expect(professional.text).toContain('clinical judgement');
      expect(professional.text).toContain(
        `<a href="/read/${article.slug}?audience=professional" aria-current="true">Healthcare professional</a>`,
      );
      expect(professional.headers.etag).not.toBe(chosen.headers.etag);
      expect(jsonLdOf(professional.text)).toMatchObject({
        audience: { '@type': 'MedicalAudience', audienceType: 'Clinician' },
        url: `https://medical.example/read/${article.slug}`,
      });

      // Choosing professional again replaces the remembered choice; a bogus one is ignored.
      const back = await get(`/read/${article.slug}?audience=professional`)
        .set('cookie', 'audience=patient')
        .expect(200);
      expect(back.headers['set-cookie']).toEqual(['audience=professional; Path=/read; Max-Age=31536000; SameSite=Lax']);
      expect(back.text).toContain(`<h1>${plain.title}</h1>`);
      const bogus = await get(`/read/${article.slug}?audience=bogus`).set('cookie', 'audience=patient').expect(200);
      expect(bogus.headers['set-cookie']).toBeUndefined();
      expect(bogus.text).toContain(`<h1>${PATIENT.title}</h1>`);
    });

    it('says when there is no text for the chosen audience, and shows the professional one', async () => {
      const article = await published();
      const plain = await doc(`/public/articles/${article.slug}`);
      const res = await get(`/read/${article.slug}?audience=caregiver`).expect(200);
      expect(res.headers['set-cookie']).toEqual(['audience=caregiver; Path=/read; Max-Age=31536000; SameSite=Lax']);
      expect(res.text).toContain('This article is not yet available for caregivers');
      expect(res.text).toContain(`<h1>${plain.title}</h1>`);
      expect(res.text).toContain(plain.bodyHtml);
      // The reader is still a caregiver: the disclaimer speaks to them, the choice stays theirs.
      expect(res.text).toContain('the person you care for');
      expect(res.text).toContain(
        `<a href="/read/${article.slug}?audience=caregiver" aria-current="true">Caregiver</a>`,
      );
      expect(jsonLdOf(res.text).audience).toEqual({ '@type': 'MedicalAudience', audienceType: 'Clinician' });
    });

    it('shows the review tracker with the live version at Approved, and links the editorial policy', async () => {
      const article = await published();
      const res = await get(`/read/${article.slug}`).expect(200);
      const tracker = /<section class="review-status"[^>]*>([\s\S]*?)<\/section>/.exec(res.text)?.[1] ?? '';
      expect(tracker).toContain('<h2 id="review-status-heading">Article Review Status</h2>');
      const steps = [...tracker.matchAll(/<li([^>]*)>(?:<svg[\s\S]*?<\/svg>)?([^<]*)<\/li>/g)].map((m) => [
        m[2],
        m[1].trim(),
      ]);
      expect(steps).toEqual([
        ['Submitted', ''],
        ['Under Review', ''],
        ['Approved', 'aria-current="step"'],
      ]);
      expect(tracker).not.toContain('An update to this article is under review');
      expect(res.text).toContain('<a href="/read/editorial-policy">View editorial policy</a>');
      expect(res.text).toContain('Personalize — Which best describes you?');
    });
  });
});
