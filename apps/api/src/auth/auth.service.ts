import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import {
  AuditRepository,
  LoginThrottleRepository,
  publicUser,
  TransactionRunner,
  Tx,
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

/** The three counters a login attempt counts against (see the README's login throttling policy). */
export const throttleKeys = (email: string, address: string) => ({
  pair: `pair:${email}|${address}`,
  account: `account:${email}`,
  address: `address:${address}`,
});

/**
 * Password guesses, for logins and for signing (contract §12): one budget, so that a stolen session
 * cannot be used to guess the password by signing over and over.
 */
@Injectable()
export class PasswordAttempts {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly throttle: LoginThrottleRepository,
  ) {}

  /**
   * Takes a slot on each counter before the password is checked, atomically, so that a burst of
   * parallel guesses reaches argon2 at most `limit` times and a throttled caller cannot make us spend
   * its time; 429 when any is full. A failure keeps the slots it took.
   */
  async take(email: string, address: string, refusal: string): Promise<void> {
    const keys = throttleKeys(email, address);
    const { perAccount, perAccountTotal, perAddress, windowSeconds } = this.config.loginThrottle;
    const reservation = await this.throttle.reserve(
      [
        { key: keys.pair, limit: perAccount },
        { key: keys.account, limit: perAccountTotal },
        { key: keys.address, limit: perAddress },
      ],
      windowSeconds,
    );
    if (!reservation.taken) {
      throw new DomainError('rate_limited', refusal, { retryAfterSeconds: reservation.retryAfterSeconds });
    }
  }

  /**
   * The right password: failures from this address for this account are forgiven; the account's and
   * the address's counts only get back the slot this attempt took, so a success does not wipe out
   * evidence of guessing from elsewhere.
   */
  async succeeded(email: string, address: string, tx: Tx): Promise<void> {
    const keys = throttleKeys(email, address);
    await this.throttle.lock([keys.pair, keys.account, keys.address], tx);
    await this.throttle.clear([keys.pair], tx);
    await this.throttle.release([keys.account, keys.address], tx);
  }
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly attempts: PasswordAttempts,
    private readonly passwords: PasswordsService,
    private readonly jwt: JwtService,
  ) {}

  async login(rawEmail: string, password: string, address: string): Promise<LoginResult> {
    const email = normaliseEmail(rawEmail);
    // The slot is taken before the password is checked (see PasswordAttempts.take).
    await this.attempts.take(email, address, 'Too many failed logins; try again later');

    const user = await this.users.findByEmail(email, this.db.autocommit);
    const passwordOk = user
      ? await this.passwords.verify(user.passwordHash, password)
      : await this.passwords.verifyAgainstNothing(password);
    if (!user || !passwordOk || !user.active) {
      const reason = !user ? 'unknown_email' : !passwordOk ? 'wrong_password' : 'inactive';
      // The failure keeps the slots it took.
      await this.db.run((tx) =>
        this.audit.append(
          {
            actor: null,
            action: 'auth.login_failed',
            entityType: 'user',
            entityId: user?.id ?? null,
            data: { email, reason, address },
          },
          tx,
        ),
      );
      // One answer for all three reasons, so the response does not tell which emails have accounts.
      throw unauthenticated('Email or password is wrong');
    }

    // The password is at hand only now: a hash made with older settings is re-made with the current ones.
    const rehashed = this.passwords.needsRehash(user.passwordHash) ? await this.passwords.hash(password) : null;
    await this.db.run(async (tx) => {
      await this.attempts.succeeded(email, address, tx);
      const replaced =
        rehashed !== null && (await this.users.replacePasswordHash(user.id, user.passwordHash, rehashed, tx));
      await this.audit.append(
        {
          actor: { id: user.id, email: user.email },
          action: 'auth.login',
          entityType: 'user',
          entityId: user.id,
          data: replaced ? { address, passwordRehashed: true } : { address },
        },
        tx,
      );
    });
    const accessToken = await this.jwt.signAsync({ sub: user.id, ver: user.tokenVersion });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.jwt.ttlSeconds, user: publicUser(user) };
  }
}
