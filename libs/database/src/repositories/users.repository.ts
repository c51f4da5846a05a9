import { Injectable } from '@nestjs/common';
import { EmailPreference, isRole, Role, User } from '@imprimatur/domain';
import { TableColumns } from '../columns';
import { advisoryXactLock, exec, many, maybeOne, one } from '../sql';
import { Tx } from '../transaction';

export interface UserWithSecret extends User {
  passwordHash: string;
  tokenVersion: number;
}

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  roles: Role[];
  credentials: string | null;
  specialties: string[];
}

export type UserChanges = Partial<
  Pick<UserWithSecret, 'name' | 'roles' | 'active' | 'credentials' | 'specialties' | 'passwordHash' | 'tokenVersion'>
>;

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  roles: string[];
  credentials: string | null;
  specialties: string[];
  active: boolean;
  /** Carried in every access token; raising it revokes all tokens issued before. */
  token_version: number;
  created_at: Date;
  updated_at: Date;
}

export const USER_COLUMNS = new TableColumns<UserRow>(
  'users',
  {
    id: true,
    email: true,
    name: true,
    password_hash: true,
    roles: true,
    credentials: true,
    specialties: true,
    active: true,
    token_version: true,
    created_at: true,
    updated_at: true,
  },
  { email_preference: 'read and written on its own (emailPreferenceOf, setEmailPreference): only mail needs it' },
);

const CHANGED_COLUMNS: Record<keyof UserChanges, keyof UserRow> = {
  name: 'name',
  roles: 'roles',
  active: 'active',
  credentials: 'credentials',
  specialties: 'specialties',
  passwordHash: 'password_hash',
  tokenVersion: 'token_version',
};

const toUser = (row: UserRow): UserWithSecret => ({
  id: row.id,
  email: row.email,
  name: row.name,
  roles: row.roles.filter(isRole),
  credentials: row.credentials,
  specialties: row.specialties,
  active: row.active,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  passwordHash: row.password_hash,
  tokenVersion: row.token_version,
});

/** Strips what must never leave the service layer. */
export const publicUser = ({ passwordHash: _h, tokenVersion: _t, ...user }: UserWithSecret): User => user;

// Any constant works; it only has to be the same in every API process.
const BOOTSTRAP_LOCK_KEY = 7_246_813_003;

@Injectable()
export class UsersRepository {
  async findById(id: string, tx: Tx): Promise<UserWithSecret | null> {
    const row = await maybeOne<UserRow>(tx, `SELECT ${USER_COLUMNS.list} FROM users WHERE id = $1`, [id]);
    return row ? toUser(row) : null;
  }

  async findByEmail(email: string, tx: Tx): Promise<UserWithSecret | null> {
    const row = await maybeOne<UserRow>(tx, `SELECT ${USER_COLUMNS.list} FROM users WHERE email = $1`, [email]);
    return row ? toUser(row) : null;
  }

  /** Locks the row so that concurrent updates of one user apply one after the other. */
  async findByIdForUpdate(id: string, tx: Tx): Promise<UserWithSecret | null> {
    const row = await maybeOne<UserRow>(tx, `SELECT ${USER_COLUMNS.list} FROM users WHERE id = $1 FOR UPDATE`, [id]);
    return row ? toUser(row) : null;
  }

  /** Of `ids`, those that are active users with the reviewer role. */
  /** Of `ids`, the active users with the reviewer role, in the order of `ids`: how readers see who reviewed. */
  async activeReviewerCredits(ids: string[], tx: Tx): Promise<{ name: string; credentials: string | null }[]> {
    return many<Pick<UserRow, 'name' | 'credentials'>>(
      tx,
      `SELECT u.name, u.credentials FROM unnest($1::uuid[]) WITH ORDINALITY AS wanted (id, position)
       JOIN users u ON u.id = wanted.id
       WHERE u.active AND 'reviewer' = ANY(u.roles) ORDER BY wanted.position`,
      [ids],
    );
  }

