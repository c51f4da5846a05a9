import { Client } from 'pg';
import request from 'supertest';
import { checkCitations } from '@imprimatur/domain';
import { startApi, TestApi } from '../support/app';
import { auth, Cast, cast, createArticle, revisionOf, sampleContent, type StoredRevision } from '../support/articles';
import { sql } from '../support/db';

type Ref = StoredRevision['references'][number];

/** Contract §19: citations follow their references (keys, `renumber`, refusal of a silent re-point). */
describe('citations follow their references (e2e)', () => {
  let api: TestApi;
  let db: Client;
  let c: Cast;

  beforeAll(async () => {
    api = await startApi();
    db = await sql();
    c = await cast(api.http, 2);
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  /** Four references, each cited on its own and together, in the summary, the body and a patient variant. */
  const content = () =>
    sampleContent({
      summary: 'Surgery first [1]; then chemotherapy [3].',
      body: [
        'Surgery with clear margins [1].',
        'Radiotherapy for large tumours [2].',
        'Doxorubicin first line [3].',
        'Trabectedin after that [4].',
        'Taken together [1-4] and some of it [2, 4].',
      ].join('\n'),
      references: [
        { type: 'guideline', title: 'Guideline A', year: 2021, doi: '10.1000/a' },
        { type: 'research', title: 'Paper B', year: 2022, pmid: '222' },
        { type: 'research', title: 'Paper C', year: 2023, url: 'http://127.0.0.1:9/c' },
        { type: 'research', title: 'Paper D', year: 2024, doi: '10.1000/d' },
      ],
      variants: [{ audience: 'patient', body: 'An operation [1] and medicine [3, 4].' }],
    });

  const revise = (id: string, base: number, body: Record<string, unknown>, token = c.editor.token) =>
    request(api.http)
      .post(`/articles/${id}/revisions`)
      .set(auth(token))
      .send({ baseRevision: base, changeNote: 'references moved', ...body });

  /** The references a revision's markers cite, by key, marker by marker in every text. */
  const citedKeys = (r: StoredRevision): string[][] =>
    checkCitations({
      summary: r.summary,
      body: r.body,
      referenceCount: r.references.length,
      variants: r.variants,
    }).markers.map((m) => m.references.map((n) => r.references[n - 1]?.key ?? `missing ${n}`).sort());

  const withoutKeys = (refs: Ref[]) => refs.map(({ key: _key, ...ref }) => ref);
  const editable = (r: StoredRevision) => ({
    title: r.title,
    summary: r.summary,
    body: r.body,
    references: r.references,
    specialties: r.specialties,
    variants: r.variants.map((v) => ({ audience: v.audience, body: v.body, summary: v.summary, title: v.title })),
  });

  async function article() {
    const created = await createArticle(c, content());
    return { id: created.id, first: await revisionOf(c, created.id, 1) };
  }

  describe('keys', () => {
    it('are given to every reference and kept across revisions, sent back or not', async () => {
      const { id, first } = await article();
      const keys = first.references.map((r) => r.key);
      expect(keys).toHaveLength(4);
      for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(new Set(keys).size).toBe(4);

      // Sent without keys (a client that knows nothing of them), one title corrected: matched by identifier.
      const refs = withoutKeys(first.references);
      refs[1] = { ...refs[1], title: 'Paper B, corrected' };
      await revise(id, 1, { ...editable(first), references: refs }).expect(201);
      expect((await revisionOf(c, id, 2)).references.map((r) => r.key)).toEqual(keys);

      // Sent with keys, plus a new reference at the end: it gets a new key.
      const second = await revisionOf(c, id, 2);
      await revise(id, 2, {
        ...editable(second),
        references: [...second.references, { type: 'other', title: 'Paper E', url: 'http://127.0.0.1:9/e' }],
      }).expect(201);
      const third = await revisionOf(c, id, 3);
      expect(third.references.slice(0, 4).map((r) => r.key)).toEqual(keys);
      expect(third.references[4].key).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(keys).not.toContain(third.references[4].key);
    });

    it('refuses a key used twice and a malformed key (400, nothing saved)', async () => {
      const { id, first } = await article();
      const twice = first.references.map((r) => ({ ...r, key: 'same' }));
      const res = await revise(id, 1, { ...editable(first), references: twice }).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.details.fields['references.1.key']).toEqual(['is the key of an earlier reference']);
      const bad = await revise(id, 1, {
        ...editable(first),
        references: first.references.map((r, i) => (i === 0 ? { ...r, key: 'no spaces allowed' } : r)),
      }).expect(400);
      expect(bad.body.code).toBe('validation_failed');
      expect((await request(api.http).get(`/articles/${id}`).set(auth(c.admin))).body.currentRevision).toBe(1);
    });
  });

  describe('renumber: true', () => {
    it('keeps every marker on its reference when a reference moves up', async () => {
      const { id, first } = await article();
      const [a, b, cRef, d] = first.references;
      const res = await revise(id, 1, { ...editable(first), references: [a, d, b, cRef], renumber: true }).expect(201);
      expect(res.body.body).toBe(
        [
          'Surgery with clear margins [1].',
          'Radiotherapy for large tumours [3].',
          'Doxorubicin first line [4].',
          'Trabectedin after that [2].',
          'Taken together [1-4] and some of it [2, 3].',
        ].join('\n'),
      );
      expect(res.body.summary).toBe('Surgery first [1]; then chemotherapy [4].');
      expect(res.body.variants[0].body).toBe('An operation [1] and medicine [2, 4].');
      expect(citedKeys(await revisionOf(c, id, 2))).toEqual(citedKeys(first));

      const entry = await db.query<{ data: { renumberedMarkers?: number } }>(
        `SELECT data FROM audit_log WHERE article_id = $1 AND action = 'revision.created' ORDER BY seq DESC LIMIT 1`,
        [id],
      );
      expect(entry.rows[0].data.renumberedMarkers).toBe(6);
    });

    it('shifts every marker when a reference is inserted at the top', async () => {
      const { id, first } = await article();
      const inserted = { type: 'guideline', title: 'Newest guideline', year: 2026, doi: '10.1000/new' };
      await revise(id, 1, { ...editable(first), references: [inserted, ...first.references], renumber: true }).expect(
        201,
      );
      const second = await revisionOf(c, id, 2);
      expect(second.body).toContain('Surgery with clear margins [2].');
      expect(second.body).toContain('Taken together [2-5] and some of it [3, 5].');
      expect(citedKeys(second)).toEqual(citedKeys(first));
    });

    it('renumbers around a removed reference that nothing cites any more', async () => {
      const { id, first } = await article();
      const edited = editable(first);
      // The editor deletes the one sentence citing Paper B alone and drops B from the groups.
      edited.body = first.body
        .replace('Radiotherapy for large tumours [2].\n', '')
        .replace('[1-4] and some of it [2, 4]', '[1, 3, 4] and some of it [4]');
      const [a, , cRef, d] = first.references;
      await revise(id, 1, { ...edited, references: [a, cRef, d], renumber: true }).expect(201);
      const second = await revisionOf(c, id, 2);
      expect(second.body).toContain('Taken together [1-3] and some of it [3].');
      expect(second.body).toContain('Trabectedin after that [3].');
      expect(citedKeys(second)).toEqual(
        citedKeys(first)
          .filter((keys) => !(keys.length === 1 && keys[0] === first.references[1].key))
          .map((keys) => keys.filter((k) => k !== first.references[1].key)),
      );
    });

    it('refuses markers of a removed reference with 422 citation_errors, nothing saved', async () => {
      const { id, first } = await article();
      const [a, , cRef, d] = first.references;
      const res = await revise(id, 1, { ...editable(first), references: [a, cRef, d], renumber: true }).expect(422);
      expect(res.body.code).toBe('citation_errors');
      const removed = (res.body.details as { kind: string; marker: string; field: string; audience?: string }[]).filter(
        (p) => p.kind === 'removed_reference',
      );
      expect(removed.map((p) => [p.field, p.marker])).toEqual([
        ['body', '[2]'],
        ['body', '[1-4]'],
        ['body', '[2, 4]'],
      ]);
      expect(res.body.details[0].message).toContain('“Paper B”');
      expect((await request(api.http).get(`/articles/${id}`).set(auth(c.admin))).body.currentRevision).toBe(1);
    });

    it('follows references of a revision saved before keys, by their identifiers', async () => {
      const { id } = await article();
      // As saved before keys existed; revisions are immutable, so the test steps around the trigger.
      await db.query('BEGIN');
      await db.query('ALTER TABLE revisions DISABLE TRIGGER revisions_immutable');
      await db.query(
        `UPDATE revisions SET "references" = (SELECT jsonb_agg(r - 'key' ORDER BY i) FROM jsonb_array_elements("references") WITH ORDINALITY AS t(r, i))
          WHERE article_id = $1 AND number = 1`,
        [id],
      );
      await db.query('ALTER TABLE revisions ENABLE ALWAYS TRIGGER revisions_immutable');
      await db.query('COMMIT');
      const legacy = await revisionOf(c, id, 1);
      expect(legacy.references.every((r) => r.key === undefined)).toBe(true);
      const [a, b, cRef, d] = legacy.references;
      await revise(id, 1, { ...editable(legacy), references: [d, cRef, b, a], renumber: true }).expect(201);
      const second = await revisionOf(c, id, 2);
      expect(second.body).toContain('Surgery with clear margins [4].');
      expect(second.body).toContain('Trabectedin after that [1].');
      expect(second.references.every((r) => typeof r.key === 'string')).toBe(true);
    });

    it('saves and submits in one request, markers renumbered', async () => {
      const { id, first } = await article();
      const [a, b, cRef, d] = first.references;
      const res = await revise(id, 1, {
        ...editable(first),
        references: [b, a, cRef, d],
        renumber: true,
        submit: true,
      }).expect(201);
      expect(res.body.body).toContain('Surgery with clear margins [2].');
      expect((await request(api.http).get(`/articles/${id}`).set(auth(c.admin))).body.state).toBe('submitted');
    });
  });

  describe('without renumber', () => {
    it('refuses a reorder that would silently re-point unchanged markers (422, nothing saved)', async () => {
      const { id, first } = await article();
      const [a, b, cRef, d] = first.references;
      const res = await revise(id, 1, { ...editable(first), references: [a, cRef, b, d] }).expect(422);
      expect(res.body.code).toBe('citation_errors');
      const problems = res.body.details as { kind: string; marker: string; reference: number; message: string }[];
      expect(problems.every((p) => p.kind === 'repointed_marker')).toBe(true);
      expect(problems.find((p) => p.marker === '[2]')?.message).toBe(
        'Marker [2] cited reference 2 (“Paper B”) and would now cite reference 2 (“Paper C”), because that reference is now number 3: send renumber: true to keep markers on their references, or change the marker',
      );
      expect((await request(api.http).get(`/articles/${id}`).set(auth(c.admin))).body.currentRevision).toBe(1);
    });

    it('refuses a removal whose number now names the next reference', async () => {
      const { id, first } = await article();
      const [a, , cRef, d] = first.references;
      const res = await revise(id, 1, { ...editable(first), references: [a, cRef, d] }).expect(422);
      const problems = res.body.details as { marker: string; message: string }[];
      expect(problems.find((p) => p.marker === '[2]')?.message).toBe(
        'Marker [2] cited reference 2 (“Paper B”) and would now cite reference 2 (“Paper C”), because that reference was removed: send renumber: true to keep markers on their references, or change the marker',
      );
    });

    it('takes markers the editor renumbered as written', async () => {
      const { id, first } = await article();
      const [a, b, cRef, d] = first.references;
      const edited = editable(first);
      edited.body = edited.body
        .replace('tumours [2]', 'tumours [3]')
        .replace('line [3]', 'line [2]')
        .replace('[2, 4]', '[3, 4]');
      edited.summary = 'Surgery first [1]; then chemotherapy [2].';
      edited.variants[0].body = 'An operation [1] and medicine [2, 4].';
      await revise(id, 1, { ...edited, references: [a, cRef, b, d] }).expect(201);
      expect(citedKeys(await revisionOf(c, id, 2))).toEqual(citedKeys(first));
    });

    it('asks who may revise before it judges the markers (403 for a reviewer)', async () => {
      const { id, first } = await article();
      const [a, b, cRef, d] = first.references;
      const res = await revise(id, 1, { ...editable(first), references: [a, cRef, b, d] }, c.reviewers[0].token);
      expect(res.status).toBe(403);
    });
  });
});
