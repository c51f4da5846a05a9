import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Where a statement runs: a transaction (from `TransactionRunner.run`), or `TransactionRunner.autocommit`
 * for work that needs none. Every repository method takes one, so that the caller decides, and a change
 * and its audit entry commit together.
 */
export type Tx = EntityManager;

@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** No transaction: each statement commits on its own. For reads, and for writes that stand alone. */
  get autocommit(): Tx {
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
