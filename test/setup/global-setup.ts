import { randomBytes } from 'node:crypto';
import { register } from 'tsconfig-paths';

// Jest's moduleNameMapper does not apply to globalSetup, so resolve the path aliases here.
register();
type DataSourceModule = typeof import('@imprimatur/database/data-source');
type AppRoleModule = typeof import('@imprimatur/database/app-role');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareDatabase } = require('@imprimatur/database/data-source') as DataSourceModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { provisionAppRole } = require('@imprimatur/database/app-role') as AppRoleModule;

/**
 * Every test run gets a database and a BullMQ prefix of its own, so it never touches the default
 * `imprimatur` database or queues and can run beside another run. Jest workers inherit this env.
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/imprimatur_test_${runId}`;
  process.env.DATABASE_URL = base.toString();
  // The application connects as a role of the run's own (roles are shared by the whole server), made
  // the way `npm start` makes one, on every database of the run; the teardown drops it. DATABASE_URL
  // stays the owner, which the tests use to read (and tamper with) the tables directly.
  process.env.APP_DATABASE_ROLE = `imprimatur_app_${runId}`;
  delete process.env.APP_DATABASE_URL;
  process.env.QUEUE_PREFIX = `imprimatur-test-${runId}`;
  process.env.REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  process.env.NODE_ENV = 'test';
  process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
  process.env.ADMIN_EMAIL = 'admin@imprimatur.test';
  process.env.ADMIN_PASSWORD = 'admin-password-for-tests';
  process.env.JWT_SECRET = randomBytes(32).toString('hex');
  // The tests vary the client address through X-Forwarded-For to exercise per-address limits.
  process.env.TRUST_PROXY = 'true';
  // No test may reach beyond this machine: resolvers point at a closed loopback port, and loopback
  // is refused anyway unless a test allow-lists it for its own servers.
  process.env.DOI_RESOLVER_URL = 'http://127.0.0.1:9/doi';
  process.env.PUBMED_URL = 'http://127.0.0.1:9/pubmed';
  process.env.CROSSREF_API_URL = 'http://127.0.0.1:9/crossref';
  process.env.EUTILS_URL = 'http://127.0.0.1:9/eutils';
  delete process.env.CONTACT_EMAIL;
  process.env.OUTBOUND_ALLOW_HOSTS = '';
  process.env.TEST_RUN_ID = runId;
  await prepareDatabase(process.env.DATABASE_URL);
  const app = await provisionAppRole({
    ownerUrl: process.env.DATABASE_URL,
    appUrl: null,
    appRole: process.env.APP_DATABASE_ROLE,
  });
  if (!app.separated) throw new Error(`the tests need a role that may create roles (TEST_DATABASE_URL): ${app.reason}`);
}
