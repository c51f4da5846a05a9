import type { Tx } from './transaction';

/**
 * The statement helpers every repository uses; each says how many rows it expects. They are not exported
 * from the lib's index: SQL lives in libs/database.
 *
 * Why not `tx.query()`: TypeORM's plain query answers `[rows, affectedCount]` for UPDATE and DELETE but bare
 * rows for SELECT and INSERT (so an INSERT's count is lost, and `rows[0]` of an UPDATE … RETURNING is
 * the whole row list). Its query runner's structured result carries rows and count for every kind of
 * statement; test/e2e/sql-helpers.e2e-spec.ts pins both behaviours down against PostgreSQL.
 */

export type Params = readonly unknown[];

/** A statement answered another number of rows than its helper promises: a bug, never the caller's input (a 500). */
export class RowCountError extends Error {
  constructor(expected: string, got: number, sql: string) {
    super(`expected ${expected}, got ${got} rows: ${sql.replace(/\s+/g, ' ').trim().slice(0, 160)}`);
    this.name = 'RowCountError';
  }
}

async function run<T>(tx: Tx, sql: string, params: Params): Promise<{ rows: T[]; count: number }> {
  // A manager outside a transaction has no runner of its own: take one from the pool for this
  // statement and give it back, as DataSource.query() does.
  const own = tx.queryRunner;
  const runner = own ?? tx.dataSource.createQueryRunner();
  try {
    const result = await runner.query(sql, [...params], true);
    return { rows: result.records as T[], count: result.affected ?? 0 };
  } finally {
    if (!own) await runner.release();
  }
}

/** Any number of rows (a SELECT, or a statement with RETURNING). */
export async function many<T>(tx: Tx, sql: string, params: Params = []): Promise<T[]> {
  return (await run<T>(tx, sql, params)).rows;
}

/** Exactly one row: an INSERT … RETURNING, an aggregate, or a lookup whose row must exist. */
export async function one<T>(tx: Tx, sql: string, params: Params = []): Promise<T> {
  const { rows } = await run<T>(tx, sql, params);
  if (rows.length !== 1) throw new RowCountError('exactly 1 row', rows.length, sql);
  return rows[0];
}

/** Zero or one row: a lookup by a key, or a conditional UPDATE … RETURNING. */
export async function maybeOne<T>(tx: Tx, sql: string, params: Params = []): Promise<T | null> {
  const { rows } = await run<T>(tx, sql, params);
  if (rows.length > 1) throw new RowCountError('at most 1 row', rows.length, sql);
  return rows[0] ?? null;
}

/** A statement that returns no rows (INSERT, UPDATE or DELETE without RETURNING); answers how many rows it affected. */
export async function exec(tx: Tx, sql: string, params: Params = []): Promise<number> {
  const { rows, count } = await run<never>(tx, sql, params);
  if (rows.length > 0) throw new RowCountError('no rows', rows.length, sql);
  return count;
}

/** Takes a transaction-scoped advisory lock, held until the caller's transaction ends (re-entrant). */
export async function advisoryXactLock(tx: Tx, key: number): Promise<void> {
  await one(tx, 'SELECT pg_advisory_xact_lock($1)', [key]);
}
