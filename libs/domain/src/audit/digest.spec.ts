import { createHash, generateKeyPairSync, KeyObject, verify } from 'node:crypto';
import {
  asDigest,
  AUDIT_DIGEST_ACTION,
  AuditDigest,
  digestMessage,
  IntegrityVerifier,
  keyIdOf,
  publicJwk,
  signDigest,
  verifyDigestSignature,
} from './digest';
import { AuditEntry, canonicalEntry, chainEntry, GENESIS_HASH } from './hash-chain';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const keys = new Map<string, KeyObject>([[keyIdOf(publicKey), publicKey]]);

/** A chain of `length` plain entries, with a digest entry (signed by `signer`) after the n-th plain entry for each n in `digestAfter`. */
function buildChain(length: number, digestAfter: number[] = [], signer = privateKey): AuditEntry[] {
  const chain: AuditEntry[] = [];
  let lastDigest: number | null = null;
  const append = (action: string, data: AuditEntry['data']) => {
    const prev = chain[chain.length - 1];
    const entry = chainEntry(prev ? prev.hash : GENESIS_HASH, {
      seq: chain.length + 1,
      at: new Date(Date.UTC(2026, 10, 28, 12, 0, chain.length)).toISOString(),
      actor: null,
      action,
      entityType: 'test',
      entityId: null,
      articleId: null,
      data,
    });
    chain.push(entry);
    return entry;
  };
  for (let n = 1; n <= length; n++) {
    append('user.created', { n });
    if (digestAfter.includes(n)) {
      const head = chain[chain.length - 1];
      const digest = signDigest(signer, head, lastDigest);
      lastDigest = append(AUDIT_DIGEST_ACTION, { ...digest }).seq;
    }
  }
  return chain;
}

/** The verdict of `push`, after checking that `pushCanonical` (the bulk reader's way in) gives the same. */
function check(chain: AuditEntry[], anchor: { headSeq: number; headHash: string } | null = null) {
  const verifier = new IntegrityVerifier(keys, anchor);
  for (const entry of chain) if (!verifier.push(entry)) break;
  const bulk = new IntegrityVerifier(keys, anchor);
  for (const e of chain) {
    if (!bulk.pushCanonical(e.seq, e.prevHash, e.hash, canonicalEntry(e), e.action, e.data)) break;
  }
  expect(bulk.verdict()).toEqual(verifier.verdict());
  return verifier.verdict();
}

describe('audit digests', () => {
  it('signs the canonical JSON of every field but the signature with Ed25519, under the key thumbprint', () => {
    const digest = signDigest(privateKey, { seq: 7, hash: 'a'.repeat(64) }, 3);
    expect(digest).toEqual({
      headSeq: 7,
      headHash: 'a'.repeat(64),
      previousDigestSeq: 3,
      keyId: keyIdOf(publicKey),
      algorithm: 'Ed25519',
      signature: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/),
    });
    const message = `{"algorithm":"Ed25519","headHash":"${'a'.repeat(64)}","headSeq":7,"keyId":"${digest.keyId}","previousDigestSeq":3}`;
    expect(digestMessage(digest).toString('utf8')).toBe(message);
    // Anyone with the public key checks it with plain node:crypto, as documented.
    expect(verify(null, Buffer.from(message), publicKey, Buffer.from(digest.signature, 'base64url'))).toBe(true);
    expect(verifyDigestSignature(digest, publicKey)).toBe(true);
  });

  it('uses the RFC 7638 thumbprint of the public JWK as the key id', () => {
    const { x } = publicJwk(publicKey);
    expect(keyIdOf(privateKey)).toBe(
      createHash('sha256')
        .update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x }))
        .digest('base64url'),
    );
    expect(keyIdOf(privateKey)).toBe(keyIdOf(publicKey));
    expect(keyIdOf(other.publicKey)).not.toBe(keyIdOf(publicKey));
  });

  it('refuses keys that are not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => keyIdOf(rsa.privateKey)).toThrow(/must be Ed25519/);
  });

  it.each<[string, (d: AuditDigest) => AuditDigest]>([
    ['another head seq', (d) => ({ ...d, headSeq: d.headSeq - 1 })],
    ['another head hash', (d) => ({ ...d, headHash: 'b'.repeat(64) })],
    ['another previous digest', (d) => ({ ...d, previousDigestSeq: null })],
    ['another key id', (d) => ({ ...d, keyId: keyIdOf(other.publicKey) })],
    [
      'a flipped signature byte',
      (d) => ({
        ...d,
        signature: Buffer.from(Buffer.from(d.signature, 'base64url').map((b, i) => (i === 0 ? b ^ 1 : b))).toString(
          'base64url',
        ),
      }),
    ],
  ])('rejects a digest with %s', (_, change) => {
    const digest = signDigest(privateKey, { seq: 7, hash: 'a'.repeat(64) }, 3);
    expect(verifyDigestSignature(change(digest), publicKey)).toBe(false);
    expect(verifyDigestSignature(digest, other.publicKey)).toBe(false);
  });

  it('reads a digest from entry data and nothing else', () => {
    const digest = signDigest(privateKey, { seq: 0, hash: GENESIS_HASH }, null);
    expect(asDigest({ ...digest })).toEqual(digest);
    expect(asDigest({ ...digest, headSeq: -1 })).toBeNull();
    expect(asDigest({ ...digest, headHash: 'xyz' })).toBeNull();
    expect(asDigest({ ...digest, previousDigestSeq: 0 })).toBeNull();
    expect(asDigest({ ...digest, algorithm: 'RS256' })).toBeNull();
    expect(asDigest({ ...digest, signature: 'not base64url!' })).toBeNull();
    expect(asDigest(null)).toBeNull();
  });
});

