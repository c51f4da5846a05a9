import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** What a sealed value starts with; anything else in a secret column is a value from before SECRETS_KEY. */
const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key's id in sealed values: the first 12 characters of base64url(SHA-256(key)); it names, never reveals, the key. */
export const secretKeyId = (key: Buffer): string => createHash('sha256').update(key).digest('base64url').slice(0, 12);

export class SecretKeyMissingError extends Error {
  override readonly name = 'SecretKeyMissingError';

  constructor(readonly kid: string) {
    super(
      `A stored secret was sealed with key ${kid}, which is neither SECRETS_KEY nor in SECRETS_KEY_PREVIOUS: ` +
        'configure that key (as SECRETS_KEY_PREVIOUS while rotating) to read it',
    );
  }
}

/** A sealed value that does not open: tampered with, cut short, or sealed for another column. */
export class SecretCorruptError extends Error {
  override readonly name = 'SecretCorruptError';
}

/**
 * Secrets at rest (issue #16): webhook secrets and generated signing keys are sealed with AES-256-GCM
 * (node:crypto) under SECRETS_KEY before they reach the database, as `enc:v1:<kid>:<iv>.<ciphertext>.<tag>`.
 * The column's name is the additional authenticated data, so a sealed value copied into another
 * column does not open. Keys in SECRETS_KEY_PREVIOUS still open what they sealed, which is how a
 * rotation reads old values until they are sealed again under the new key. Without a key, values are
 * stored as they are (development only: production refuses to start without SECRETS_KEY).
 */
export class SecretBox {
  private readonly current: { kid: string; key: Buffer } | null;
  private readonly keys = new Map<string, Buffer>();

  constructor(keys: { current: Buffer | null; previous: readonly Buffer[] }) {
    for (const key of [...(keys.current ? [keys.current] : []), ...keys.previous]) {
      if (key.length !== 32) throw new Error('a secrets key must be 32 bytes');
      this.keys.set(secretKeyId(key), key);
    }
    this.current = keys.current ? { kid: secretKeyId(keys.current), key: keys.current } : null;
  }

  get enabled(): boolean {
    return this.current !== null;
  }

  /** The id of the key new values are sealed with; null without SECRETS_KEY. */
  get currentKeyId(): string | null {
    return this.current?.kid ?? null;
  }

  seal(plain: string, column: string): string {
    if (!this.current) return plain;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(column, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const parts = [iv, sealed, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    return `${PREFIX}${this.current.kid}:${parts.join('.')}`;
  }

  open(stored: string, column: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const [kid, payload] = stored.slice(PREFIX.length).split(':');
    const key = kid === undefined ? undefined : this.keys.get(kid);
    if (!kid || !key) throw new SecretKeyMissingError(kid ?? '?');
    const [iv, sealed, tag] = (payload ?? '').split('.').map((part) => Buffer.from(part, 'base64url'));
    if (!iv || !sealed || !tag || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new SecretCorruptError(`a sealed ${column} is malformed`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(column, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretCorruptError(`a sealed ${column} does not open: it was altered or sealed for another column`);
    }
  }

  /** Whether a stored value should be sealed again: stored plain while a key is set, or under a key other than SECRETS_KEY. */
  needsResealing(stored: string): boolean {
    if (!this.current) return false;
    if (!stored.startsWith(PREFIX)) return true;
    return stored.slice(PREFIX.length).split(':')[0] !== this.current.kid;
  }
}
