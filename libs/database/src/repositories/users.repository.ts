import { Injectable } from '@nestjs/common';
import { isRole, Role, User } from '@imprimatur/domain';
import { UserEntity } from '../entities';
import { TransactionRunner, Tx } from '../transaction';

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

export type UserChanges = Partial<Pick<UserWithSecret, 'name' | 'roles' | 'active' | 'credentials' | 'specialties' | 'passwordHash' | 'tokenVersion'>>;

const toUser = (row: UserEntity): UserWithSecret => ({
  id: row.id,
  email: row.email,
  name: row.name,
  roles: row.roles.filter(isRole),
  credentials: row.credentials,
  specialties: row.specialties,
  active: row.active,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  passwordHash: row.passwordHash,
  tokenVersion: row.tokenVersion,
});

/** Strips what must never leave the service layer. */
export const publicUser = ({ passwordHash: _h, tokenVersion: _t, ...user }: UserWithSecret): User => user;

@Injectable()
export class UsersRepository {
  constructor(private readonly db: TransactionRunner) {}

  async findById(id: string, tx: Tx = this.db.manager): Promise<UserWithSecret | null> {
    const row = await tx.findOne(UserEntity, { where: { id } });
    return row ? toUser(row) : null;
  }

  async findByEmail(email: string, tx: Tx = this.db.manager): Promise<UserWithSecret | null> {
    const row = await tx.findOne(UserEntity, { where: { email } });
    return row ? toUser(row) : null;
  }

  /** Locks the row so that concurrent updates of one user apply one after the other. */
  async findByIdForUpdate(id: string, tx: Tx): Promise<UserWithSecret | null> {
    const row = await tx.findOne(UserEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    return row ? toUser(row) : null;
  }

  /** Of `ids`, those that are active users with the reviewer role. */
  async activeReviewerIds(ids: string[], tx: Tx = this.db.manager): Promise<string[]> {
    const rows: { id: string }[] = await tx.query(`SELECT id FROM users WHERE id = ANY($1::uuid[]) AND active AND 'reviewer' = ANY(roles)`, [ids]);
    return rows.map((r) => r.id);
  }

  /**
   * Locks every active admin's row (in id order, so two admins changing themselves at once queue
   * rather than deadlock) and answers their ids: the basis for keeping at least one.
   */
  async lockActiveAdmins(tx: Tx): Promise<string[]> {
    const rows: { id: string }[] = await tx.query(`SELECT id FROM users WHERE active AND 'admin' = ANY(roles) ORDER BY id FOR UPDATE`);
    return rows.map((r) => r.id);
  }

  async hasActiveAdmin(tx: Tx): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM users WHERE active AND 'admin' = ANY(roles) LIMIT 1`);
    return rows.length > 0;
  }

  async insert(user: NewUser, tx: Tx): Promise<UserWithSecret> {
    const now = new Date();
    const row = tx.create(UserEntity, {
      ...user,
      active: true,
      tokenVersion: 0,
      createdAt: now,
      updatedAt: now,
    });
    await tx.insert(UserEntity, row);
    return toUser(row);
  }

  async update(id: string, changes: UserChanges, tx: Tx): Promise<UserWithSecret> {
    await tx.update(UserEntity, { id }, { ...changes, updatedAt: new Date() });
    const row = await tx.findOneOrFail(UserEntity, { where: { id } });
    return toUser(row);
  }

  /** Keyset page ordered by (created_at, id); fetches one row more than asked to know if there is a next page. */
  async page(after: { createdAt: string; id: string } | null, limit: number, tx: Tx = this.db.manager): Promise<UserWithSecret[]> {
    const query = tx
      .createQueryBuilder(UserEntity, 'u')
      .orderBy('u.created_at', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(limit + 1);
    if (after) query.where('(u.created_at, u.id) > (:createdAt, :id)', after);
    const rows = await query.getMany();
    return rows.map(toUser);
  }
}
