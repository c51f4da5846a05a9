import { randomBytes } from 'node:crypto';
import { SecretBox, SecretCorruptError, secretKeyId, SecretKeyMissingError } from './secret-box';

const COLUMN = 'webhook_subscriptions.secret';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('SecretBox (secrets at rest)', () => {
  const key = randomBytes(32);
  const box = new SecretBox({ current: key, previous: [] });

  it('seals with AES-256-GCM under the current key and opens again; the sealed value hides the secret', () => {
    const sealed = box.seal(SECRET, COLUMN);
    expect(sealed.startsWith(`enc:v1:${secretKeyId(key)}:`)).toBe(true);
    expect(sealed).not.toContain(SECRET.slice(6));
    expect(box.open(sealed, COLUMN)).toBe(SECRET);
    // A fresh IV every time: equal secrets do not look equal at rest.
    expect(box.seal(SECRET, COLUMN)).not.toBe(sealed);
  });

  it('refuses a value that was altered, cut short or moved to another column', () => {
    const sealed = box.seal(SECRET, COLUMN);
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[1], 'base64url');
    flipped[0] ^= 1;
    const altered = [parts[0], flipped.toString('base64url'), parts[2]].join('.');
    expect(() => box.open(altered, COLUMN)).toThrow(SecretCorruptError);
    expect(() => box.open(parts.slice(0, 2).join('.'), COLUMN)).toThrow(SecretCorruptError);
    expect(() => box.open(sealed, 'publication_keys.private_key')).toThrow(SecretCorruptError);
  });

  it('opens what a previous key sealed while rotating, and says which values to seal again', () => {
    const previous = randomBytes(32);
    const before = new SecretBox({ current: previous, previous: [] });
    const old = before.seal(SECRET, COLUMN);
    const rotating = new SecretBox({ current: key, previous: [previous] });
    expect(rotating.open(old, COLUMN)).toBe(SECRET);
    expect(rotating.needsResealing(old)).toBe(true);
    expect(rotating.needsResealing(rotating.seal(SECRET, COLUMN))).toBe(false);
    expect(rotating.needsResealing(SECRET)).toBe(true);
    // Once the previous key is gone, its values name the key they need.
    expect(() => box.open(old, COLUMN)).toThrow(SecretKeyMissingError);
    expect(() => box.open(old, COLUMN)).toThrow(secretKeyId(previous));
  });

  it('without a key stores values as they are and reads values from before encryption', () => {
    const none = new SecretBox({ current: null, previous: [] });
    expect(none.enabled).toBe(false);
    expect(none.seal(SECRET, COLUMN)).toBe(SECRET);
    expect(none.needsResealing(SECRET)).toBe(false);
    expect(box.open(SECRET, COLUMN)).toBe(SECRET);
  });

  it('accepts only 32-byte keys', () => {
    expect(() => new SecretBox({ current: randomBytes(16), previous: [] })).toThrow('32 bytes');
  });
});