describe('IntegrityVerifier', () => {
  it('accepts a chain whose digests each vouch for the entry before them and link to the previous digest', () => {
    const chain = buildChain(10, [3, 8]);
    expect(chain.filter((e) => e.action === AUDIT_DIGEST_ACTION).map((e) => e.seq)).toEqual([4, 10]);
    expect(chain[9].data).toMatchObject({ headSeq: 9, previousDigestSeq: 4 });
    expect(check(chain)).toEqual({ valid: true, entries: 12, head: chain[11].hash, digests: 2 });
  });

  it('answers exactly as the hash chain verifier when there are no digests', () => {
    const chain = buildChain(5);
    expect(check(chain)).toEqual({ valid: true, entries: 5, head: chain[4].hash });
    const broken = chain.filter((e) => e.seq !== 3);
    expect(check(broken)).toEqual({ valid: false, brokenAt: 3, entries: 2 });
  });

  it('reports a digest signed by an unknown key at its seq', () => {
    const chain = buildChain(6, [2], other.privateKey);
    expect(check(chain)).toEqual({ valid: false, brokenAt: 3, entries: 2, reason: 'digest_signature' });
  });

  it('reports a digest that names another head, and one that skips the previous digest', () => {
    // Built by hand so that the hash chain itself is intact and only the digests are wrong.
    const base = buildChain(3);
    const badHead = chainEntry(base[2].hash, {
      ...base[2],
      seq: 4,
      action: AUDIT_DIGEST_ACTION,
      data: { ...signDigest(privateKey, base[1], null) },
    });
    expect(check([...base, badHead])).toEqual({ valid: false, brokenAt: 4, entries: 3, reason: 'digest_head' });
    const badLink = chainEntry(base[2].hash, {
      ...base[2],
      seq: 4,
      action: AUDIT_DIGEST_ACTION,
      data: { ...signDigest(privateKey, base[2], 2) },
    });
    expect(check([...base, badLink])).toEqual({ valid: false, brokenAt: 4, entries: 3, reason: 'digest_previous' });
  });

  it('detects the newest entries cut off only against a digest kept elsewhere', () => {
    const chain = buildChain(12, [5, 10]);
    const kept = asDigest(chain[11].data);
    expect(kept).toMatchObject({ headSeq: 11 });
    const truncated = chain.slice(0, 8);
    // On its own the shorter chain is whole, digests included: that is what the kept digest is for.
    expect(check(truncated)).toEqual({ valid: true, entries: 8, head: truncated[7].hash, digests: 1 });
    expect(check(truncated, kept)).toEqual({ valid: false, brokenAt: 9, entries: 8, reason: 'truncated' });
    expect(check(chain, kept)).toEqual({ valid: true, entries: 14, head: chain[13].hash, digests: 2 });
  });

  it('detects a rewritten history against a digest kept elsewhere', () => {
    const chain = buildChain(6, [4]);
    const kept = asDigest(chain[4].data);
    // Rebuilt from seq 3 on with other content: a consistent chain, but not the one the digest saw.
    const rewritten = chain.slice(0, 2);
    for (let seq = 3; seq <= 7; seq++) {
      rewritten.push(
        chainEntry(rewritten[seq - 2].hash, { ...chain[seq - 1], action: 'user.created', data: { forged: seq } }),
      );
    }
    expect(check(rewritten)).toEqual({ valid: true, entries: 7, head: rewritten[6].hash });
    expect(check(rewritten, kept)).toEqual({ valid: false, brokenAt: 4, entries: 3, reason: 'anchor_mismatch' });
  });

  it('checks a digest of the empty log against the genesis hash', () => {
    expect(check([], { headSeq: 0, headHash: GENESIS_HASH })).toEqual({ valid: true, entries: 0, head: GENESIS_HASH });
    expect(check([], { headSeq: 0, headHash: 'c'.repeat(64) })).toMatchObject({
      valid: false,
      reason: 'anchor_mismatch',
    });
    expect(check([], { headSeq: 1, headHash: 'c'.repeat(64) })).toEqual({
      valid: false,
      brokenAt: 1,
      entries: 0,
      reason: 'truncated',
    });
  });
});
