import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, JWK, KeyLike } from 'jose';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import {
  AuditRepository,
  Ed25519PublicJwk,
  PublicationKeyRecord,
  PublicationKeysRepository,
  TransactionRunner,
  Tx,
} from '@imprimatur/database';
import { DomainError, Principal } from '@imprimatur/domain';

/** A private key ready to sign, and the kid (RFC 7638 thumbprint) that names it. */
export interface SigningKey {
  kid: string;
  privateKey: KeyLike;
}

/** A public key as GET /.well-known/jwks.json lists it. */
export interface PublicationJwk extends Ed25519PublicJwk {
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export interface PublicationKeyView {
  kid: string;
  /** configured: PUBLICATION_SIGNING_KEY; generated: made here and kept in the database. */
  source: 'configured' | 'generated';
  createdAt: string;
  retiredAt: string | null;
}

export interface RotationOutcome {
  retired: PublicationKeyView | null;
  current: PublicationKeyView;
}

const ALG = 'EdDSA';

async function publicJwkOf(key: KeyLike): Promise<Ed25519PublicJwk> {
  // Only the public members: exportJWK of a private key also gives `d`.
  const { kty, crv, x }: JWK = await exportJWK(key);
  if (kty !== 'OKP' || crv !== 'Ed25519' || !x) throw new Error('a publication key must be Ed25519');
  return { kty, crv, x };
}

const kidOf = (jwk: Ed25519PublicJwk) => calculateJwkThumbprint(jwk, 'sha256');

const viewOf = (key: PublicationKeyRecord): PublicationKeyView => ({
  kid: key.kid,
  source: key.privateKey === null ? 'configured' : 'generated',
  createdAt: key.createdAt.toISOString(),
  retiredAt: key.retiredAt?.toISOString() ?? null,
});

/**
 * The publisher's Ed25519 keys (contract §12). PUBLICATION_SIGNING_KEY, when set, signs, and its
 * public half is recorded so that it stays in the JWKS after the variable changes. Otherwise the
 * active generated key in the database signs: generated at first need, shared by every process,
 * replaced by a rotation. The signing key is read from the database at each publication (an index
 * lookup), so that a rotation made through one process is used by all of them at once.
 */
@Injectable()
export class SigningKeys implements OnApplicationBootstrap {
  private readonly logger = new Logger(SigningKeys.name);
  /** Imported private keys by kid: importing is the costly part, and a kid names one key for ever. */
  private readonly imported = new Map<string, Promise<KeyLike>>();
  private configured: Promise<SigningKey & { publicJwk: Ed25519PublicJwk }> | null = null;
  private configuredRecorded: Promise<void> | null = null;
  private readied = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly keys: PublicationKeysRepository,
    private readonly audit: AuditRepository,
  ) {}

  /** At start, so that the JWKS lists the signing key before anything is published. */
  async onApplicationBootstrap(): Promise<void> {
    const { kid } = await this.ready();
    this.logger.log({ kid, configured: this.configuredPem !== null }, 'publication signing key');
  }

  /** The key that signs now, read in the caller's transaction (the publication's). */
  async current(tx: Tx): Promise<SigningKey> {
    const configured = await this.configuredKey();
    if (configured) {
      await this.recordConfigured(configured);
      return configured;
    }
    let active = await this.keys.activeGenerated(tx);
    if (!active) {
      await this.generate();
      // Committed by now (by this process or another): visible to the caller's next statement.
      active = await this.keys.activeGenerated(tx);
    }
    if (!active?.privateKey) throw new Error('no active generated publication key after generating one');
    return { kid: active.kid, privateKey: await this.importOnce(active.kid, active.privateKey) };
  }

  /** Makes sure the signing key exists and is recorded; answers it. */
  async ready(): Promise<SigningKey> {
    const key = await this.db.run((tx) => this.current(tx));
    this.readied = true;
    return key;
  }

