import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, 3 passes), which follow the RFC 9106 recommendation. */
@Injectable()
export class PasswordsService {
  private dummy: Promise<string> | null = null;

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /**
   * Verifying against a throwaway hash when the account does not exist makes a wrong email take as
   * long as a wrong password, so response times do not tell which emails have accounts.
   */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummy ??= this.hash(`no-such-account-${Math.random()}`);
    await this.verify(await this.dummy, password);
    return false;
  }
}
