import { Injectable } from '@nestjs/common';
import {
  AuditActor,
  decodeCursor,
  DomainError,
  duplicate,
  JsonValue,
  normaliseEmail,
  notFound,
  Page,
  Role,
  toPage,
  User,
} from '@imprimatur/domain';
import {
  AuditRepository,
  publicUser,
  RefreshTokensRepository,
  TransactionRunner,
  uniqueViolation,
  UserChanges,
  UsersRepository,
} from '@imprimatur/database';
import { ReviewerEligibility } from '@imprimatur/workflow';
import { PasswordsService } from '../auth/passwords.service';
import { CreateUserDto, UpdateUserDto } from './user.dto';

const sortedRoles = (roles: Role[]): Role[] => [...new Set(roles)].sort();

@Injectable()
export class UsersService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly passwords: PasswordsService,
    private readonly eligibility: ReviewerEligibility,
    private readonly refreshTokens: RefreshTokensRepository,
  ) {}

  async create(actor: AuditActor, input: CreateUserDto): Promise<User> {
    const email = normaliseEmail(input.email);
    const passwordHash = await this.passwords.hash(input.password);
    try {
      return await this.db.run(async (tx) => {
        const user = await this.users.insert(
          {
            email,
            name: input.name,
            passwordHash,
            roles: sortedRoles(input.roles),
            credentials: input.credentials ?? null,
            specialties: input.specialties ?? [],
          },
          tx,
        );
        await this.audit.append(
          {
            actor,
            action: 'user.created',
            entityType: 'user',
            entityId: user.id,
            data: {
              email,
              name: user.name,
              roles: user.roles,
              credentials: user.credentials,
              specialties: user.specialties,
            },
          },
          tx,
        );
        return publicUser(user);
      });
    } catch (error) {
      if (uniqueViolation(error) !== null) throw duplicate('A user with this email already exists', { field: 'email' });
      throw error;
    }
  }

  async get(id: string): Promise<User> {
    const user = await this.users.findById(id, this.db.autocommit);
    if (!user) throw notFound('User');
    return publicUser(user);
  }

  async list(limit: number, cursor?: string): Promise<Page<User>> {
    const after = cursor ? decodeCursor(cursor, ['date', 'uuid']) : null;
    const rows = await this.users.page(
      after ? { createdAt: String(after[0]), id: String(after[1]) } : null,
      limit,
      this.db.autocommit,
    );
    return toPage(rows, limit, (u) => [u.createdAt.toISOString(), u.id], publicUser);
  }

  /** Applies only what differs, records old and new values of each changed field, and nothing if nothing changed. */
  async update(actor: AuditActor, id: string, input: UpdateUserDto): Promise<User> {
    return this.db.run(async (tx) => {
      // Taken before the user's own row, in the one order every such change uses.
      const admins =
        input.roles !== undefined || input.active !== undefined ? await this.users.lockActiveAdmins(tx) : [];
      const current = await this.users.findByIdForUpdate(id, tx);
      if (!current) throw notFound('User');
      const changes: UserChanges = {};
      const recorded: { [field: string]: JsonValue } = {};
      const change = <K extends 'name' | 'roles' | 'active' | 'credentials' | 'specialties'>(
        field: K,
        next: User[K] | undefined,
      ) => {
        if (next === undefined || JSON.stringify(next) === JSON.stringify(current[field])) return;
        changes[field] = next;
        recorded[field] = { from: current[field] as JsonValue, to: next as JsonValue };
      };
      change('name', input.name);
      change('roles', input.roles && sortedRoles(input.roles));
      change('active', input.active);
      change('credentials', input.credentials);
      change('specialties', input.specialties);
      if (Object.keys(changes).length === 0) return publicUser(current);
      const after = { active: changes.active ?? current.active, roles: changes.roles ?? current.roles };
      const isAdmin = (u: { active: boolean; roles: Role[] }) => u.active && u.roles.includes('admin');
      if (isAdmin(current) && !isAdmin(after) && admins.every((adminId) => adminId === id)) {
        throw new DomainError('last_admin', 'This is the last active admin: make someone else an admin first', {
          userId: id,
        });
      }
      // Tokens issued before a deactivation must not come back to life if the user is reactivated.
      if (changes.active === false) changes.tokenVersion = current.tokenVersion + 1;
      const updated = await this.users.update(id, changes, tx);
      // The version bump already stops them; revoked, they also read as ended in refresh_tokens.
      if (changes.active === false) await this.refreshTokens.revokeForUser(id, 'deactivated', tx);
      await this.audit.append(
        { actor, action: 'user.updated', entityType: 'user', entityId: id, data: { changes: recorded } },
        tx,
      );
      const isReviewer = (u: { active: boolean; roles: Role[] }) => u.active && u.roles.includes('reviewer');
      if (isReviewer(current) && !isReviewer(after)) {
        await this.eligibility.revoke(actor, id, after.active ? 'role_removed' : 'deactivated', tx);
      }
      return publicUser(updated);
    });
  }
}
