import { DataSource } from 'typeorm';
import { dataSourceOptions, Tx } from '@imprimatur/database';
import { advisoryXactLock, exec, many, maybeOne, one, RowCountError } from '@imprimatur/database/sql';

/**
 * The statement helpers against PostgreSQL, and the TypeORM behaviour they hide. The data source has a
 * pool of one: a statement outside a transaction that kept its connection would make the next one wait
 * until the test times out, and the session's temporary table stays visible to every statement.
 */
describe('sql helpers (e2e)', () => {
  let dataSource: DataSource;
  let autocommit: Tx;

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? '', 1));
    await dataSource.initialize();
    autocommit = dataSource.manager;
    await dataSource.query('CREATE TEMP TABLE helper_rows (id int PRIMARY KEY, note text)');
  });

  afterAll(() => dataSource.destroy());

  beforeEach(async () => {
    await dataSource.query('TRUNCATE helper_rows');
    await dataSource.query(`INSERT INTO helper_rows VALUES (1, 'a'), (2, 'b'), (3, 'b')`);
  });

  it("pins down what TypeORM's plain query() answers for each kind of statement", async () => {
    // SELECT and INSERT: bare rows (an INSERT without RETURNING loses its count)…
    expect(await autocommit.query('SELECT id FROM helper_rows WHERE id = 1')).toEqual([{ id: 1 }]);
    expect(await autocommit.query(`INSERT INTO helper_rows VALUES (4, 'c') RETURNING id`)).toEqual([{ id: 4 }]);
    expect(await autocommit.query(`INSERT INTO helper_rows VALUES (5, 'c')`)).toEqual([]);
    // …UPDATE and DELETE: [rows, affected count], with or without RETURNING.
    expect(await autocommit.query(`UPDATE helper_rows SET note = 'd' WHERE id = 4 RETURNING id`)).toEqual([
      [{ id: 4 }],
      1,
    ]);
    expect(await autocommit.query(`DELETE FROM helper_rows WHERE note = 'c'`)).toEqual([[], 1]);
  });

  describe.each([
    ['outside a transaction', (work: (tx: Tx) => Promise<void>) => work(autocommit)],
    ['in a transaction', (work: (tx: Tx) => Promise<void>) => dataSource.transaction(work)],
  ])('%s', (_where, within) => {
    it('many answers the rows of a SELECT, INSERT, UPDATE or DELETE … RETURNING', () =>
      within(async (tx) => {
        expect(await many(tx, 'SELECT id FROM helper_rows WHERE note = $1 ORDER BY id', ['b'])).toEqual([
          { id: 2 },
          { id: 3 },
        ]);
        expect(await many(tx, 'SELECT id FROM helper_rows WHERE note = $1', ['none'])).toEqual([]);
        expect(await many(tx, `INSERT INTO helper_rows VALUES (4, 'c'), (5, 'c') RETURNING id`)).toEqual([
          { id: 4 },
          { id: 5 },
        ]);
        expect(await many(tx, `UPDATE helper_rows SET note = 'e' WHERE note = 'c' RETURNING id`)).toEqual([
          { id: 4 },
          { id: 5 },
        ]);
        expect(await many(tx, `DELETE FROM helper_rows WHERE note = 'e' RETURNING id`)).toEqual([{ id: 4 }, { id: 5 }]);
        expect(await many(tx, `UPDATE helper_rows SET note = 'e' WHERE id = 99 RETURNING id`)).toEqual([]);
      }));

    it('one answers the row, and refuses none or several', () =>
      within(async (tx) => {
        expect(await one(tx, 'SELECT count(*)::int AS n FROM helper_rows')).toEqual({ n: 3 });
        expect(await one(tx, `INSERT INTO helper_rows VALUES (4, 'c') RETURNING id, note`)).toEqual({
          id: 4,
          note: 'c',
        });
        expect(await one(tx, `UPDATE helper_rows SET note = 'd' WHERE id = 4 RETURNING note`)).toEqual({ note: 'd' });
        await expect(one(tx, 'SELECT id FROM helper_rows WHERE id = 99')).rejects.toBeInstanceOf(RowCountError);
        await expect(one(tx, `UPDATE helper_rows SET note = note WHERE note = 'b' RETURNING id`)).rejects.toThrow(
          'expected exactly 1 row, got 2 rows',
        );
      }));

    it('maybeOne answers the row or null, and refuses several', () =>
      within(async (tx) => {
        expect(await maybeOne(tx, 'SELECT note FROM helper_rows WHERE id = $1', [1])).toEqual({ note: 'a' });
        expect(await maybeOne(tx, 'SELECT note FROM helper_rows WHERE id = $1', [99])).toBeNull();
        expect(await maybeOne(tx, `UPDATE helper_rows SET note = 'z' WHERE id = 99 RETURNING id`)).toBeNull();
        expect(await maybeOne(tx, `DELETE FROM helper_rows WHERE id = 1 RETURNING id`)).toEqual({ id: 1 });
        await expect(maybeOne(tx, 'SELECT id FROM helper_rows')).rejects.toBeInstanceOf(RowCountError);
      }));

    it('exec answers the affected count of an INSERT, UPDATE or DELETE, and refuses rows', () =>
      within(async (tx) => {
        expect(await exec(tx, `INSERT INTO helper_rows VALUES (4, 'c'), (5, 'c')`)).toBe(2);
        expect(await exec(tx, `INSERT INTO helper_rows VALUES (5, 'c') ON CONFLICT DO NOTHING`)).toBe(0);
        expect(await exec(tx, `UPDATE helper_rows SET note = 'd' WHERE note = $1`, ['c'])).toBe(2);
        expect(await exec(tx, `UPDATE helper_rows SET note = 'd' WHERE id = 99`)).toBe(0);
        expect(await exec(tx, `DELETE FROM helper_rows WHERE note = 'd'`)).toBe(2);
        await expect(exec(tx, 'SELECT id FROM helper_rows')).rejects.toBeInstanceOf(RowCountError);
        await expect(exec(tx, `DELETE FROM helper_rows WHERE id = 1 RETURNING id`)).rejects.toBeInstanceOf(
          RowCountError,
        );
      }));
  });

  it('gives back the connection it takes outside a transaction, also when the statement fails', async () => {
    for (let i = 0; i < 5; i++)
      await expect(many(autocommit, 'SELECT * FROM no_such_table')).rejects.toThrow('no_such_table');
    expect(await one(autocommit, 'SELECT 1 AS ok')).toEqual({ ok: 1 });
  });

  it('holds an advisory lock until the transaction ends', async () => {
    // Below 2^32, so that pg_locks shows the key whole in objid.
    const key = 7_246_999;
    const held = (tx: Tx) =>
      one<{ held: boolean }>(
        tx,
        `SELECT count(*) > 0 AS held FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 AND objid = $1`,
        [key],
      );
    await dataSource.transaction(async (tx) => {
      await advisoryXactLock(tx, key);
      expect(await held(tx)).toEqual({ held: true });
    });
    expect(await held(autocommit)).toEqual({ held: false });
  });
});
