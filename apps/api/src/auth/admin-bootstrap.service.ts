import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { AuditRepository, TransactionRunner, UsersRepository } from '@imprimatur/database';
import { normaliseEmail, Role } from '@imprimatur/domain';
import { PasswordsService } from './passwords.service';

/**
 * On start, if no active admin exists, makes ADMIN_EMAIL one (creating the user, or reactivating and
 * promoting an existing one with ADMIN_PASSWORD). Several API processes starting together create one.
 */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrapService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly passwords: PasswordsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin) return;
    const email = normaliseEmail(admin.email);
    const passwordHash = await this.passwords.hash(admin.password);
    const outcome = await this.db.run(async (tx) => {
      await this.users.lockBootstrap(tx);
      if (await this.users.hasActiveAdmin(tx)) return 'exists';
      const existing = await this.users.findByEmail(email, tx);
      if (existing) {
        const roles = [...new Set<Role>([...existing.roles, 'admin'])].sort();
        await this.users.update(existing.id, { roles, active: true, passwordHash }, tx);
        await this.audit.append(
          {
            actor: null,
            action: 'user.updated',
            entityType: 'user',
            entityId: existing.id,
            data: {
              bootstrap: true,
              changes: {
                roles: { from: existing.roles, to: roles },
                active: { from: existing.active, to: true },
                password: 'reset',
              },
            },
          },
          tx,
        );
        return 'promoted';
      }
      const user = await this.users.insert(
        { email, name: 'Administrator', passwordHash, roles: ['admin'], credentials: null, specialties: [] },
        tx,
      );
      await this.audit.append(
        {
          actor: null,
          action: 'user.created',
          entityType: 'user',
          entityId: user.id,
          data: { bootstrap: true, email, roles: ['admin'] },
        },
        tx,
      );
      return 'created';
    });
    if (outcome !== 'exists') this.logger.log({ email, outcome }, 'bootstrap admin ready');
  }
}
