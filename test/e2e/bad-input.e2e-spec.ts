import { JwtService } from '@nestjs/jwt';
import { AddressInfo, connect } from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import { INT4_MAX } from '@imprimatur/domain';
import { MAX_JSON_DEPTH } from '../../apps/api/src/http/input-limits';
import { publishAsWorker, startApi, TestApi } from '../support/app';
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
import { sql } from '../support/db';

const ERROR_KEYS = ['statusCode', 'error', 'code', 'message'];
const UNSTORABLE = 'must not contain NUL (\\u0000) or an unpaired UTF-16 surrogate';
const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\ud800b';
const HUGE = '99999999999999999999';
const deepJson = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const cursorOf = (...key: unknown[]) => Buffer.from(JSON.stringify(['v1', ...key])).toString('base64url');
/** Well-encoded cursors (valid base64url of a v1 JSON array) holding what no page of ours wrote. */
const TAMPERED_CURSORS = [
  cursorOf('not-a-date', '00000000-0000-4000-8000-000000000000'),
  cursorOf('2026-11-28T00:00:00.000Z', "x' OR '1'='1"),
  cursorOf('2026-02-30T00:00:00.000Z', 'slug'),
  cursorOf(INT4_MAX + 1),
  cursorOf(1e300),
  cursorOf(-1),
  cursorOf('a\u0000b'),
  cursorOf('2026-11-28T00:00:00.000Z'),
];

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes bytes no HTTP client would send and reads every response until the server closes. */
function rawHttp(port: number, data: string | Buffer): Promise<RawResponse[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 5_000);
    socket.on('data', (d) => chunks.push(d));
    // A server that closes while our request is still arriving may reset the connection after its
    // answer: what arrived before the reset is the answer.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      let text = Buffer.concat(chunks).toString('utf8');
      const responses: RawResponse[] = [];
      while (text.startsWith('HTTP/1.1 ')) {
        const end = text.indexOf('\r\n\r\n');
        const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
        const headers = Object.fromEntries(
          lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
        );
        const length = Number(headers['content-length'] ?? 0);
        responses.push({
          status: Number(statusLine.split(' ')[1]),
          headers,
          body: text.slice(end + 4, end + 4 + length),
        });
        text = text.slice(end + 4 + length);
      }
      resolve(responses);
    });
    socket.write(data);
  });
}

