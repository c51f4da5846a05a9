import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/**
 * argon2id at the first of OWASP's recommended settings (Password Storage Cheat Sheet): 19 MiB, 2
 * passes, 1 lane. The library's default (64 MiB, 3 passes, 4 lanes, RFC 9106's second option) cost
 * 0.2 s of CPU on both cores of our 2-core machine for every login and every sign-off's password
 * re-check, and while it ran every other request waited (docs/benchmarks.md, "Workflow API under
 * load"); this one costs about 30 ms on one core. Hashes made with other settings still verify (the
 * settings are in the hash) and are re-made with these at the next successful login.
 */
const SETTINGS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordsService {
  private dummy: Promise<string> | null = null;

  hash(password: string): Promise<string> {
    return argon2.hash(password, SETTINGS);
  }

  /** True when `hash` was made with other settings than these (or is not an argon2 hash we can read). */
  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, SETTINGS);
    } catch {
      return true;
    }
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
