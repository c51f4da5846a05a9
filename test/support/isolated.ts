import { randomBytes } from 'node:crypto';
import { prepareDatabase } from '@imprimatur/database';

/**
 * A database and queue prefix of the test file's own, for tests that run a worker: its outbox relay
 * takes every pending row of its database, so it must not see other test files' rows. The global
 * teardown drops these databases with the run's own.
 */
export async function isolatedEnvironment(label: string): Promise<{ DATABASE_URL: string; QUEUE_PREFIX: string }> {
  const suffix = `${label}_${randomBytes(3).toString('hex')}`;
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `${url.pathname}_${suffix}`;
  await prepareDatabase(url.toString());
  return { DATABASE_URL: url.toString(), QUEUE_PREFIX: `${process.env.QUEUE_PREFIX ?? 'imprimatur-test'}-${suffix}` };
}
