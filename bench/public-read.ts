/**
 * The readers' hot path: GET /public/articles/:slug (one primary-key lookup of a precomputed
 * document) and the same with If-None-Match (304), under autocannon load against the real API
 * (Fastify, Nest pipeline, logging at warn) on a throwaway database with 1,000 live articles.
 *
 * Run: npm run bench:public   (DATABASE_URL's server, REDIS_URL; PostgreSQL and Redis must be up)
 * Prints a JSON summary; the database is dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { loadConfig } from '@imprimatur/config';
import { prepareDatabase } from '@imprimatur/database';
import { createApiApp } from '../apps/api/src/app.factory';

const ARTICLES = 1_000;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = 20;

async function main(): Promise<void> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const name = `imprimatur_bench_public_${randomBytes(3).toString('hex')}`;
  base.pathname = `/${name}`;
  const databaseUrl = base.toString();
  await prepareDatabase(databaseUrl);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // Live documents as publishing writes them; the read path never looks further than this table.
    await db.query(`INSERT INTO users (email, name, password_hash, roles) VALUES ('bench@imprimatur.test', 'Bench', 'x', '{editor}')`);
    await db.query(
      `INSERT INTO articles (slug, state, author_id, current_revision, title)
       SELECT 'article-' || g, 'approved', (SELECT id FROM users LIMIT 1), 1, 'Article ' || g FROM generate_series(1, $1) g`,
      [ARTICLES],
    );
    const body = '## From the Guidelines\n\n' + 'Surgery with clear margins is the standard [1]. '.repeat(60);
    await db.query(
      `INSERT INTO public_articles (slug, article_id, version, document, etag, updated_at)
       SELECT a.slug, a.id, 1, jsonb_build_object('slug', a.slug, 'title', a.title, 'version', 1, 'body', $1::text, 'bodyHtml', '<p>' || $1::text || '</p>',
              'references', '[]'::jsonb, 'reviewStatus', 'approved'), '"' || md5(a.slug) || '-1"', now()
       FROM articles a`,
      [body],
    );
    const plan = await db.query(`EXPLAIN SELECT * FROM public_articles WHERE slug = 'article-500'`);

    const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', DOCS_ENABLED: 'false' });
    const app = await createApiApp(config);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = await app.getUrl();
    const etag = (await fetch(`${url}/public/articles/article-500`)).headers.get('etag') ?? '';

    let i = 0;
    const run = (title: string, headers: Record<string, string> = {}) =>
      autocannon({
        url,
        connections: CONNECTIONS,
        duration: DURATION_S,
        title,
        requests: [{ method: 'GET', headers, setupRequest: (req) => ({ ...req, path: `/public/articles/article-${(i++ % ARTICLES) + 1}` }) }],
      });
    const full = await run('200');
    const notModified = await autocannon({ url: `${url}/public/articles/article-500`, connections: CONNECTIONS, duration: DURATION_S, headers: { 'if-none-match': etag } });
    await app.close();

    const summary = (r: autocannon.Result) => ({
      requestsPerSecond: Math.round(r.requests.average),
      latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
      non2xx: r.non2xx,
      errors: r.errors,
    });
    const result = {
      machine: '2 cores',
      articles: ARTICLES,
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      queryPlan: plan.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join(' | '),
      live200: summary(full),
      conditional304: { ...summary(notModified), non2xx: notModified.non2xx, status304: notModified.statusCodeStats?.['304']?.count ?? null },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await db.end();
    const admin = new Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
