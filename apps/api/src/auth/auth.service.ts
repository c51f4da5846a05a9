import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import {
  AuditRepository,
  LoginThrottleRepository,
  publicUser,
  TransactionRunner,
  UsersRepository,
} from '@imprimatur/database';
import { DomainError, normaliseEmail, unauthenticated, User } from '@imprimatur/domain';
import { PasswordsService } from './passwords.service';

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: User;
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly throttle: LoginThrottleRepository,
    private readonly passwords: PasswordsService,
    private readonly jwt: JwtService,
  ) {}

  async login(rawEmail: string, password: string, address: string): Promise<LoginResult> {
    const email = normaliseEmail(rawEmail);
    const accountKey = `account:${email}`;
    const addressKey = `address:${address}`;
    const { perAccount, perAddress, windowSeconds } = this.config.loginThrottle;

    // Checked before the password, so a throttled caller cannot make us spend argon2 time.
    const wait = Math.max(
      await this.throttle.retryAfterSeconds(accountKey, perAccount, windowSeconds),
      await this.throttle.retryAfterSeconds(addressKey, perAddress, windowSeconds),
    );
    if (wait > 0) {
      throw new DomainError('rate_limited', 'Too many failed logins; try again later', { retryAfterSeconds: wait });
    }

    const user = await this.users.findByEmail(email);
    const passwordOk = user ? await this.passwords.verify(user.passwordHash, password) : await this.passwords.verifyAgainstNothing(password);
    if (!user || !passwordOk || !user.active) {
      const reason = !user ? 'unknown_email' : !passwordOk ? 'wrong_password' : 'inactive';
      await this.db.run(async (tx) => {
        await this.throttle.recordFailure(accountKey, windowSeconds, tx);
        await this.throttle.recordFailure(addressKey, windowSeconds, tx);
        await this.audit.append(
          { actor: null, action: 'auth.login_failed', entityType: 'user', entityId: user?.id ?? null, data: { email, reason, address } },
          tx,
        );
      });
      // One answer for all three reasons, so the response does not tell which emails have accounts.
      throw unauthenticated('Email or password is wrong');
    }

    await this.db.run(async (tx) => {
      await this.throttle.clear(accountKey, tx);
      await this.audit.append(
        { actor: { id: user.id, email: user.email }, action: 'auth.login', entityType: 'user', entityId: user.id, data: { address } },
        tx,
      );
    });
    const accessToken = await this.jwt.signAsync({ sub: user.id, ver: user.tokenVersion });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.jwt.ttlSeconds, user: publicUser(user) };
  }
}
