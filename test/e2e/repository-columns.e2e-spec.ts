import { Client } from 'pg';
import * as database from '@imprimatur/database';
import { TableColumns } from '@imprimatur/database';
import { sql } from '../support/db';

/** Tables that no repository reads: TypeORM's own bookkeeping. */
const NOT_READ_BY_REPOSITORIES = ['migrations'];

/** Every column declaration the database lib exports (each repository exports one per table it reads). */
const declarations = Object.entries(database).flatMap(([name, value]) =>
  value instanceof TableColumns ? [{ name, columns: value as TableColumns<unknown> }] : [],
);

describe('repository column lists (e2e)', () => {
  let db: Client;
  let schema: Map<string, string[]>;

  beforeAll(async () => {
    db = await sql();
    const { rows } = await db.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
    );
    schema = new Map();
    for (const r of rows) schema.set(r.table_name, [...(schema.get(r.table_name) ?? []), r.column_name]);
  });

  afterAll(() => db.end());

  it('finds the declarations', () => {
    expect(declarations.length).toBeGreaterThan(10);
  });

  it('declares every table once, and every table of the schema is declared', () => {
    const tables = declarations.map((d) => d.columns.table);
    expect(tables.filter((t, i) => tables.indexOf(t) !== i)).toEqual([]);
    const undeclared = [...schema.keys()].filter((t) => !tables.includes(t) && !NOT_READ_BY_REPOSITORIES.includes(t));
    expect(undeclared).toEqual([]);
    expect(tables.filter((t) => !schema.has(t))).toEqual([]);
  });

  describe.each(declarations)('$name', ({ columns }) => {
    it('names only columns the table has', () => {
      const actual = schema.get(columns.table) ?? [];
      expect({
        read: columns.names.filter((c) => !actual.includes(c)),
        unread: Object.keys(columns.unread).filter((c) => !actual.includes(c)),
      }).toEqual({
        read: [],
        unread: [],
      });
    });

    it('says what it does with every column of the table: reads it, or names it unread with a reason', () => {
      const declared = [...columns.names, ...Object.keys(columns.unread)];
      expect((schema.get(columns.table) ?? []).filter((c) => !declared.includes(c))).toEqual([]);
      expect(columns.names.filter((c) => c in columns.unread)).toEqual([]);
      for (const reason of Object.values(columns.unread)) expect(reason.trim()).not.toBe('');
    });

    it('selects with its list, bare and with an alias', async () => {
      await db.query(`SELECT ${columns.list} FROM ${columns.table} LIMIT 0`);
      await db.query(`SELECT ${columns.of('t')} FROM ${columns.table} t LIMIT 0`);
    });
  });
});