  async activeReviewerIds(ids: string[], tx: Tx): Promise<string[]> {
    const rows = await many<Pick<UserRow, 'id'>>(
      tx,
      `SELECT id FROM users WHERE id = ANY($1::uuid[]) AND active AND 'reviewer' = ANY(roles)`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Locks every active admin's row (in id order, so two admins changing themselves at once queue
   * rather than deadlock) and answers their ids: the basis for keeping at least one.
   */
  async lockActiveAdmins(tx: Tx): Promise<string[]> {
    const rows = await many<Pick<UserRow, 'id'>>(
      tx,
      `SELECT id FROM users WHERE active AND 'admin' = ANY(roles) ORDER BY id FOR UPDATE`,
    );
    return rows.map((r) => r.id);
  }

  async hasActiveAdmin(tx: Tx): Promise<boolean> {
    return (await maybeOne(tx, `SELECT 1 FROM users WHERE active AND 'admin' = ANY(roles) LIMIT 1`)) !== null;
  }

  /**
   * Serialises the start-up bootstrap of the first admin across API processes, until the caller's
   * transaction ends: several processes starting together create one admin.
   */
  async lockBootstrap(tx: Tx): Promise<void> {
    await advisoryXactLock(tx, BOOTSTRAP_LOCK_KEY);
  }

  async insert(user: NewUser, tx: Tx): Promise<UserWithSecret> {
    // The timestamps come from this process, to the millisecond, as a JavaScript Date holds them: a
    // keyset cursor made from the answered createdAt then matches the stored value exactly.
    const now = new Date();
    const row = await one<UserRow>(
      tx,
      `INSERT INTO users (email, name, password_hash, roles, credentials, specialties, active, token_version, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, true, 0, $7, $7) RETURNING ${USER_COLUMNS.list}`,
      [user.email, user.name, user.passwordHash, user.roles, user.credentials, user.specialties, now],
    );
    return toUser(row);
  }

  async update(id: string, changes: UserChanges, tx: Tx): Promise<UserWithSecret> {
    const values: unknown[] = [id, new Date()];
    const sets: string[] = ['updated_at = $2'];
    for (const [key, value] of Object.entries(changes) as [keyof UserChanges, unknown][]) {
      if (value === undefined) continue;
      values.push(value);
      sets.push(`${CHANGED_COLUMNS[key]} = $${values.length}`);
    }
    const row = await one<UserRow>(
      tx,
      `UPDATE users SET ${sets.join(', ')} WHERE id = $1 RETURNING ${USER_COLUMNS.list}`,
      values,
    );
    return toUser(row);
  }

  /**
   * Swaps the stored password hash for the same password's hash under newer settings, unless the hash
   * changed meanwhile (a password change wins). Not a change of the account, so updated_at stays.
   */
  async replacePasswordHash(id: string, previous: string, next: string, tx: Tx): Promise<boolean> {
    return (
      (await exec(tx, `UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2`, [
        id,
        previous,
        next,
      ])) === 1
    );
  }

  /** Keyset page ordered by (created_at, id); fetches one row more than asked to know if there is a next page. */
  async page(after: { createdAt: string; id: string } | null, limit: number, tx: Tx): Promise<UserWithSecret[]> {
    const rows = after
      ? await many<UserRow>(
          tx,
          `SELECT ${USER_COLUMNS.list} FROM users WHERE (created_at, id) > ($1::timestamptz, $2::uuid) ORDER BY created_at, id LIMIT $3`,
          [after.createdAt, after.id, limit + 1],
        )
      : await many<UserRow>(tx, `SELECT ${USER_COLUMNS.list} FROM users ORDER BY created_at, id LIMIT $1`, [limit + 1]);
    return rows.map(toUser);
  }

  /** How the user wants notifications emailed (contract §17); null for an unknown user. */
  async emailPreferenceOf(
    id: string,
    tx: Tx,
  ): Promise<{ email: string; name: string; active: boolean; preference: EmailPreference } | null> {
    return maybeOne<{ email: string; name: string; active: boolean; preference: EmailPreference }>(
      tx,
      'SELECT email, name, active, email_preference AS preference FROM users WHERE id = $1',
      [id],
    );
  }

  async setEmailPreference(id: string, preference: EmailPreference, tx: Tx): Promise<void> {
    await one(tx, 'UPDATE users SET email_preference = $2, updated_at = now() WHERE id = $1 RETURNING id', [
      id,
      preference,
    ]);
  }
}
