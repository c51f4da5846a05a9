import Redis from 'ioredis';
import { Client } from 'pg';

/**
 * Drops the run's databases (the shared one and any a test made for itself), then the run's
 * application role (its privileges lived in those databases), and deletes the run's queue keys.
 */
export default async function globalTeardown(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl?.includes('imprimatur_test_')) {
    const url = new URL(databaseUrl);
    const name = url.pathname.slice(1);
    url.pathname = '/postgres';
    const admin = new Client({ connectionString: url.toString() });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
      [name, `${name}\\_%`],
    );
    for (const { datname } of rows)
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(datname)} WITH (FORCE)`);
    // Only the run's own roles (its application role, and those a test named after it), never a
    // shared one such as imprimatur_app.
    const appRole = process.env.APP_DATABASE_ROLE;
    if (appRole && appRole === `imprimatur_app_${process.env.TEST_RUN_ID}`) {
      const roles = await admin.query<{ rolname: string }>(
        `SELECT rolname FROM pg_roles WHERE rolname = $1 OR rolname LIKE $2 ORDER BY length(rolname) DESC`,
        [appRole, `${appRole}\\_%`],
      );
      for (const { rolname } of roles.rows) {
        await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(rolname)}`).catch((error: Error) => {
          process.stderr.write(`could not drop the test role ${rolname}: ${error.message}\n`);
        });
      }
    }
    await admin.end();
  }
  const prefix = process.env.QUEUE_PREFIX;
  if (prefix?.startsWith('imprimatur-test-')) {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    // The run's own prefix, and the prefixes of the test files that made an isolated environment (`<prefix>-<label>`).
    for (const pattern of [`${prefix}:*`, `${prefix}-*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        if (keys.length > 0) await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
    redis.disconnect();
  }
}