  /** Every public key ever recorded, oldest first, current and retired alike. */
  async jwks(): Promise<PublicationJwk[]> {
    // Once a signing key exists it stays listed: a process that has readied one need not again.
    if (!this.readied) await this.ready();
    return (await this.keys.all(this.db.autocommit)).map((key) => ({
      kty: 'OKP',
      crv: 'Ed25519',
      x: key.publicJwk.x,
      kid: key.kid,
      alg: ALG,
      use: 'sig',
    }));
  }

  async list(): Promise<{ current: string; keys: PublicationKeyView[] }> {
    const { kid } = await this.ready();
    return { current: kid, keys: (await this.keys.all(this.db.autocommit)).map(viewOf) };
  }

  /**
   * Retires the active generated key and generates its successor, with the audit entry, in one
   * transaction. A configured key is changed by changing PUBLICATION_SIGNING_KEY instead.
   */
  async rotate(user: Principal): Promise<RotationOutcome> {
    if (this.configuredPem !== null) {
      throw new DomainError(
        'invalid_transition',
        'Publications are signed with PUBLICATION_SIGNING_KEY: to rotate, set it to a new key and restart (the old public key stays in the JWKS)',
        { from: 'configured_key', action: 'rotate', allowed: [] },
      );
    }
    return this.db.run(async (tx) => {
      await this.keys.lockGenerated(tx);
      const retired = await this.keys.retireGenerated(tx);
      const fresh = await newGeneratedKey();
      if (!(await this.keys.record(fresh, tx))) throw new Error('the new publication key was not stored');
      const current = await this.keys.activeGenerated(tx);
      if (current?.kid !== fresh.kid) throw new Error('the new publication key is not the active one');
      await this.audit.append(
        {
          actor: { id: user.id, email: user.email },
          action: 'publication_key.rotated',
          entityType: 'publication_key',
          entityId: fresh.kid,
          data: { retiredKid: retired?.kid ?? null, kid: fresh.kid },
        },
        tx,
      );
      return { retired: retired ? viewOf(retired) : null, current: viewOf(current) };
    });
  }

  private get configuredPem(): string | null {
    return this.config.publicationSigning.signingKeyPem;
  }

  private configuredKey(): Promise<(SigningKey & { publicJwk: Ed25519PublicJwk }) | null> {
    const pem = this.configuredPem;
    if (pem === null) return Promise.resolve(null);
    this.configured ??= (async () => {
      const privateKey = await importPKCS8(pem, ALG);
      const publicJwk = await publicJwkOf(privateKey);
      return { kid: await kidOf(publicJwk), privateKey, publicJwk };
    })();
    return this.configured;
  }

  /** Once per process (again after a failure): the configured key's public half, private_key NULL. */
  private recordConfigured(key: { kid: string; publicJwk: Ed25519PublicJwk }): Promise<void> {
    this.configuredRecorded ??= this.keys
      .record({ kid: key.kid, publicJwk: key.publicJwk, privateKey: null }, this.db.autocommit)
      .then(
        () => undefined,
        (error: unknown) => {
          this.configuredRecorded = null;
          throw error;
        },
      );
    return this.configuredRecorded;
  }

  /**
   * Generates the first key, in a transaction of its own so that it outlives a publication that fails.
   * Several processes may get here at once: under the lock, the first stores its key, and the others
   * find it and store none.
   */
  private generate(): Promise<void> {
    return this.db.run(async (tx) => {
      await this.keys.lockGenerated(tx);
      if (await this.keys.activeGenerated(tx)) return;
      const key = await newGeneratedKey();
      await this.keys.record(key, tx);
      this.logger.log({ kid: key.kid }, 'generated a publication signing key');
    });
  }

  private importOnce(kid: string, pem: string): Promise<KeyLike> {
    let key = this.imported.get(kid);
    if (!key) {
      key = importPKCS8(pem, ALG);
      this.imported.set(kid, key);
      void key.catch(() => this.imported.delete(kid));
    }
    return key;
  }
}

async function newGeneratedKey(): Promise<{ kid: string; publicJwk: Ed25519PublicJwk; privateKey: string }> {
  const { privateKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
  const publicJwk = await publicJwkOf(privateKey);
  return { kid: await kidOf(publicJwk), publicJwk, privateKey: await exportPKCS8(privateKey) };
}
