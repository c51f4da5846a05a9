import { Injectable } from '@nestjs/common';
import { TableColumns } from '../columns';
import { SecretBox } from '../secret-box';
import { advisoryXactLock, exec, many, maybeOne } from '../sql';
import { Tx } from '../transaction';

/** The public half of an Ed25519 key as a JWK (RFC 8037), without kid/alg/use: those are added where it is served. */
export interface Ed25519PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}

export interface PublicationKeyRecord {
  /** RFC 7638 thumbprint of the public JWK: the `kid` of the attestations it signs. */
  kid: string;
  publicJwk: Ed25519PublicJwk;
  /** PKCS#8 PEM, only for keys generated because PUBLICATION_SIGNING_KEY was not set; null for configured keys. */
  privateKey: string | null;
  createdAt: Date;
  /** When a rotation retired a generated key; configured keys are never marked (the operator changes the variable). */
  retiredAt: Date | null;
}

interface PublicationKeyRow {
  kid: string;
  public_jwk: Ed25519PublicJwk;
  private_key: string | null;
  created_at: Date;
  retired_at: Date | null;
}

export const PUBLICATION_KEY_COLUMNS = new TableColumns<PublicationKeyRow>('publication_keys', {
  kid: true,
  public_jwk: true,
  private_key: true,
  created_at: true,
  retired_at: true,
});

/** The column a generated private key is sealed for (secrets at rest). */
export const PUBLICATION_KEY_SECRET_COLUMN = 'publication_keys.private_key';

// Any constant works; everything that writes generated keys takes it (see lockGenerated).
const GENERATED_KEYS_LOCK = 0x7075626b; // "pubk"

/**
 * The publisher's signing keys (contract §12). Public halves are kept for ever so that versions signed by a
 * retired or replaced key still verify; a unique partial index allows one active generated key at most.
 */
@Injectable()
export class PublicationKeysRepository {
  constructor(private readonly box: SecretBox) {}

  private toKey(r: PublicationKeyRow): PublicationKeyRecord {
    return {
      kid: r.kid,
      publicJwk: r.public_jwk,
      privateKey: r.private_key === null ? null : this.box.open(r.private_key, PUBLICATION_KEY_SECRET_COLUMN),
      createdAt: r.created_at,
      retiredAt: r.retired_at,
    };
  }

  /** Every key ever recorded, oldest first. */
  async all(tx: Tx): Promise<PublicationKeyRecord[]> {
    const rows = await many<PublicationKeyRow>(
      tx,
      `SELECT ${PUBLICATION_KEY_COLUMNS.list} FROM publication_keys ORDER BY created_at, kid`,
    );
    return rows.map((r) => this.toKey(r));
  }

  /** The generated key that signs while PUBLICATION_SIGNING_KEY is unset (an index lookup). */
  async activeGenerated(tx: Tx): Promise<PublicationKeyRecord | null> {
    const row = await maybeOne<PublicationKeyRow>(
      tx,
      `SELECT ${PUBLICATION_KEY_COLUMNS.list} FROM publication_keys WHERE private_key IS NOT NULL AND retired_at IS NULL`,
    );
    return row ? this.toKey(row) : null;
  }

  /**
   * Serialises the writers of generated keys (first generation, rotation) until the transaction ends, so
   * that a rotation and a first generation in another process never both insert an active key.
   */
  lockGenerated(tx: Tx): Promise<void> {
    return advisoryXactLock(tx, GENERATED_KEYS_LOCK);
  }

  /**
   * Records a key; a key already recorded (the same kid) or a second active generated key (the partial
   * unique index) is left as it is: re-read to learn which key won.
   */
  async record(key: { kid: string; publicJwk: Ed25519PublicJwk; privateKey: string | null }, tx: Tx): Promise<boolean> {
    const inserted = await exec(
      tx,
      `INSERT INTO publication_keys (kid, public_jwk, private_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [
        key.kid,
        JSON.stringify(key.publicJwk),
        key.privateKey === null ? null : this.box.seal(key.privateKey, PUBLICATION_KEY_SECRET_COLUMN),
      ],
    );
    return inserted === 1;
  }

  /** Retires the active generated key, if any; its public half stays listed. */
  async retireGenerated(tx: Tx): Promise<PublicationKeyRecord | null> {
    const row = await maybeOne<PublicationKeyRow>(
      tx,
      `UPDATE publication_keys SET retired_at = now() WHERE private_key IS NOT NULL AND retired_at IS NULL
       RETURNING ${PUBLICATION_KEY_COLUMNS.list}`,
    );
    return row ? this.toKey(row) : null;
  }

  /** Every generated private key as it is at rest (for sealing them again). */
  async storedPrivateKeys(tx: Tx): Promise<{ kid: string; stored: string }[]> {
    return many<{ kid: string; stored: string }>(
      tx,
      'SELECT kid, private_key AS stored FROM publication_keys WHERE private_key IS NOT NULL ORDER BY kid',
    );
  }

  async replaceStoredPrivateKey(kid: string, before: string, after: string, tx: Tx): Promise<void> {
    await exec(tx, 'UPDATE publication_keys SET private_key = $3 WHERE kid = $1 AND private_key = $2', [
      kid,
      before,
      after,
    ]);
  }
}
