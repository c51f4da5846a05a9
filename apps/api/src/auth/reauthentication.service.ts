import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { AuditRepository, TransactionRunner, UsersRepository } from '@imprimatur/database';
import { DomainError, Principal, validationFailed } from '@imprimatur/domain';
import { PasswordAttempts } from './auth.service';
import { PasswordsService } from './passwords.service';

/**
 * The second identification component of an electronic signature (21 CFR Part 11 §11.200(a)(1)):
 * the signer's own password, asked again at every signing, on top of the session that proves who
 * they are. Guesses are limited by the same counters as logins, so a stolen session cannot be used to
 * find the password by signing over and over.
 */
@Injectable()
export class Reauthentication {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly users: UsersRepository,
    private readonly attempts: PasswordAttempts,
    private readonly passwords: PasswordsService,
    private readonly audit: AuditRepository,
  ) {}

  /** Resolves when the password is the user's own (or SIGNOFF_REAUTH=false); else 400, 401 or 429. */
  async confirm(user: Principal, password: string | undefined, address: string, purpose: string): Promise<void> {
    if (!this.config.workflow.signoffReauth) return;
    if (password === undefined || password === '') {
      throw validationFailed('Enter your password to sign: a sign-off is an electronic signature', {
        fields: { password: ['is required'] },
      });
    }
    await this.attempts.take(user.email, address, 'Too many wrong passwords; try again later');
    const account = await this.users.findById(user.id, this.db.autocommit);
    const ok = account !== null && account.active && (await this.passwords.verify(account.passwordHash, password));
    if (!ok) {
      // The failure keeps its slots and is on the record; nothing of what was to be signed is written.
      await this.db.run((tx) =>
        this.audit.append(
          {
            actor: { id: user.id, email: user.email },
            action: 'auth.reauthentication_failed',
            entityType: 'user',
            entityId: user.id,
            data: { purpose, address },
          },
          tx,
        ),
      );
      throw new DomainError(
        'reauthentication_failed',
        'The password is not right, so nothing was signed. Enter the password you sign in with.',
      );
    }
    await this.db.run((tx) => this.attempts.succeeded(user.email, address, tx));
  }
}
