import { createHmac } from 'node:crypto';
import { Client } from 'pg';
import { MIGRATION_LOCK_KEY } from './data-source';

/**
 * Two database roles. The owner (DATABASE_URL) creates the database, runs the migrations and so owns
 * every table; the application's queries run as another role that may only read audit_log and append
 * to it. An owner may always ALTER, DISABLE TRIGGER or DROP its own table, so triggers alone cannot
 * keep an owner from rewriting the log; privileges keep the application's role from it.
 */
export interface AppRoleOptions {
  /** DATABASE_URL: the owner's connection. */
  ownerUrl: string;
  /** APP_DATABASE_URL: the application's role and password, when the operator names them. */
  appUrl: string | null;
  /** APP_DATABASE_ROLE: the role created (when the owner may) when appUrl is not given. */
  appRole: string;
}

export interface AppConnection {
  /** Where the application's pool connects. */
  url: string;
  role: string;
  /** True when that role can neither change audit_log nor touch its triggers. */
  separated: boolean;
  /** Why not, in words, when `separated` is false. */
  reason?: string;
}

type Log = (message: string) => void;

/**
 * Tables the application's role may read and append to, but never change. Every other table gets
 * SELECT, INSERT, UPDATE and DELETE: a migration that adds another append-only table lists it here.
 */
const APPEND_ONLY_TABLES = ['audit_log', 'audit_digest_keys'];

/**
 * The password of the role derived from DATABASE_URL: an HMAC of the owner's password, so that every
 * process computes the same one and nothing more has to be configured or stored. None when the owner
 * signs in without one (trust, peer, certificates): the application's role does the same.
 */
export function derivedPassword(ownerUrl: string, role: string): string | null {
  const secret = decodeURIComponent(new URL(ownerUrl).password);
  return secret ? createHmac('sha256', secret).update(`imprimatur application role ${role}`).digest('base64url') : null;
}

/** DATABASE_URL's server and database, signed in as `role` (with its derived password). */
export function appRoleUrl(ownerUrl: string, role: string): string {
  const url = new URL(ownerUrl);
  url.username = encodeURIComponent(role);
  url.password = encodeURIComponent(derivedPassword(ownerUrl, role) ?? '');
  return url.toString();
}

const code = (error: unknown) => (error as { code?: string }).code;

/** DATABASE_URL itself, when the application's role cannot be used: separated only if it does not own the tables. */
async function ownerConnection(ownerUrl: string, why: string): Promise<AppConnection> {
  const connection = await inspect(ownerUrl);
  return connection.separated ? connection : { ...connection, reason: `${connection.reason}; ${why}` };
}

/** Privileges for the application's role on everything the owner has made, and will make. */
async function grant(owner: Client, role: string, ownerName: string): Promise<void> {
  const app = owner.escapeIdentifier(role);
  const me = owner.escapeIdentifier(ownerName);
  const appendOnly = APPEND_ONLY_TABLES.join(', ');
  await owner.query(`GRANT USAGE ON SCHEMA public TO ${app}`);
  await owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`);
  await owner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`);
  await owner.query(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${appendOnly} FROM ${app}`);
  // The migrations' own bookkeeping: readable, never writable by the application.
  await owner.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON migrations FROM ${app}`);
  // Tables and sequences a later migration creates, before the next start grants on them explicitly.
  await owner.query(
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${me} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`,
  );
  await owner.query(
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${me} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${app}`,
  );
}

