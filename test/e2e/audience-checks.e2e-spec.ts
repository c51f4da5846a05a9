import request from 'supertest';
import { startApi, TestApi } from '../support/app';
import {
  auth,
  Cast,
  cast,
  createArticle,
  sampleContent,
  setWorkerChecks,
  signoff,
  underReview,
} from '../support/articles';

// The professional text states the seed's doses; a patient variant must state the same ones.
const professionalBody = [
  sampleContent().body,
  '',
  'Doxorubicin 75 mg/m² every 3 weeks is the usual first-line dose [2]. High-dose ifosfamide 12–14 g/m²/cycle is an alternative [3].',
].join('\n');
const patientBody = (dose: string) =>
  `Most people have an operation to take the tumour out [1]. Some also have a drug called doxorubicin, ${dose} every 3 weeks [2].`;
const DENSE =
  'Leiomyosarcoma, a malignant mesenchymal neoplasm demonstrating smooth-muscle differentiation, is managed with ' +
  'en bloc surgical resection achieving histologically negative margins, frequently complemented by adjuvant ' +
  'radiotherapy, whereas metastatic or unresectable disease necessitates systemic anthracycline-based cytotoxic ' +
  'chemotherapy [1, 2].';

describe('audience checks: readability and consistency (e2e, contract §13)', () => {
  let api: TestApi;
  let c: Cast;

  beforeAll(async () => {
    api = await startApi({ REQUIRED_SIGNOFFS: '2', PATIENT_READING_GRADE_MAX: '8' });
    c = await cast(api.http, 2);
  });
  afterAll(async () => {
    await api.close();
  });

  const checksOf = async (articleId: string) =>
    (await request(api.http).get(`/articles/${articleId}/checks`).set(auth(c.editor.token)).expect(200)).body;
  const articleOf = async (articleId: string) =>
    (await request(api.http).get(`/articles/${articleId}`).set(auth(c.editor.token)).expect(200)).body;
  const approveByBoth = async (articleId: string, revision: number) => {
    await signoff(c, articleId, 0, { decision: 'approve', revision }).expect(201);
    return (await signoff(c, articleId, 1, { decision: 'approve', revision }).expect(201)).body.article;
  };

  it('passes both checks for an article without variants, on the revision and on a re-run', async () => {
    const article = await createArticle(c);
    expect((await articleOf(article.id)).checks).toMatchObject({ readability: 'passed', consistency: 'passed' });
    expect((await checksOf(article.id)).checks).toMatchObject({
      readability: { status: 'passed', details: { maxGrade: 8, grades: [], problems: [] } },
      consistency: { status: 'passed', details: { problems: [] } },
    });
    const rerun = await request(api.http)
      .post(`/articles/${article.id}/checks/run`)
      .set(auth(c.editor.token))
      .send({})
      .expect(202);
    expect(rerun.body.checks).toMatchObject({
      readability: { status: 'passed', updatedAt: expect.any(String) },
      consistency: { status: 'passed', updatedAt: expect.any(String) },
    });
  });

  it('keeps an article whose patient dose differs from the professional text from approval until a revision fixes it', async () => {
    const article = await underReview(c, {
      body: professionalBody,
      variants: [{ audience: 'patient', body: patientBody('60 mg/m²') }],
    });
    const failed = await checksOf(article.id);
    expect(failed.checks.consistency).toMatchObject({
      status: 'failed',
      details: {
        problems: [
          {
            audience: 'patient',
            field: 'body',
            quantity: '60 mg/m2',
            sentence: 'Some also have a drug called doxorubicin, 60 mg/m² every 3 weeks.',
            message: expect.stringContaining(
              'In the patient version, 60 mg/m2 does not occur in the professional text',
            ),
          },
        ],
      },
    });

    await setWorkerChecks(article.id, 'passed');
    const blocked = await approveByBoth(article.id, 1);
    expect(blocked).toMatchObject({ state: 'under_review', checks: { links: 'passed', consistency: 'failed' } });
    expect(blocked.signoffs).toHaveLength(2);

    await request(api.http)
      .post(`/articles/${article.id}/revisions`)
      .set(auth(c.editor.token))
      .send({
        ...sampleContent({
          body: professionalBody,
          variants: [{ audience: 'patient', body: patientBody('75 mg/m2') }],
          changeNote: 'patient dose as in the professional text',
        }),
        baseRevision: 1,
      })
      .expect(201);
    expect(await articleOf(article.id)).toMatchObject({
      state: 'under_review',
      currentRevision: 2,
      checks: { consistency: 'passed' },
    });
    await setWorkerChecks(article.id, 'passed');
    expect(await approveByBoth(article.id, 2)).toMatchObject({ state: 'approved', checks: { consistency: 'passed' } });
  });

  it('warns of a patient variant above the reading grade limit, and approves it all the same', async () => {
    const article = await underReview(c, {
      variants: [{ audience: 'patient', summary: 'It can be treated.', body: DENSE }],
    });
    const { checks } = await checksOf(article.id);
    expect(checks.readability).toMatchObject({
      status: 'warning',
      details: {
        maxGrade: 8,
        grades: [{ audience: 'patient', grade: expect.any(Number) }],
        problems: [{ audience: 'patient', maxGrade: 8 }],
      },
    });
    const grade = checks.readability.details.grades[0].grade as number;
    expect(grade).toBeGreaterThan(8);
    expect(checks.readability.details.problems[0].message).toBe(
      `The patient version reads at grade ${grade.toFixed(1)}, above the limit of 8`,
    );
    expect(checks.consistency.status).toBe('passed');

    await setWorkerChecks(article.id, 'passed');
    expect(await approveByBoth(article.id, 1)).toMatchObject({
      state: 'approved',
      checks: { readability: 'warning', consistency: 'passed' },
    });
  });
});
