import request from 'supertest';
import { contentHash } from '@imprimatur/domain';
import { startApi, TestApi } from '../support/app';
import { auth, Cast, cast, revisionOf, sampleContent } from '../support/articles';

const patient = {
  audience: 'patient',
  title: 'Can this cancer be treated?',
  body: '## What doctors do\n\nMost people have an operation to take the tumour out [1].',
};

/** Contract §13: audience variants are part of the revision, stored, rendered and hashed with it. */
describe('audience variants in revisions (e2e)', () => {
  let api: TestApi;
  let c: Cast;

  beforeAll(async () => {
    api = await startApi();
    c = await cast(api.http, 1);
  });
  afterAll(async () => {
    await api.close();
  });

  const create = (variants: unknown) =>
    request(api.http).post('/articles').set(auth(c.editor.token)).send(sampleContent({ variants }));
  const revision = (articleId: string, n: number) => revisionOf(c, articleId, n);

  it('stores each variant as written, rendered once, inside the content hash', async () => {
    const res = await create([
      patient,
      { audience: 'caregiver', summary: 'How to help [2].', body: 'Rest helps [3].' },
    ]);
    expect(res.status).toBe(201);
    const stored = await revision(res.body.id, 1);
    expect(stored.variants).toEqual([
      { audience: 'patient', title: patient.title, summary: null, body: patient.body },
      { audience: 'caregiver', title: null, summary: 'How to help [2].', body: 'Rest helps [3].' },
    ]);
    expect(stored.variantsHtml).toHaveLength(2);
    expect(stored.variantsHtml[0]).toMatchObject({ audience: 'patient', summaryHtml: stored.summaryHtml });
    expect(stored.variantsHtml[0].bodyHtml).toContain('href="#ref-1"');
    expect(stored.variantsHtml[1].summaryHtml).toContain('href="#ref-2"');
    const recomputed = contentHash(stored, {
      summaryHtml: stored.summaryHtml,
      bodyHtml: stored.bodyHtml,
      variants: stored.variantsHtml,
    });
    expect(stored.contentHash).toBe(recomputed);

    const without = await create([]);
    const plain = await revision(without.body.id, 1);
    expect(plain.variants).toEqual([]);
    expect(plain.variantsHtml).toEqual([]);
  });

  it('refuses an unknown audience, a second variant for one audience, and a variant without a body (400)', async () => {
    const cases: [string, unknown][] = [
      ['professional is the article itself', [{ audience: 'professional', body: 'x' }]],
      ['unknown audience', [{ audience: 'children', body: 'x' }]],
      ['duplicate', [patient, { ...patient, title: 'Again' }]],
      ['no body', [{ audience: 'patient' }]],
      ['empty body', [{ audience: 'patient', body: '' }]],
      ['unknown field', [{ ...patient, reading: 'easy' }]],
      ['not a list', { audience: 'patient', body: 'x' }],
    ];
    for (const [what, variants] of cases) {
      const res = await create(variants);
      expect({ what, status: res.status, code: res.body.code }).toEqual({
        what,
        status: 400,
        code: 'validation_failed',
      });
    }
  });

  it('checks the citations of every variant, naming the audience, and refuses to submit on an error', async () => {
    const res = await create([{ audience: 'patient', body: 'See the study [9].' }]).expect(201);
    const checks = await request(api.http).get(`/articles/${res.body.id}/checks`).set(auth(c.admin)).expect(200);
    const citations = checks.body.checks.citations;
    expect(citations.status).toBe('failed');
    expect(citations.details.problems[0]).toMatchObject({ kind: 'missing_reference', audience: 'patient' });
    const submitted = await request(api.http)
      .post(`/articles/${res.body.id}/submit`)
      .set(auth(c.editor.token))
      .send({})
      .expect(422);
    expect(submitted.body.details[0]).toMatchObject({ audience: 'patient', reference: 9 });
  });

  it('keeps the slug of the editorial policy page for it', async () => {
    const explicit = await request(api.http)
      .post('/articles')
      .set(auth(c.editor.token))
      .send({ ...sampleContent(), slug: 'editorial-policy' });
    expect(explicit.status).toBe(400);
    expect(explicit.body.details.fields.slug).toEqual(['is reserved']);
    const derived = await request(api.http)
      .post('/articles')
      .set(auth(c.editor.token))
      .send(sampleContent({ title: 'Editorial policy' }))
      .expect(201);
    expect(derived.body.slug).not.toBe('editorial-policy');
    expect(derived.body.slug).toMatch(/^editorial-policy-\d+$/);
  });

  it('diffs each audience between revisions', async () => {
    const res = await create([patient]).expect(201);
    await request(api.http)
      .post(`/articles/${res.body.id}/revisions`)
      .set(auth(c.editor.token))
      .send({
        ...sampleContent({
          variants: [
            { ...patient, body: `${patient.body}\n\nSome people also have radiotherapy [1].` },
            { audience: 'caregiver', body: 'You can help by driving them to appointments [1].' },
          ],
        }),
        baseRevision: 1,
      })
      .expect(201);
    const diff = await request(api.http)
      .get(`/articles/${res.body.id}/diff`)
      .query({ from: 1, to: 2 })
      .set(auth(c.admin))
      .expect(200);
    expect(diff.body.variants).toEqual([
      expect.objectContaining({ audience: 'patient', status: 'changed', title: null }),
      expect.objectContaining({ audience: 'caregiver', status: 'added' }),
    ]);
    expect(diff.body.variants[0].body).toContain('+Some people also have radiotherapy [1].');
    expect(diff.body.variants[1].body).toContain('+You can help by driving them to appointments [1].');
  });
});