/** What the role signed in at `url` may do to audit_log. */
async function inspect(url: string): Promise<AppConnection> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{
      role: string;
      superuser: boolean;
      owner: boolean;
      can_change: boolean;
      can_append: boolean;
    }>(
      `SELECT current_user AS role,
              r.rolsuper AS superuser,
              pg_has_role(current_user, c.relowner, 'MEMBER') AS owner,
              has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE') OR has_table_privilege(c.oid, 'TRUNCATE') AS can_change,
              has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'INSERT') AS can_append
         FROM pg_class c JOIN pg_roles r ON r.rolname = current_user
        WHERE c.oid = 'public.audit_log'::regclass`,
    );
    const me = rows[0];
    if (!me) throw new Error('audit_log is missing: run the migrations first');
    if (!me.can_append) throw new Error(`the role ${me.role} may not read and append to audit_log`);
    const reason = me.superuser
      ? `the role ${me.role} is a superuser`
      : me.owner
        ? `the role ${me.role} owns audit_log (or is a member of its owner)`
        : me.can_change
          ? `the role ${me.role} may UPDATE, DELETE or TRUNCATE audit_log`
          : undefined;
    return { url, role: me.role, separated: reason === undefined, ...(reason ? { reason } : {}) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Makes sure the application's role exists and holds its privileges, then answers the connection the
 * application should use. Idempotent, and serialised with the migrations by their advisory lock, so
 * every API and worker process may run it at start.
 *
 * - APP_DATABASE_URL set: that role (created with that password if missing and the owner may create
 *   roles) is granted its privileges and used; any failure stops the start.
 * - Else, when DATABASE_URL's role may create roles (superuser or CREATEROLE): APP_DATABASE_ROLE is
 *   created if missing, granted, and used, with the derived password.
 * - Else DATABASE_URL itself is used, as before; `separated` then says whether the audit log is
 *   protected by privileges or by its triggers only.
 */
export async function provisionAppRole(options: AppRoleOptions, log: Log = () => undefined): Promise<AppConnection> {
  const explicit = options.appUrl !== null;
  const targetUrl = options.appUrl ?? appRoleUrl(options.ownerUrl, options.appRole);
  const target = new URL(targetUrl);
  const role = decodeURIComponent(target.username);
  const password = decodeURIComponent(target.password) || null;

  const owner = new Client({ connectionString: options.ownerUrl });
  await owner.connect();
  let mayManageRoles: boolean;
  try {
    const { rows } = await owner.query<{ name: string; manage: boolean }>(
      `SELECT current_user AS name, rolsuper OR rolcreaterole AS manage FROM pg_roles WHERE rolname = current_user`,
    );
    const me = rows[0];
    mayManageRoles = me.manage;
    if (role === me.name) return await inspect(options.ownerUrl);

    await owner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const exists = (await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount === 1;
      if (!exists && !mayManageRoles) {
        const why = `the role ${role} does not exist and ${me.name} (DATABASE_URL) may not create roles`;
        if (explicit) throw new Error(`APP_DATABASE_URL: ${why}`);
        return await ownerConnection(options.ownerUrl, why);
      }
      if (!exists) {
        const secret = password === null ? '' : ` PASSWORD ${owner.escapeLiteral(password)}`;
        try {
          // NOINHERIT and no other attributes: it can sign in, and do only what it is granted.
          await owner.query(`CREATE ROLE ${owner.escapeIdentifier(role)} LOGIN NOINHERIT${secret}`);
          log(`created the application's database role ${role}`);
        } catch (error) {
          // Another process (on another database of this server) created it first.
          if (code(error) !== '42710' && code(error) !== '23505') throw error;
        }
      }
      await grant(owner, role, me.name);
    } finally {
      await owner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await owner.end().catch(() => undefined);
  }

  try {
    return await inspect(targetUrl);
  } catch (error) {
    // 28P01: wrong password (e.g. DATABASE_URL's password changed since the role was created).
    if (!explicit && code(error) === '28P01' && mayManageRoles && password !== null) {
      const admin = new Client({ connectionString: options.ownerUrl });
      await admin.connect();
      try {
        await admin.query(`ALTER ROLE ${admin.escapeIdentifier(role)} PASSWORD ${admin.escapeLiteral(password)}`);
      } finally {
        await admin.end().catch(() => undefined);
      }
      return inspect(targetUrl);
    }
    if (explicit || !['28P01', '28000'].includes(code(error) ?? '')) throw error;
    return ownerConnection(options.ownerUrl, `could not sign in as ${role}: ${(error as Error).message}`);
  }
}
