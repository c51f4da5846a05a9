import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** A database transaction. Repositories take one so that a change and its audit entry commit together. */
export type Tx = EntityManager;

@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** For reads that need no transaction. */
  get manager(): Tx {
    return this.dataSource.manager;
  }
}

/** PostgreSQL's SQLSTATE for a unique violation, and the constraint it names. */
export function uniqueViolation(error: unknown): string | null {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e.code ?? e.driverError?.code;
  if (code !== '23505') return null;
  return e.constraint ?? e.driverError?.constraint ?? '';
}

/**
 * Runs an UPDATE or DELETE … RETURNING and answers the returned rows. (TypeORM's plain `query()`
 * answers `[rows, count]` for those statements but bare rows for SELECT and INSERT.)
 */
export async function returning<T>(tx: Tx, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = await tx.query<[T[], number]>(sql, params);
  return rows;
}
