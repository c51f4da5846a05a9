import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Where a statement runs: a transaction (from `TransactionRunner.run`), or `TransactionRunner.autocommit`
 * for work that needs none. Every repository method takes one, so that the caller decides, and a change
 * and its audit entry commit together.
 */
export type Tx = EntityManager;

/** Work queued by `beforeCommit`, per transaction of `TransactionRunner.run`. */
const commitHooks = new WeakMap<Tx, Array<() => Promise<void>>>();

/**
 * Runs `hook` as the last work of `tx`, after the caller's own statements and just before COMMIT, so
 * that a lock it takes is held for as short a time as possible (the audit chain's). Answers false, and
 * queues nothing, when `tx` is not a transaction of `TransactionRunner.run` (autocommit, or a
 * transaction opened some other way): the caller must then do the work at once.
 */
export function beforeCommit(tx: Tx, hook: () => Promise<void>): boolean {
  const hooks = commitHooks.get(tx);
  if (!hooks) return false;
  hooks.push(hook);
  return true;
}

@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (tx) => {
      const hooks: Array<() => Promise<void>> = [];
      commitHooks.set(tx, hooks);
      try {
        const result = await work(tx);
        // In order, and each may still queue more (none does today).
        for (let i = 0; i < hooks.length; i++) await hooks[i]();
        return result;
      } finally {
        commitHooks.delete(tx);
      }
    });
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
