import { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { PublishedRecheckService } from '@imprimatur/checks';
import { startApi, startWorker, TestApi } from '../support/app';
import { auth, Cast, cast, createArticle, sampleContent, signoff } from '../support/articles';
import { isolatedEnvironment } from '../support/isolated';
import { waitFor } from '../support/redis-server';
import { FakeRegistries, fixture } from '../support/registries';
import { after, collectJson, LocalWeb } from '../support/web';

type Work = { status: string; message: Record<string, unknown> };

/** A Crossref work from a fixture under another DOI, optionally with the notices of another fixture. */
function work(base: string, doi: string, updatedByFrom?: string): Work {
  const body = fixture<Work>(base);
  body.message.DOI = doi;
  if (updatedByFrom) body.message['updated-by'] = fixture<Work>(updatedByFrom).message['updated-by'];
  return body;
}

const GUIDELINE = {
  type: 'guideline',
  title:
    'Soft tissue and visceral sarcomas: ESMO–EURACAN–GENTURIS Clinical Practice Guidelines for diagnosis, treatment and follow-up',
  source: 'Annals of Oncology',
  year: 2021,
};
const RETRACTED_PAPER = {
  type: 'research',
  title:
    'Flexible and microporous chitosan hydrogel/nano ZnO composite bandages for wound dressing: in vitro and in vivo evaluation',
  source: 'ACS Applied Materials & Interfaces',
  year: 2012,
};
const RETRACTION_NOTICE = {
  type: 'retraction',
  doi: '10.1021/acsami.9b11759',
  source: 'retraction-watch',
  date: '2019-08-13',
};
const CONTACT = 'evidence-desk@imprimatur.test';

const cites = (n: number) =>
  `Every claim cites its evidence ${Array.from({ length: n }, (_, i) => `[${i + 1}]`).join(' ')}.`;

interface EvidenceLine {
  n: number;
  status: string;
  doi: string | null;
  pmid: string | null;
  fields?: string[];
  notice?: Record<string, unknown>;
  code?: string;
}

describe('evidence checks against Crossref and PubMed (e2e)', () => {
  const registries = new FakeRegistries();
  // The DOI and PubMed resolvers of the links check: every link resolves.
  const resolver = new LocalWeb('127.0.0.1');
  const hooks: { type: string; data: Record<string, unknown> }[] = [];
  let env: Record<string, string>;
  let api: TestApi;
  let worker: INestApplicationContext;
  let db: Client;
  let c: Cast;

  beforeAll(async () => {
    await registries.start();
    await resolver
      .routePrefix('/', (_req, res) => res.writeHead(200).end())
      .route('/hook', collectJson(hooks))
      .start();
    registries.crossref
      .set('10.1016/j.annonc.2021.07.002', fixture('crossref-verified'))
      .set('10.1021/am300292v', fixture('crossref-retracted'))
      .set('10.5555/imprimatur.2020.0117', fixture('crossref-corrected'))
      .set('10.5555/imprimatur.2019.0388', fixture('crossref-concern'))
      .set('10.5555/imprimatur.busy', work('crossref-verified', '10.5555/imprimatur.busy'));
    registries.pubmed.set('22489770', fixture('pubmed-retracted')).set('31912902', fixture('pubmed-verified'));

    env = {
      ...(await isolatedEnvironment('evidence')),
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      CROSSREF_API_URL: registries.crossrefUrl,
      EUTILS_URL: registries.eutilsUrl,
      CONTACT_EMAIL: CONTACT,
      DOI_RESOLVER_URL: resolver.url('/doi'),
      PUBMED_URL: resolver.url('/pubmed'),
      // One answer serves every article for a second: long enough to share, short enough to see a change.
      EVIDENCE_CACHE_TTL_SECONDS: '1',
      LINK_CHECK_TIMEOUT_MS: '2000',
      LINK_CHECK_RETRIES: '2',
      LINK_CHECK_RETRY_BASE_MS: '50',
      LINK_CHECK_HOST_SPACING_MS: '0',
      REQUIRED_SIGNOFFS: '1',
      SIGNOFF_REAUTH: 'false',
    };
    api = await startApi(env);
    worker = await startWorker(env);
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    c = await cast(api.http, 1);
  });

  afterAll(async () => {
    await db?.end();
    await worker?.close();
    await api?.close();
    await registries.stop();
    await resolver.stop();
  });

  /** Waits for the worker's evidence result of a revision. */
  async function evidenceOf(articleId: string, revision = 1) {
    return waitFor(
      async () => {
        const res = await request(api.http).get(`/articles/${articleId}/checks`).query({ revision }).set(auth(c.admin));
        const evidence = res.body.checks?.evidence as { status: string; details: { references?: EvidenceLine[] } };
        return evidence && evidence.status !== 'pending' ? evidence : null;
      },
      20_000,
      `evidence check of ${articleId} r${revision}`,
    );
  }

  async function toReview(references: Record<string, unknown>[]) {
    const article = await createArticle(c, sampleContent({ references, body: cites(references.length) }));
    await request(api.http)
      .put(`/articles/${article.id}/reviewers`)
      .set(auth(c.admin))
      .send({ reviewerIds: [c.reviewers[0].id] })
      .expect(200);
    await request(api.http).post(`/articles/${article.id}/submit`).set(auth(c.editor.token)).send({}).expect(200);
    await request(api.http).post(`/articles/${article.id}/start-review`).set(auth(c.reviewers[0].token)).expect(200);
    return article;
  }

  const view = async (id: string) =>
    (await request(api.http).get(`/articles/${id}`).set(auth(c.admin)).expect(200)).body as {
      state: string;
      publishedVersion: number | null;
      reviewDue: boolean;
      reviewDueReason: string | null;
      checks: Record<string, string>;
    };

  it('gives each reference the status of contract §16, asking politely and honouring Retry-After', async () => {
    registries.rateLimitOnce('10.5555/imprimatur.busy', 1);
    const article = await toReview([
      { ...GUIDELINE, doi: '10.1016/j.annonc.2021.07.002' },
      {
        type: 'research',
        title: 'Adjuvant radiotherapy for retroperitoneal sarcoma: a randomised trial',
        source: 'Journal of Imaginary Oncology',
        year: 2020,
        doi: '10.5555/imprimatur.2020.0117',
      },
      {
        type: 'research',
        title:
          'Serum IL-6 and TP53 status predict response to doxorubicin in uterine leiomyosarcoma: a multicentre cohort',
        source: 'Clinical Sarcoma Letters',
        year: 2019,
        doi: '10.5555/imprimatur.2019.0388',
      },
      {
        type: 'research',
        title: 'A paper nobody registered',
        source: 'Nowhere',
        year: 2020,
        doi: '10.5555/imprimatur.unknown',
      },
      // PubMed knows this PMID as "Cancer statistics, 2020" (CA Cancer J Clin): title and year disagree.
      {
        type: 'research',
        title: 'Cancer incidence in Europe',
        source: 'CA Cancer J Clin',
        year: 2017,
        pmid: '31912902',
      },
      { ...GUIDELINE, doi: '10.5555/imprimatur.busy' },
    ]);
    const evidence = await evidenceOf(article.id);
    expect(evidence.status).toBe('warning');
    const lines = evidence.details.references ?? [];
    expect(lines.map((l) => [l.n, l.status])).toEqual([
      [1, 'verified'],
      [2, 'corrected'],
      [3, 'concern'],
      [4, 'unverified'],
      [5, 'mismatch'],
      [6, 'verified'],
    ]);
    expect(lines[1].notice).toEqual({
      type: 'correction',
      doi: '10.5555/imprimatur.2021.0042',
      source: 'publisher',
      date: '2021-03-02',
    });
    expect(lines[2].notice).toMatchObject({ type: 'expression_of_concern', source: 'retraction-watch' });
    expect(lines[4].fields).toEqual(['title', 'year']);

    // The 429 was waited out (Retry-After: 1) and asked again, not counted as a failure.
    const busy = registries.requests.filter((u) => u.pathname.toLowerCase().endsWith('/imprimatur.busy'));
    expect(busy).toHaveLength(2);
    // Each registry's etiquette: Crossref's mailto, NCBI's tool and email.
    const crossref = registries.requests.filter((u) => u.pathname.startsWith('/crossref/'));
    const ncbi = registries.requests.filter((u) => u.pathname.startsWith('/eutils/'));
    expect(crossref.length).toBeGreaterThanOrEqual(5);
    expect(ncbi.length).toBeGreaterThanOrEqual(1);
    for (const u of crossref) expect(u.searchParams.get('mailto')).toBe(CONTACT);
    for (const u of ncbi) {
      expect(u.searchParams.get('email')).toBe(CONTACT);
      expect(u.searchParams.get('tool')).toBe('imprimatur');
      expect(u.searchParams.get('db')).toBe('pubmed');
    }
    // Warnings are for the board to weigh: the article can still be approved.
    await waitFor(async () => (await view(article.id)).checks.links === 'passed', 20_000, 'links');
    await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    await waitFor(async () => (await view(article.id)).state !== 'under_review', 20_000, 'approval');
  });

  it('fails the check on a retracted paper (Crossref from Retraction Watch, PubMed "Retracted Publication"), which blocks approval', async () => {
    const article = await toReview([
      { ...RETRACTED_PAPER, doi: '10.1021/am300292v' },
      { ...GUIDELINE, doi: '10.1016/j.annonc.2021.07.002' },
      { ...RETRACTED_PAPER, pmid: '22489770' },
    ]);
    const evidence = await evidenceOf(article.id);
    expect(evidence.status).toBe('failed');
    const lines = evidence.details.references ?? [];
    expect(lines.map((l) => l.status)).toEqual(['retracted', 'verified', 'retracted']);
    expect(lines[0].notice).toEqual(RETRACTION_NOTICE);
    expect(lines[2].notice).toMatchObject({ type: 'retraction', source: 'pubmed' });

    await waitFor(async () => (await view(article.id)).checks.links === 'passed', 20_000, 'links');
    await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    // Give the worker every chance to approve it wrongly: nothing is pending now.
    await after(500);
    const seen = await view(article.id);
    expect(seen.state).toBe('under_review');
    expect(seen.checks.evidence).toBe('failed');
    const { rows } = await db.query(
      `SELECT 1 FROM outbox WHERE name = 'article.approved' AND payload->>'articleId' = $1`,
      [article.id],
    );
    expect(rows).toHaveLength(0);
  });

  it('catches a retraction that appears after publication: one alert, one webhook, review due', async () => {
    await request(api.http)
      .post('/webhooks')
      .set(auth(c.admin))
      .send({ url: resolver.url('/hook'), events: ['article.evidence_alert'] })
      .expect(201);
    const doi = '10.5555/imprimatur.later';
    registries.crossref.set(doi, work('crossref-verified', doi));
    const article = await toReview([{ ...GUIDELINE, doi }]);
    expect((await evidenceOf(article.id)).status).toBe('passed');
    await waitFor(async () => (await view(article.id)).checks.links === 'passed', 20_000, 'links');
    await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    await waitFor(async () => (await view(article.id)).publishedVersion === 1, 20_000, 'publication');
    expect((await view(article.id)).reviewDue).toBe(false);

    // Retraction Watch records it; the cached answer (1 s) runs out; the scheduled re-check runs.
    registries.crossref.set(doi, work('crossref-verified', doi, 'crossref-retracted'));
    await after(1_100);
    const recheck = worker.get(PublishedRecheckService);
    const completed = async () =>
      Number(
        (
          await db.query(
            `SELECT count(*) AS n FROM audit_log WHERE action = 'checks.completed' AND article_id = $1 AND data->>'check' = 'evidence'`,
            [article.id],
          )
        ).rows[0].n,
      );
    const before = await completed();
    await recheck.enqueueAll('checks.evidence');
    await waitFor(async () => (await completed()) > before, 20_000, 'the re-check');

    const seen = await view(article.id);
    expect(seen).toMatchObject({ reviewDue: true, reviewDueReason: 'retraction', publishedVersion: 1 });
    const alerts = await request(api.http)
      .get('/audit')
      .query({ articleId: article.id, action: 'evidence.alert' })
      .set(auth(c.admin))
      .expect(200);
    expect(alerts.body.items).toHaveLength(1);
    expect(alerts.body.items[0].data).toMatchObject({ version: 1, notice: RETRACTION_NOTICE });
    const hook = await waitFor(async () => hooks.find((h) => h.type === 'article.evidence_alert'), 20_000, 'webhook');
    expect(hook.data).toMatchObject({
      slug: article.slug,
      version: 1,
      reference: { n: 1, doi, pmid: null, title: GUIDELINE.title },
      notice: RETRACTION_NOTICE,
    });

    // Found again on the next re-check: already alerted for this version, so nothing more goes out.
    await after(1_100);
    const second = await completed();
    await recheck.enqueueAll('checks.evidence');
    await waitFor(async () => (await completed()) > second, 20_000, 'the second re-check');
    await after(300);
    const { rows } = await db.query(
      `SELECT count(*) AS n FROM outbox WHERE name = 'article.evidence_alert' AND payload->>'articleId' = $1`,
      [article.id],
    );
    expect(Number(rows[0].n)).toBe(1);
    const again = await request(api.http)
      .get('/audit')
      .query({ articleId: article.id, action: 'evidence.alert' })
      .set(auth(c.admin))
      .expect(200);
    expect(again.body.items).toHaveLength(1);
    expect(hooks.filter((h) => h.type === 'article.evidence_alert')).toHaveLength(1);
  });

  describe('GET /references/lookup', () => {
    const lookup = (query: Record<string, string | undefined>, token = c.editor.token) =>
      request(api.http).get('/references/lookup').query(query).set(auth(token));

    it('fills a reference from Crossref by DOI, in any of its written forms', async () => {
      const res = await lookup({ doi: 'https://doi.org/10.1016/J.ANNONC.2021.07.002' }).expect(200);
      expect(res.body).toMatchObject({
        title: GUIDELINE.title,
        source: 'Annals of Oncology',
        year: 2021,
        doi: '10.1016/j.annonc.2021.07.002',
        pmid: null,
        notices: [],
      });
      expect(res.body.authors.slice(0, 2)).toEqual(['Gronchi A', 'Miah AB']);

      // The editor saves what was filled: the authors are kept with the reference.
      const { title, source, year, doi, authors } = res.body as Record<string, unknown>;
      const article = await createArticle(
        c,
        sampleContent({ references: [{ type: 'guideline', title, source, year, doi, authors }], body: cites(1) }),
      );
      const revision = await request(api.http)
        .get(`/articles/${article.id}/revisions/1`)
        .set(auth(c.editor.token))
        .expect(200);
      expect(revision.body.references[0].authors).toEqual(authors);
    });

    it('says when the paper was retracted', async () => {
      const res = await lookup({ doi: '10.1021/am300292v' }).expect(200);
      expect(res.body.notices).toEqual([RETRACTION_NOTICE]);
    });

    it('fills a reference from PubMed by PMID', async () => {
      const res = await lookup({ pmid: '31912902' }).expect(200);
      expect(res.body).toMatchObject({
        title: 'Cancer statistics, 2020',
        source: 'CA: a cancer journal for clinicians',
        year: 2020,
        doi: '10.3322/caac.21590',
        pmid: '31912902',
        authors: ['Siegel RL', 'Miller KD', 'Jemal A'],
        notices: [],
      });
      const retracted = await lookup({ pmid: '22489770' }).expect(200);
      expect(retracted.body.notices).toEqual([{ type: 'retraction', doi: null, source: 'pubmed', date: null }]);
    });

    it('answers 404 for identifiers the registries do not know, 400 for bad input, 403 for non-editors', async () => {
      expect((await lookup({ doi: '10.5555/imprimatur.nobody' }).expect(404)).body.code).toBe('not_found');
      expect((await lookup({ pmid: '99999999' }).expect(404)).body.code).toBe('not_found');
      for (const query of [
        {},
        { doi: '10.1021/am300292v', pmid: '22489770' },
        { doi: 'not a doi' },
        { pmid: '12ab' },
      ]) {
        expect((await lookup(query).expect(400)).body.code).toBe('validation_failed');
      }
      expect((await lookup({ pmid: '31912902' }, c.reviewers[0].token).expect(403)).body.code).toBe('forbidden');
    });
  });

  it('turns a registry outage into error on the check (a warning) and 502 on lookup, never a 500', async () => {
    registries.down = true;
    try {
      const res = await request(api.http)
        .get('/references/lookup')
        .query({ doi: '10.5555/imprimatur.outage' })
        .set(auth(c.editor.token))
        .expect(502);
      expect(res.body).toMatchObject({
        statusCode: 502,
        code: 'upstream_unavailable',
        details: { registry: 'crossref' },
      });
      expect(JSON.stringify(res.body)).not.toContain('127.0.0.1');

      const article = await toReview([
        { ...GUIDELINE, doi: '10.5555/imprimatur.outage' },
        { ...RETRACTED_PAPER, pmid: '40000001' },
      ]);
      const evidence = await evidenceOf(article.id);
      expect(evidence.status).toBe('warning');
      expect((evidence.details.references ?? []).map((l) => [l.status, l.code])).toEqual([
        ['error', 'http_503'],
        ['error', 'http_503'],
      ]);
    } finally {
      registries.down = false;
    }
  });
});
