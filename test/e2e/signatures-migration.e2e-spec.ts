import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureDatabase } from '@imprimatur/database';
import { contentHash } from '@imprimatur/domain';
import { MIGRATIONS } from '@imprimatur/migrations';

/**
 * Migration 1764900000000-Signatures on a database that holds revisions and sign-offs written before
 * it: every revision gets its HTML and a hash of the §12 definition, sign-offs their manifestation.
 * Its own database (dropped with the run's by the global teardown, which drops every `<run>_*`).
 */
describe('the Signatures migration (e2e)', () => {
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `${url.pathname}_sigmig_${randomBytes(3).toString('hex')}`;
  let db: Client;

  const migrate = async (count: number) => {
    const source = new DataSource({ ...dataSourceOptions(url.toString(), 2), migrations: MIGRATIONS.slice(0, count) });
    await source.initialize();
    try {
      await source.runMigrations({ transaction: 'each' });
    } finally {
      await source.destroy();
    }
  };

  beforeAll(async () => {
    await ensureDatabase(url.toString());
    const before = MIGRATIONS.findIndex((m) => m.name === 'Signatures1764900000000');
    expect(before).toBeGreaterThan(0);
    await migrate(before);
    db = new Client({ connectionString: url.toString() });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
  });

  it('renders and hashes earlier revisions, and credits earlier sign-offs with their revision’s hash', async () => {
    const users = await db.query<{ id: string }>(
      `INSERT INTO users (email, name, password_hash, roles, credentials) VALUES
         ('ed@imprimatur.test', 'Ed Itor', 'x', '{editor}', NULL),
         ('ada@imprimatur.test', 'Dr Ada Lovelace', 'x', '{reviewer}', 'MD')
       RETURNING id`,
    );
    const [editor, reviewer] = users.rows.map((r) => r.id);
    const article = await db.query<{ id: string }>(
      `INSERT INTO articles (slug, state, author_id, current_revision, title)
       VALUES ('old-article', 'under_review', $1, 1, 'Old article') RETURNING id`,
      [editor],
    );
    const articleId = article.rows[0].id;
    const references = [
      { type: 'guideline', title: 'G', source: null, year: 2021, url: 'https://example.org/g', doi: null, pmid: null },
    ];
    await db.query(
      `INSERT INTO revisions (article_id, number, title, summary, body, "references", specialties, author_id, content_hash)
       VALUES ($1, 1, 'Old article', 'Short [1].', $2, $3, '{oncology}', $4, repeat('0', 64))`,
      [articleId, '## From the Guidelines\n\nSurgery first [1].', JSON.stringify(references), editor],
    );
    await db.query(`INSERT INTO signoffs (article_id, revision, reviewer_id, decision) VALUES ($1, 1, $2, 'approve')`, [
      articleId,
      reviewer,
    ]);

    await migrate(MIGRATIONS.length);

    const revision = (await db.query(`SELECT * FROM revisions WHERE article_id = $1`, [articleId])).rows[0];
    expect(revision.body_html).toContain('<h2');
    expect(revision.body_html).toContain('href="#ref-1"');
    expect(revision.summary_html).toContain('<p>Short');
    const expected = contentHash(
      {
        title: revision.title,
        summary: revision.summary,
        body: revision.body,
        references: revision.references,
        specialties: revision.specialties,
        reviewIntervalDays: revision.review_interval_days,
        variants: revision.variants,
      },
      { summaryHtml: revision.summary_html, bodyHtml: revision.body_html, variants: revision.variants_html },
    );
    expect(revision.content_hash).toBe(expected);
    const current = await db.query(`SELECT current_content_hash FROM articles WHERE id = $1`, [articleId]);
    expect(current.rows[0].current_content_hash).toBe(expected);

    const signoff = (await db.query(`SELECT * FROM signoffs WHERE article_id = $1`, [articleId])).rows[0];
    expect(signoff).toMatchObject({
      status: 'counted',
      content_hash: expected,
      reviewer_name: 'Dr Ada Lovelace',
      reviewer_credentials: 'MD',
    });
    // Immutable again once migrated.
    await expect(db.query(`UPDATE revisions SET body = 'x' WHERE article_id = $1`, [articleId])).rejects.toThrow(
      /immutable/,
    );
    await expect(db.query(`DELETE FROM signoffs WHERE article_id = $1`, [articleId])).rejects.toThrow(/signatures/);
  });
});
