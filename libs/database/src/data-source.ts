import { Client, types } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@imprimatur/migrations';

// Calendar dates (`lastReviewed`, `nextReviewDue`, …) stay 'YYYY-MM-DD' strings: turning them into
// Date objects at local midnight would shift them by the server's time zone.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

/** How long a query waits for a pooled connection before it fails (node-postgres `connectionTimeoutMillis`). */
export const POOL_CONNECT_TIMEOUT_MS = 5_000;

export function dataSourceOptions(databaseUrl: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    // TypeORM would otherwise try CREATE EXTENSION, which needs a superuser; gen_random_uuid() is built in.
    installExtensions: false,
    // A request waits at most this long for a connection (say while PostgreSQL restarts), then fails
    // with a 503; without it node-postgres would wait for ever.
    extra: { max: poolSize, connectionTimeoutMillis: POOL_CONNECT_TIMEOUT_MS },
  };
}

type Log = (message: string) => void;

/** Creates the database named in the URL if it is missing and the role may create it. */
export async function ensureDatabase(databaseUrl: string, log: Log = () => undefined): Promise<void> {
  const probe = new Client({ connectionString: databaseUrl });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
    log(`created database ${name}`);
  } catch (error) {
    // Another process starting at the same moment may have created it first.
    const code = (error as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw error;
  } finally {
    await admin.end();
  }
}

// Any constant works; it only has to be the same in every process that migrates this database.
// Granting the application's role its privileges (app-role.ts) takes it too.
export const MIGRATION_LOCK_KEY = 7_246_813_001;

/**
 * Creates the database if needed and runs pending migrations. Safe when several API and worker
 * processes start together: a session-level advisory lock lets one migrate while the others wait,
 * and they then find nothing left to run.
 */
export async function prepareDatabase(databaseUrl: string, log: Log = () => undefined): Promise<string[]> {
  await ensureDatabase(databaseUrl, log);
  const dataSource = new DataSource(dataSourceOptions(databaseUrl, 2));
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of ran) log(`applied migration ${migration.name}`);
    return ran.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}
