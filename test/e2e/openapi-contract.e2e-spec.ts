import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { publishAsWorker, startApi, TestApi } from '../support/app';
import type { JobPayloads } from '@imprimatur/queue';
import { auth, Cast, cast, setWorkerChecks, signoff, underReview } from '../support/articles';
import { sql } from '../support/db';

type Schema = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** Points the document's local `#/components/...` references at the copy registered with Ajv. */
const rebase = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(rebase);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        key === '$ref' && typeof inner === 'string' && inner.startsWith('#/') ? `openapi${inner}` : rebase(inner),
      ]),
    );
  }
  return value;
};

/**
 * The OpenAPI document is the contract the web app's generated types and any generated client rely
 * on: here the served document must give exactly the committed types, and real responses of the
 * routes must validate against the schemas it declares for them.
 */
describe('OpenAPI document against real responses (e2e)', () => {
  let api: TestApi;
  let document: OpenApiDocument;
  let ajv: Ajv;
  let c: Cast;

  beforeAll(async () => {
    api = await startApi();
    document = (await request(api.http).get('/docs-json').expect(200)).body as OpenApiDocument;
    // OpenAPI 3.0 schemas, read strictly: Ajv knows `nullable` (it widens its own schema's `type`
    // only, as OpenAPI 3.0.3 says); `example` and friends are annotations.
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'openapi', components: rebase(document.components) as Schema });
    c = await cast(api.http, 2);
  });
  afterAll(() => api.close());

  const validators = new Map<string, ValidateFunction>();
  /** The response schema the document declares for a route (by its template) and status. */
  function validatorOf(method: string, template: string, status: number): ValidateFunction {
    const key = `${method} ${template} ${status}`;
    const cached = validators.get(key);
    if (cached) return cached;
    const operation = document.paths[template]?.[method];
    if (!operation) throw new Error(`the document has no ${method.toUpperCase()} ${template}`);
    const schema = operation.responses[String(status)]?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`the document declares no JSON body for ${key}`);
    const validate = ajv.compile(rebase(schema) as Schema);
    validators.set(key, validate);
    return validate;
  }

  async function holds(
    method: 'get' | 'post' | 'put',
    template: string,
    url: string,
    token: string | null,
    status: number,
    body?: object,
  ) {
    const agent = request(api.http);
    const call =
      method === 'get' ? agent.get(url) : (method === 'put' ? agent.put(url) : agent.post(url)).send(body ?? {});
    const res = await (token ? call.set(auth(token)) : call).expect(status);
    const validate = validatorOf(method, template, status);
    const valid = validate(res.body);
    expect({ route: `${method.toUpperCase()} ${url}`, errors: valid ? [] : validate.errors }).toEqual({
      route: `${method.toUpperCase()} ${url}`,
      errors: [],
    });
    return res.body as Record<string, unknown>;
  }

  it('gives exactly the committed web app types (run `npm run api:types` when it does not)', async () => {
    const root = join(__dirname, '..', '..');
    const dir = mkdtempSync(join(tmpdir(), 'imprimatur-api-types-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      const result = await promisify(execFile)(
        process.execPath,
        ['-r', './bench/register.cjs', 'scripts/api-types.ts', '--check', '--document', file],
        { cwd: root },
      ).catch((error: { stderr?: string }) => ({ stdout: '', stderr: error.stderr ?? 'the script failed' }));
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('API types are up to date\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('describes the real responses of the staff, audit, history and public routes', async () => {
    const article = await underReview(c, {
      variants: [
        { audience: 'patient', title: 'Can my cancer be treated?', body: 'Most people have an operation [1].' },
      ],
    });
    await setWorkerChecks(article.id, 'passed');
    await request(api.http)
      .post(`/articles/${article.id}/comments`)
      .set(auth(c.reviewers[1].token))
      .send({ body: 'Cite the guideline year.' })
      .expect(201);
    await signoff(c, article.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    await signoff(c, article.id, 1, { decision: 'approve', revision: 1 }).expect(201);
    // Published as the worker would, from the approval's outbox payload: a system entry (`actor: null`).
    const db = await sql();
    try {
      const { rows } = await db.query<{ payload: JobPayloads['article.approved'] }>(
        `SELECT payload FROM outbox WHERE name = 'article.approved' AND payload->>'articleId' = $1`,
        [article.id],
      );
      await expect(publishAsWorker(api, rows[0].payload)).resolves.toMatchObject({ published: true });
    } finally {
      await db.end();
    }

    await holds('get', '/me', '/me', c.admin, 200);
    await holds('get', '/me/tasks', '/me/tasks', c.reviewers[0].token, 200);
    await holds('get', '/me/tasks', '/me/tasks', c.admin, 200);
    await holds('get', '/me/notifications', '/me/notifications?limit=5', c.editor.token, 200);
    await holds('get', '/me/preferences', '/me/preferences', c.editor.token, 200);
    await holds('get', '/users', '/users?limit=5', c.admin, 200);
    await holds('get', '/articles', '/articles?limit=5', c.admin, 200);
    await holds('get', '/articles/{id}', `/articles/${article.id}`, c.admin, 200);
    await holds('get', '/articles/{id}/revisions', `/articles/${article.id}/revisions`, c.admin, 200);
    await holds('get', '/articles/{id}/revisions/{n}', `/articles/${article.id}/revisions/1`, c.admin, 200);
    await holds('get', '/articles/{id}/checks', `/articles/${article.id}/checks`, c.admin, 200);
    await holds('get', '/articles/{id}/comments', `/articles/${article.id}/comments`, c.admin, 200);
    // System entries (a publication, a failed login) have `actor: null`.
    const history = await holds('get', '/articles/{id}/history', `/articles/${article.id}/history`, c.admin, 200);
    expect(JSON.stringify(history)).toContain('"actor":null');
    await request(api.http)
      .post('/auth/login')
      .send({ email: 'nobody@imprimatur.test', password: 'wrong-password!' })
      .expect(401);
    const audit = await holds('get', '/audit', '/audit?action=auth.login_failed&order=desc&limit=5', c.admin, 200);
    expect(JSON.stringify(audit)).toContain('"actor":null');
    await holds('get', '/audit/verify', '/audit/verify', c.admin, 200);
    await holds('get', '/audit/head', '/audit/head', c.admin, 200);
    await holds('get', '/audit/digests/keys', '/audit/digests/keys', c.admin, 200);
    await holds('get', '/webhooks', '/webhooks', c.admin, 200);
    await holds('get', '/public/articles', '/public/articles', null, 200);
    await holds('get', '/public/articles/{slug}', `/public/articles/${article.slug}`, null, 200);
    const patient = await holds(
      'get',
      '/public/articles/{slug}',
      `/public/articles/${article.slug}?audience=patient`,
      null,
      200,
    );
    expect(patient.audience).toBe('patient');
    await holds('get', '/public/articles/{slug}', `/public/articles/${article.slug}?audience=bogus`, null, 400);
    await holds('get', '/public/articles/{slug}/versions', `/public/articles/${article.slug}/versions`, null, 200);
    await holds(
      'get',
      '/public/articles/{slug}/versions/{version}',
      `/public/articles/${article.slug}/versions/1`,
      null,
      200,
    );
    await holds('get', '/public/feed.json', '/public/feed.json', null, 200);
    await holds('get', '/public/editorial-policy', '/public/editorial-policy', null, 200);
    await holds('put', '/admin/editorial-policy', '/admin/editorial-policy', c.admin, 200, {
      body: '## How we review\n\nTwo board members approve every article.',
    });
    await holds('put', '/admin/editorial-policy', '/admin/editorial-policy', c.admin, 400, { body: '' });
    await holds('put', '/admin/editorial-policy', '/admin/editorial-policy', c.editor.token, 403, { body: 'x' });
    await holds('get', '/.well-known/jwks.json', '/.well-known/jwks.json', null, 200);
    await holds('get', '/admin/publication-keys', '/admin/publication-keys', c.admin, 200);
    await holds('post', '/admin/publication-keys/rotate', '/admin/publication-keys/rotate', c.admin, 200);
  });

  it('describes its error bodies', async () => {
    await holds('get', '/articles/{id}', '/articles/00000000-0000-4000-8000-000000000000', c.admin, 404);
    await holds('get', '/me', '/me', null, 401);
    await holds('post', '/auth/login', '/auth/login', null, 400, { email: 'x' });
    await holds('get', '/references/lookup', '/references/lookup?doi=not-a-doi', c.editor.token, 400);
    // The run's registries point at a closed port that is not allow-listed: the lookup cannot be made.
    await holds('get', '/references/lookup', '/references/lookup?doi=10.1021/am300292v', c.editor.token, 502);
    await holds('get', '/references/lookup', '/references/lookup?pmid=22222222', c.reviewers[0].token, 403);
  });
});