describe('bad input is a 4xx in the contract body, never a 500 (e2e)', () => {
  let api: TestApi;
  let port: number;
  let db: Client;
  let c: Cast;
  /** Real rows, so that each route gets past "not found" to the code that reads its parameters. */
  const real = { article: '', comment: '', webhook: '', user: '', slug: '' };

  beforeAll(async () => {
    api = await startApi();
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    port = (api.app.getHttpServer().address() as AddressInfo).port;
    db = await sql();
    c = await cast(api.http, 2);
    real.user = c.editor.id;

    // A published article: its slug has versions to page through.
    const published = await underReview(c);
    await setWorkerChecks(published.id, 'passed');
    await signoff(c, published.id, 0, { decision: 'approve', revision: 1 }).expect(201);
    await signoff(c, published.id, 1, { decision: 'approve', revision: 1 }).expect(201);
    const approval = (
      await db.query(`SELECT payload FROM outbox WHERE name = 'article.approved' AND payload->>'articleId' = $1`, [
        published.id,
      ])
    ).rows[0].payload;
    await publishAsWorker(api, approval);
    real.slug = published.slug;

    const article = await createArticle(c);
    real.article = article.id;
    const comment = await request(api.http)
      .post(`/articles/${article.id}/comments`)
      .set(auth(c.editor.token))
      .send({ body: 'A note' })
      .expect(201);
    real.comment = comment.body.id;
    const webhook = await request(api.http)
      .post('/webhooks')
      .set(auth(c.admin))
      .send({ url: 'https://hooks.example/bad-input', events: ['article.published'] })
      .expect(201);
    real.webhook = webhook.body.id;
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  const http = () => request(api.http);
  const json = (req: request.Test, text: string) => req.set('content-type', 'application/json').send(text);

  describe('text PostgreSQL cannot store', () => {
    it('refuses NUL in a JSON string, naming the field, even deep in the body', async () => {
      const res = await json(
        http().post('/articles').set(auth(c.editor.token)),
        JSON.stringify(sampleContent({ references: [{ type: 'guideline', title: NUL, url: 'https://x.example' }] })),
      ).expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'validation_failed',
        message: `references.0.title ${UNSTORABLE}`,
        details: { fields: { 'references.0.title': [UNSTORABLE] } },
      });
    });

    it('refuses NUL in a JSON key, and an escaped lone surrogate', async () => {
      const key = await json(http().post('/users').set(auth(c.admin)), JSON.stringify({ [NUL]: 1 })).expect(400);
      expect(key.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'validation_failed',
        message: `(body) ${UNSTORABLE}`,
        details: { fields: { '(body)': [UNSTORABLE] } },
      });
      // JSON.stringify escapes the lone surrogate: the body on the wire is "name":"a\ud800b".
      const text = JSON.stringify({
        email: 'x@example.org',
        name: LONE_SURROGATE,
        password: 'a-long-enough-password',
        roles: ['editor'],
      });
      expect(text).toContain('\\ud800');
      const surrogate = await json(http().post('/users').set(auth(c.admin)), text).expect(400);
      expect(surrogate.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'validation_failed',
        message: `name ${UNSTORABLE}`,
        details: { fields: { name: [UNSTORABLE] } },
      });
      // A paired surrogate (an emoji) is ordinary text.
      const emoji = await json(
        http().post('/users').set(auth(c.admin)),
        JSON.stringify({ email: 'x', name: '\ud83d\ude00' }),
      ).expect(400);
      expect(Object.keys(emoji.body.details.fields)).not.toContain('name');
    });

    it('refuses NUL and encoded lone surrogates in query and path parameters', async () => {
      const query = await http().get('/articles?q=a%00b').set(auth(c.admin)).expect(400);
      expect(query.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'validation_failed',
        message: `The query parameter q must be percent-encoded UTF-8 and ${UNSTORABLE}`,
        details: { fields: { q: [UNSTORABLE] } },
      });
      const surrogate = await http().get('/articles?q=a%ED%A0%80b').set(auth(c.admin)).expect(400);
      expect(surrogate.body).toMatchObject({
        statusCode: 400,
        code: 'validation_failed',
        details: { fields: { q: [UNSTORABLE] } },
      });
      const path = await http().get('/users/a%00b').set(auth(c.admin)).expect(400);
      expect(path.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'validation_failed',
        message: `The path must be percent-encoded UTF-8 and ${UNSTORABLE}`,
        details: { fields: { path: [UNSTORABLE] } },
      });
      const badEscape = await http().get('/read/a%E0%A4%A').expect(400);
      expect(badEscape.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'validation_failed',
        message: 'The path must be percent-encoded UTF-8',
        details: { fields: { path: ['is not percent-encoded UTF-8'] } },
      });
      // Raw bytes of a surrogate (not percent-encoded) never get past Node's HTTP parser.
      const [rawBytes] = await rawHttp(
        port,
        Buffer.concat([
          Buffer.from('GET /articles?q='),
          Buffer.from([0xed, 0xa0, 0x80]),
          Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n'),
        ]),
      );
      expect(rawBytes.status).toBe(400);
      expect(JSON.parse(rawBytes.body)).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'validation_failed',
        message: 'The request is not valid HTTP/1.1',
      });
    });
  });

  it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels before parsing it`, async () => {
    for (const text of [
      deepJson(50_000),
      '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
      deepJson(MAX_JSON_DEPTH + 1),
    ]) {
      const res = await json(http().post('/users').set(auth(c.admin)), text).expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'validation_failed',
        message: `Request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`,
      });
    }
    // Brackets inside strings do not count; the limit itself passes the parser and meets validation.
    const inString = await json(
      http().post('/users').set(auth(c.admin)),
      JSON.stringify({ name: '['.repeat(1000) }),
    ).expect(400);
    expect(inString.body.message).toMatch(/^Invalid request/);
    const atLimit = await json(http().post('/users').set(auth(c.admin)), deepJson(MAX_JSON_DEPTH)).expect(400);
    expect(atLimit.body.message).not.toMatch(/nests/);
  });

  it('refuses tampered but well-encoded cursors with 400 validation_failed', async () => {
    const malformed = {
      statusCode: 400,
      error: 'Bad Request',
      code: 'validation_failed',
      message: 'cursor is malformed',
      details: { fields: { cursor: ['is malformed'] } },
    };
    const res = await http()
      .get('/public/articles')
      .query({ cursor: cursorOf('2026-13-45T00:00:00.000Z', 'slug') })
      .expect(400);
    expect(res.body).toEqual(malformed);
    expect(
      (
        await http()
          .get(`/public/articles/${real.slug}/versions`)
          .query({ cursor: cursorOf(INT4_MAX + 1) })
          .expect(400)
      ).body,
    ).toEqual(malformed);
    expect(
      (
        await http()
          .get('/webhooks')
          .set(auth(c.admin))
          .query({ cursor: cursorOf('2026-11-28T00:00:00.000Z', 'not-a-uuid') })
          .expect(400)
      ).body,
    ).toEqual(malformed);
    expect(
      (
        await http()
          .get('/audit')
          .set(auth(c.admin))
          .query({ cursor: cursorOf(1e300) })
          .expect(400)
      ).body,
    ).toEqual(malformed);
    // Callers that still decode a date and a UUID as plain strings: the database's refusal is a 400 too.
    for (const path of [
      '/articles',
      '/users',
      `/articles/${real.article}/comments`,
      `/articles/${real.article}/revisions`,
    ]) {
      for (const cursor of TAMPERED_CURSORS) {
        const tampered = await http().get(path).set(auth(c.admin)).query({ cursor });
        expect([path, tampered.status, tampered.body.code]).toEqual([path, 400, 'validation_failed']);
      }
    }
  });

  it('refuses integers beyond the column range in paths and queries with 400 validation_failed', async () => {
    const path = await http().get(`/articles/${real.article}/revisions/${HUGE}`).set(auth(c.admin)).expect(400);
    expect(path.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'validation_failed',
      message: `n must be a whole number from 1 to ${INT4_MAX}`,
      details: { fields: { n: [`must be a whole number from 1 to ${INT4_MAX}`] } },
    });
    await http().get(`/articles/${real.article}/revisions/${INT4_MAX}`).set(auth(c.admin)).expect(404);
    for (const n of [String(INT4_MAX + 1), '0', '-1', '1.5', '1e10', 'one']) {
      await http().get(`/articles/${real.article}/revisions/${n}`).set(auth(c.admin)).expect(400);
    }
    const version = await http().get(`/public/articles/${real.slug}/versions/${HUGE}`).expect(400);
    expect(version.body.details).toEqual({ fields: { version: [`must be a whole number from 1 to ${INT4_MAX}`] } });
    const diff = await http()
      .get(`/articles/${real.article}/diff`)
      .query({ from: 1, to: HUGE })
      .set(auth(c.admin))
      .expect(400);
    expect(diff.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'validation_failed',
      message: 'Invalid request: to',
      details: { fields: { to: [`to must not be greater than ${INT4_MAX}`] } },
    });
    await http().get(`/articles/${real.article}/diff`).query({ from: HUGE, to: 1 }).set(auth(c.admin)).expect(400);
    await http().get(`/articles/${real.article}/checks`).query({ revision: HUGE }).set(auth(c.admin)).expect(400);
    const limit = await http().get('/articles').query({ limit: HUGE }).set(auth(c.admin)).expect(400);
    expect(limit.body.details.fields).toEqual({ limit: ['limit must not be greater than 100'] });
  });

  describe('Content-Length and URL length', () => {
    const body = '{"email":"a@example.org","password":"x"}';
    const post = (contentLength: string, extra = '') =>
      `POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n${extra}\r\n${body}`;
    const BAD_LENGTH = {
      statusCode: 400,
      error: 'Bad Request',
      code: 'validation_failed',
      message: 'Content-Length must be one decimal number of bytes, and not sent with Transfer-Encoding',
    };

    it.each([
      ['not a number', post('abc')],
      ['negative', post('-1')],
      ['given twice, differently', post(String(body.length), `Content-Length: ${body.length + 1}\r\n`)],
      ['sent with Transfer-Encoding', post(String(body.length), 'Transfer-Encoding: chunked\r\n')],
    ])(
      'answers a Content-Length that is %s with 400 in the contract body and the security headers',
      async (_, bytes) => {
        const [res, ...rest] = await rawHttp(port, bytes);
        expect(rest).toEqual([]);
        expect(res.status).toBe(400);
        expect(JSON.parse(res.body)).toEqual(BAD_LENGTH);
        expect(res.headers).toMatchObject({
          'content-type': 'application/json; charset=utf-8',
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
        });
      },
    );

    it('answers a Content-Length smaller or larger than the body with 400 in the contract body', async () => {
      // Smaller: the rest of the body is read as a next request, which is not HTTP.
      const smaller = await rawHttp(port, post('10'));
      expect(smaller.length).toBeGreaterThan(0);
      for (const res of smaller) {
        expect(res.status).toBe(400);
        expect(Object.keys(JSON.parse(res.body))).toEqual(expect.arrayContaining(ERROR_KEYS));
        expect(JSON.parse(res.body).code).toBe('validation_failed');
      }
      // Larger: the client stops sending; the body never completes.
      const larger = await new Promise<RawResponse[]>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(post('100')));
        const chunks: Buffer[] = [];
        socket.on('data', (d) => chunks.push(d));
        socket.on('error', reject);
        socket.on('close', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve(
            text
              ? [{ status: Number(text.split(' ')[1]), headers: {}, body: text.slice(text.indexOf('\r\n\r\n') + 4) }]
              : [],
          );
        });
      });
      expect(larger).toHaveLength(1);
      expect(larger[0].status).toBe(400);
      expect(JSON.parse(larger[0].body)).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'validation_failed',
        message: 'The request is not valid HTTP/1.1',
      });
    });

    it('answers an over-long URL with 414 uri_too_long, whether Fastify or the HTTP parser sees it first', async () => {
      const TOO_LONG = {
        statusCode: 414,
        error: 'URI Too Long',
        code: 'uri_too_long',
        message: 'The URL is longer than 8192 characters',
      };
      const res = await http()
        .get(`/articles?q=${'a'.repeat(9000)}`)
        .set(auth(c.admin))
        .expect(414);
      expect(res.body).toEqual(TOO_LONG);
      const [parser] = await rawHttp(port, `GET /articles?q=${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(parser.status).toBe(414);
      expect(JSON.parse(parser.body)).toEqual(TOO_LONG);
      const [headers] = await rawHttp(
        port,
        `GET /articles HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(70_000)}\r\n\r\n`,
      );
      expect(headers.status).toBe(431);
      expect(JSON.parse(headers.body)).toEqual({
        statusCode: 431,
        error: 'Request Header Fields Too Large',
        code: 'header_fields_too_large',
        message: 'The request headers are too large',
      });
      // A long path parameter reaches the handler, which names it.
      const slug = await http()
        .get(`/public/articles/${'a'.repeat(500)}`)
        .expect(400);
      expect(slug.body.details).toEqual({ fields: { slug: ['must be kebab-case'] } });
    });
  });

  describe('JSON only', () => {
    const UNSUPPORTED = (contentType: string) => ({
      statusCode: 415,
      error: 'Unsupported Media Type',
      code: 'unsupported_media_type',
      message: 'Send the request body as JSON with Content-Type: application/json',
      details: { contentType },
    });
    const credentials = { email: 'admin@imprimatur.test', password: 'admin-password-for-tests' };

    it('refuses an HTML form (urlencoded, multipart, text/plain) and any other non-JSON body with 415', async () => {
      const form = await http().post('/auth/login').type('form').send(credentials).expect(415);
      expect(form.body).toEqual(UNSUPPORTED('application/x-www-form-urlencoded'));
      const multipart = await http()
        .post('/auth/login')
        .field('email', credentials.email)
        .field('password', credentials.password)
        .expect(415);
      expect(multipart.body).toEqual({
        ...UNSUPPORTED(''),
        details: { contentType: expect.stringMatching(/^multipart\/form-data; boundary=/) },
      });
      const text = await http()
        .post('/auth/login')
        .set('content-type', 'text/plain')
        .send(`email=${credentials.email}\r\npassword=${credentials.password}`)
        .expect(415);
      expect(text.body).toEqual(UNSUPPORTED('text/plain'));
      for (const type of ['application/xml', 'application/jsonx', 'text/json', 'application/octet-stream']) {
        const res = await http().post('/users').set(auth(c.admin)).set('content-type', type).send('{}').expect(415);
        expect(res.body).toEqual(UNSUPPORTED(type));
      }
      const [untyped] = await rawHttp(
        port,
        `POST /auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}`,
      );
      expect([untyped.status, JSON.parse(untyped.body).code]).toEqual([415, 'unsupported_media_type']);
      await json(http().post('/auth/login').set('x-forwarded-for', '198.18.77.7'), JSON.stringify(credentials)).expect(
        200,
      );
      await http()
        .post('/auth/login')
        .set('x-forwarded-for', '198.18.77.7')
        .set('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify(credentials))
        .expect(200);
    });

    it('refuses unknown fields on routes that take no body; none or {} is fine', async () => {
      const submitted = await createArticle(c);
      await http()
        .put(`/articles/${submitted.id}/reviewers`)
        .set(auth(c.admin))
        .send({ reviewerIds: c.reviewers.map((r) => r.id) })
        .expect(200);
      await http().post(`/articles/${submitted.id}/submit`).set(auth(c.editor.token)).send({}).expect(200);
      const reviewer = auth(c.reviewers[0].token);
      const res = await http()
        .post(`/articles/${submitted.id}/start-review`)
        .set(reviewer)
        .send({ note: 'starting' })
        .expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'validation_failed',
        message: 'Invalid request: note',
        details: { fields: { note: ['is not an allowed field'] } },
      });
      for (const text of ['[]', 'null', '"x"', '1']) {
        const shape = await json(http().post(`/articles/${submitted.id}/start-review`).set(reviewer), text).expect(400);
        expect(shape.body.details).toEqual({
          fields: { '(body)': ['must be absent or {}: this route takes no body'] },
        });
      }
      await http().post(`/articles/${submitted.id}/start-review`).set(reviewer).send({}).expect(200);
      await http()
        .post(`/articles/${submitted.id}/withdraw`)
        .set(auth(c.editor.token))
        .send({ reason: 'x' })
        .expect(400);
      await http().post(`/articles/${submitted.id}/withdraw`).set(auth(c.editor.token)).expect(200);
      await http().post(`/articles/${real.article}/checks/run`).set(auth(c.admin)).send({ force: true }).expect(400);
      await http().post(`/articles/${real.article}/checks/run`).set(auth(c.admin)).expect(202);
      await http()
        .post(`/articles/${real.article}/comments/${real.comment}/resolve`)
        .set(auth(c.admin))
        .send({ resolved: true })
        .expect(400);
      await http().delete(`/webhooks/${real.webhook}`).set(auth(c.admin)).send({ hard: true }).expect(400);
    });
  });

  it('refuses a signed token without exp with 401 unauthenticated', async () => {
    const jwt = new JwtService({ secret: process.env.JWT_SECRET });
    const claims = jwt.decode<{ sub: string; ver: number; exp: number; iat: number }>(c.admin);
    const forever = jwt.sign({ sub: claims.sub, ver: claims.ver }, { algorithm: 'HS256' });
    expect(jwt.decode<Record<string, unknown>>(forever)).not.toHaveProperty('exp');
    const res = await http().get('/me').set(auth(forever)).expect(401);
    expect(res.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'unauthenticated',
      message: 'Access token is invalid or expired',
    });
    // The same claims with an expiry are accepted: exp is what was missing.
    await http()
      .get('/me')
      .set(auth(jwt.sign({ sub: claims.sub, ver: claims.ver }, { algorithm: 'HS256', expiresIn: 60 })))
      .expect(200);
  });

  it.each([
    '10.1000/../../admin',
    '10.1000/./x',
    '10.1000/a/../b',
    '10.1000/a/..',
    '10.1000/%2e%2e/admin',
    '10.1000/..\\admin',
  ])('refuses the DOI %s (a . or .. path segment) naming the field', async (doi) => {
    const content = sampleContent({ references: [{ type: 'research', title: 'A paper', doi }] });
    const res = await http().post('/articles').set(auth(c.editor.token)).send(content).expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'validation_failed',
      message: 'Invalid request: references.0.doi',
      details: { fields: { 'references.0.doi': ['doi must not contain . or .. path segments'] } },
    });
  });

  it('accepts DOIs with dots inside segments, and refuses a pmid that is not digits', async () => {
    const ok = sampleContent({ references: [{ type: 'research', title: 'A paper', doi: '10.1000/j.x..y/...' }] });
    await http().post('/articles').set(auth(c.editor.token)).send(ok).expect(201);
    const pmid = await http()
      .post('/articles')
      .set(auth(c.editor.token))
      .send(sampleContent({ references: [{ type: 'research', title: 'A paper', pmid: '12/../3' }] }))
      .expect(400);
    expect(pmid.body.details.fields).toEqual({ 'references.0.pmid': ['pmid must be a PubMed id (digits)'] });
  });

  /**
   * Every route of the OpenAPI document, fed with bad input in each of its parameters and body
   * fields, as an admin: no answer may be a 5xx, and every error must be in the contract's body.
   */
  it('walks every route of the OpenAPI document with bad input and never gets a 5xx', async () => {
    type Schema = {
      type?: string;
      $ref?: string;
      properties?: Record<string, Schema>;
      items?: Schema;
      enum?: string[];
    };
    type Parameter = { name: string; in: 'path' | 'query'; required?: boolean; schema: Schema };
    type Operation = {
      parameters?: Parameter[];
      requestBody?: { content: Record<string, { schema: Schema }> };
      responses: Record<string, { content?: Record<string, unknown> }>;
    };
    const doc = (await http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, Schema> };
    };
    const resolve = (schema: Schema): Schema =>
      schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop() ?? ''] : schema;
    const isNumber = (schema: Schema) => schema.type === 'integer' || schema.type === 'number';

    /** Dotted paths of the string and integer fields of a body schema, through arrays and nested objects. */
    const fields = (schema: Schema, prefix = '', depth = 0): { path: string[]; kind: 'string' | 'integer' }[] => {
      const props = resolve(schema).properties ?? {};
      return Object.entries(props).flatMap(([name, raw]) => {
        const prop = resolve(raw);
        const here = [...(prefix ? prefix.split('.') : []), name];
        if (prop.type === 'string') return [{ path: here, kind: 'string' as const }];
        if (isNumber(prop)) return [{ path: here, kind: 'integer' as const }];
        if (prop.type === 'array' && prop.items) {
          const item = resolve(prop.items);
          if (item.type === 'string') return [{ path: [...here, '0'], kind: 'string' as const }];
          if (depth < 2) return fields(item, [...here, '0'].join('.'), depth + 1);
        }
        if (prop.type === 'object' && depth < 2) return fields(prop, here.join('.'), depth + 1);
        return [];
      });
    };
    /** A body with `value` at `path` (arrays where the path has an index). */
    const bodyWith = (path: string[], value: unknown): unknown => {
      const [head, ...rest] = path;
      const inner = rest.length ? bodyWith(rest, value) : value;
      return /^\d+$/.test(head) ? [inner] : { [head]: inner };
    };

    const pathValue = (route: string, name: string, schema: Schema): string => {
      if (isNumber(schema)) return '1';
      if (name === 'slug') return real.slug;
      if (name === 'commentId') return real.comment;
      if (route.startsWith('/users')) return real.user;
      if (route.startsWith('/webhooks')) return real.webhook;
      return real.article;
    };
    const queryValue = (schema: Schema) => (isNumber(schema) ? '1' : schema.enum ? schema.enum[0] : 'x');

    /** expect400: the input is refused whatever the route; cursor: refused with 400, or (if it happens to fit the route's key) answered. */
    type Case = { label: string; method: string; url: string; body?: string; expect400?: boolean; cursor?: boolean };
    const cases: Case[] = [];
    let routes = 0;
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        routes++;
        const params = operation.parameters ?? [];
        const base: Record<string, string> = Object.fromEntries(
          params
            .filter((p) => p.in === 'path')
            .map((p) => [p.name, encodeURIComponent(pathValue(template, p.name, p.schema))]),
        );
        const required = params
          .filter((p) => p.in === 'query' && p.required)
          .map((p) => `${p.name}=${encodeURIComponent(queryValue(p.schema))}`);
        const url = (path: Record<string, string>, query: string[] = []) => {
          const filled = template.replace(/\{(\w+)\}/g, (_, name: string) => path[name]);
          const all = [...required.filter((q) => !query.some((v) => v.split('=')[0] === q.split('=')[0])), ...query];
          return all.length ? `${filled}?${all.join('&')}` : filled;
        };
        const add = (label: string, target: string, extra: Partial<Case> = {}) =>
          cases.push({ label: `${method.toUpperCase()} ${template} ${label}`, method, url: target, ...extra });

        for (const p of params) {
          const bad = [
            ['NUL', 'a%00b'],
            ['a lone surrogate', 'a%ED%A0%80b'],
            ['a broken escape', 'a%E0%A4%A'],
          ];
          if (isNumber(p.schema))
            bad.push(
              ['a huge integer', HUGE],
              ['a negative integer', '-1'],
              ['a fraction', '1.5'],
              ['an exponent', '1e400'],
            );
          for (const [what, value] of bad) {
            if (p.in === 'path') add(`${p.name}=${what}`, url({ ...base, [p.name]: value }), { expect400: true });
            else add(`?${p.name}=${what}`, url(base, [`${p.name}=${value}`]), { expect400: true });
          }
          if (p.name === 'cursor')
            TAMPERED_CURSORS.forEach((cursor, i) =>
              add(`?cursor=tampered ${i}`, url(base, [`cursor=${cursor}`]), { cursor: true }),
            );
        }

        if (!['post', 'put', 'patch', 'delete'].includes(method)) {
          add('plain', url(base));
          continue;
        }
        const schema = operation.requestBody?.content['application/json']?.schema;
        if (!schema) {
          add('with an unknown field although it takes no body', url(base), {
            body: JSON.stringify({ unexpected: true }),
          });
        }
        for (const field of schema ? fields(schema) : []) {
          if (field.kind === 'string') {
            add(`body ${field.path.join('.')}=NUL`, url(base), {
              body: JSON.stringify(bodyWith(field.path, NUL)),
              expect400: true,
            });
            add(`body ${field.path.join('.')}=lone surrogate`, url(base), {
              body: JSON.stringify(bodyWith(field.path, LONE_SURROGATE)),
              expect400: true,
            });
          } else {
            add(`body ${field.path.join('.')}=huge`, url(base), { body: JSON.stringify(bodyWith(field.path, 1e20)) });
            add(`body ${field.path.join('.')}=1e400`, url(base), {
              body: JSON.stringify(bodyWith(field.path, 0)).replace(/0(?=[\]}]*$)/, '1e400'),
            });
          }
        }
        add('body nested 50,000 levels', url(base), { body: deepJson(50_000), expect400: true });
        add('body with a NUL key', url(base), { body: JSON.stringify({ [NUL]: 'x' }), expect400: true });
        for (const shape of ['null', '[]', '"text"', '42', '[{}]', '{"__proto__":{"x":1}}'])
          add(`body ${shape}`, url(base), { body: shape });
        add('a form body', url(base), { body: 'a=b' });
      }
    }
    expect(routes).toBeGreaterThanOrEqual(44);

    const failures: string[] = [];
    const htmlAllowed = (template: string, method: string, status: number) =>
      Boolean(doc.paths[template]?.[method]?.responses[String(status)]?.content?.['text/html']);
    for (const kase of cases) {
      let req = request(api.http)[kase.method as 'get'](kase.url).set(auth(c.admin));
      if (kase.body !== undefined)
        req = req
          .set(
            'content-type',
            kase.label.endsWith('a form body') ? 'application/x-www-form-urlencoded' : 'application/json',
          )
          .send(kase.body);
      const res = await req;
      const template = kase.label.split(' ')[1];
      if (res.status >= 500) failures.push(`${kase.label}: ${res.status} ${res.text.slice(0, 200)}`);
      else if (
        (kase.expect400 || (kase.cursor && res.status !== 200)) &&
        (res.status !== 400 || res.body.code !== 'validation_failed')
      ) {
        failures.push(`${kase.label}: wanted 400 validation_failed, got ${res.status} ${res.text.slice(0, 200)}`);
      } else if (
        res.status >= 400 &&
        !(String(res.headers['content-type']).startsWith('text/html') && htmlAllowed(template, kase.method, res.status))
      ) {
        const shaped =
          ERROR_KEYS.every((key) => key in (res.body as object)) &&
          res.body.statusCode === res.status &&
          typeof res.body.code === 'string' &&
          typeof res.body.message === 'string';
        if (!shaped)
          failures.push(`${kase.label}: ${res.status} not in the contract's error body: ${res.text.slice(0, 200)}`);
      }
    }
    expect(cases.length).toBeGreaterThan(400);
    expect(failures).toEqual([]);
  });
});
