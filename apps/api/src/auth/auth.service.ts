import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import {
  AuditRepository,
  LoginThrottleRepository,
  publicUser,
  RefreshTokensRepository,
  TransactionRunner,
  Tx,
  UsersRepository,
  UserWithSecret,
} from '@imprimatur/database';
import { DomainError, normaliseEmail, unauthenticated, User } from '@imprimatur/domain';
import { PasswordsService } from './passwords.service';
import { newRefreshToken, refreshTokenHash } from './refresh-cookie';

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: User;
}

/** A refresh token to set as the cookie: the token itself exists only here and in the browser. */
export interface IssuedRefreshToken {
  token: string;
  expiresAt: Date;
}

export interface SessionResult extends LoginResult {
  /** null when the browser already holds the current cookie (see REUSE_GRACE_SECONDS). */
  refresh: IssuedRefreshToken | null;
}

/**
 * How long after a rotation its predecessor still refreshes (without a new cookie). Tabs opened at
 * once (Ctrl+click on several links) all send the same cookie; the first rotates it, and the others,
 * a moment later, must not look like a thief replaying it. Past this, a replay revokes the family.
 */
export const REUSE_GRACE_SECONDS = 20;

const SESSION_ENDED = 'Your session has ended; sign in again';

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
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly attempts: PasswordAttempts,
    private readonly passwords: PasswordsService,
    private readonly jwt: JwtService,
  ) {}

  async login(rawEmail: string, password: string, address: string): Promise<SessionResult> {
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
    const refresh = await this.db.run(async (tx) => {
      await this.attempts.succeeded(email, address, tx);
      const replaced =
        rehashed !== null && (await this.users.replacePasswordHash(user.id, user.passwordHash, rehashed, tx));
      const issued: IssuedRefreshToken = {
        token: newRefreshToken(),
        expiresAt: new Date(Date.now() + this.config.refreshTtlHours * 3_600_000),
      };
      await this.refreshTokens.insert(
        {
          userId: user.id,
          familyId: null,
          tokenHash: this.hashOf(issued.token),
          tokenVersion: user.tokenVersion,
          expiresAt: issued.expiresAt,
        },
        tx,
      );
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
      return issued;
    });
    return { ...(await this.accessFor(user)), refresh };
  }

  /**
   * A new access token for the session whose refresh token the browser presents, and the token's
   * successor (rotation). A token that was rotated away and comes back later than REUSE_GRACE_SECONDS
   * has been copied: its whole family is revoked, so neither copy works any more.
   */
  async refresh(presented: string | undefined, address: string): Promise<SessionResult> {
    const hash = refreshTokenHash(presented);
    if (!hash) throw unauthenticated('No session to refresh: sign in');
    const outcome = await this.db.run(async (tx) => {
      const token = await this.refreshTokens.findByHashForUpdate(hash, tx);
      if (!token || token.expired) return null;
      const found = await this.users.findById(token.userId, tx);
      // A deactivation (or anything else that bumps token_version) ends the session.
      const user = found && found.active && found.tokenVersion === token.tokenVersion ? found : null;
      if (token.revokedReason === 'rotated') {
        const concurrent =
          user !== null &&
          (token.revokedSecondsAgo ?? 0) <= REUSE_GRACE_SECONDS &&
          (await this.refreshTokens.familyIsLive(token.familyId, tx));
        if (concurrent) {
          await this.audit.append(
            {
              actor: { id: user.id, email: user.email },
              action: 'auth.refresh',
              entityType: 'user',
              entityId: user.id,
              data: { address, concurrent: true },
            },
            tx,
          );
          return { user, refresh: null };
        }
        const revoked = await this.refreshTokens.revokeFamily(token.familyId, 'reused', tx);
        // Whoever presents it may be the thief: no actor, the account as the entity.
        await this.audit.append(
          {
            actor: null,
            action: 'auth.refresh_reused',
            entityType: 'user',
            entityId: token.userId,
            data: { address, session: token.familyId, revoked },
          },
          tx,
        );
        return null;
      }
      if (token.revokedAt !== null || !user) return null;
      const refresh: IssuedRefreshToken = { token: newRefreshToken(), expiresAt: token.expiresAt };
      const successor = await this.refreshTokens.insert(
        {
          userId: token.userId,
          familyId: token.familyId,
          tokenHash: this.hashOf(refresh.token),
          tokenVersion: token.tokenVersion,
          expiresAt: token.expiresAt,
        },
        tx,
      );
      // The row is locked and was live: this cannot lose a race.
      if (!(await this.refreshTokens.markRotated(token.id, successor.id, tx))) {
        throw new Error('a locked, live refresh token could not be rotated');
      }
      await this.audit.append(
        {
          actor: { id: user.id, email: user.email },
          action: 'auth.refresh',
          entityType: 'user',
          entityId: user.id,
          data: { address },
        },
        tx,
      );
      return { user, refresh };
    });
    // After the commit: a detected reuse stays revoked and audited although the answer is a 401.
    if (!outcome) throw unauthenticated(SESSION_ENDED);
    return { ...(await this.accessFor(outcome.user)), refresh: outcome.refresh };
  }

  /**
   * Ends the browser's session: its refresh token's family is revoked. Nothing to revoke (no cookie,
   * an unknown or already revoked one) is no error: the caller is signed out either way.
   */
  async logout(presented: string | undefined, address: string): Promise<void> {
    const hash = refreshTokenHash(presented);
    if (!hash) return;
    await this.db.run(async (tx) => {
      const token = await this.refreshTokens.findByHashForUpdate(hash, tx);
      if (!token) return;
      const revoked = await this.refreshTokens.revokeFamily(token.familyId, 'logout', tx);
      if (revoked === 0) return;
      const user = await this.users.findById(token.userId, tx);
      await this.audit.append(
        {
          actor: user && { id: user.id, email: user.email },
          action: 'auth.logout',
          entityType: 'user',
          entityId: token.userId,
          data: { address, revoked },
        },
        tx,
      );
    });
  }

  private hashOf(token: string): string {
    const hash = refreshTokenHash(token);
    if (!hash) throw new Error('a generated refresh token does not have the refresh token form');
    return hash;
  }

  private async accessFor(user: UserWithSecret): Promise<LoginResult> {
    const accessToken = await this.jwt.signAsync({ sub: user.id, ver: user.tokenVersion });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.jwt.ttlSeconds, user: publicUser(user) };
  }
}
