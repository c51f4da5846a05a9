import { createHash } from 'node:crypto';
import {
  AuditEntry,
  AuditEntryContent,
  canonicalEntry,
  chainEntry,
  ChainVerifier,
  entryHash,
  GENESIS_HASH,
  verifyChain,
} from './hash-chain';

const content = (seq: number, data: AuditEntryContent['data'] = {}): AuditEntryContent => ({
  seq,
  at: new Date(Date.UTC(2026, 10, 28, 12, 0, seq)).toISOString(),
  actor: { id: '00000000-0000-4000-8000-000000000001', email: 'admin@example.org' },
  action: 'user.created',
  entityType: 'user',
  entityId: `user-${seq}`,
  articleId: null,
  data,
});

function buildChain(length: number): AuditEntry[] {
  const chain: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const entry = chainEntry(prev, content(seq, { n: seq }));
    chain.push(entry);
    prev = entry.hash;
  }
  return chain;
}

describe('audit hash chain', () => {
  it('hashes sha256(prevHash + canonical JSON) as the contract says', () => {
    const c = content(1, { b: 2, a: [1, 'x'] });
    const expected = createHash('sha256')
      .update(GENESIS_HASH + canonicalEntry(c))
      .digest('hex');
    expect(entryHash(GENESIS_HASH, c)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('canonical JSON sorts keys at every depth and has no white space', () => {
    const text = canonicalEntry(content(1, { z: { y: 1, b: 2 }, a: true }));
    expect(text).not.toMatch(/\s/);
    expect(text.indexOf('"a":true')).toBeLessThan(text.indexOf('"z":'));
    expect(text).toContain('"z":{"b":2,"y":1}');
    expect(text.startsWith('{"action":')).toBe(true);
  });

  it('gives the same hash whatever the key order of the data', () => {
    expect(entryHash(GENESIS_HASH, content(1, { a: 1, b: 2 }))).toBe(
      entryHash(GENESIS_HASH, content(1, { b: 2, a: 1 })),
    );
  });

  it('changes the hash when any field or the previous hash changes', () => {
    const base = content(3, { a: 1 });
    const h = entryHash('f'.repeat(64), base);
    expect(entryHash('e'.repeat(64), base)).not.toBe(h);
    expect(entryHash('f'.repeat(64), { ...base, action: 'user.updated' })).not.toBe(h);
    expect(entryHash('f'.repeat(64), { ...base, data: { a: 2 } })).not.toBe(h);
    expect(entryHash('f'.repeat(64), { ...base, actor: null })).not.toBe(h);
    expect(entryHash('f'.repeat(64), { ...base, seq: 4 })).not.toBe(h);
  });

  it('verifies an intact chain and reports its head', () => {
    const chain = buildChain(5);
    expect(verifyChain(chain)).toEqual({ valid: true, entries: 5, head: chain[4].hash });
    expect(verifyChain([])).toEqual({ valid: true, entries: 0, head: GENESIS_HASH });
  });

  it('reports the seq of an entry whose content was edited', () => {
    const chain = buildChain(5);
    chain[2] = { ...chain[2], data: { n: 999 } };
    expect(verifyChain(chain)).toEqual({ valid: false, brokenAt: 3, entries: 2 });
  });

  it('reports an edit even when the edited entry was re-hashed, at the entry after it', () => {
    const chain = buildChain(5);
    const forged = chainEntry(chain[1].hash, { ...chain[2], data: { n: 999 } });
    chain[2] = forged;
    expect(verifyChain(chain)).toMatchObject({ valid: false, brokenAt: 4 });
  });

  it('reports a deleted entry at the missing seq', () => {
    const chain = buildChain(5);
    chain.splice(1, 1);
    expect(verifyChain(chain)).toMatchObject({ valid: false, brokenAt: 2 });
  });

  it('reports reordered entries', () => {
    const chain = buildChain(4);
    [chain[1], chain[2]] = [chain[2], chain[1]];
    expect(verifyChain(chain)).toMatchObject({ valid: false, brokenAt: 2 });
  });

  it('answers from canonical text (pushCanonical) exactly as from entries, whatever is wrong', () => {
    const cases: AuditEntry[][] = [];
    cases.push(buildChain(6));
    const edited = buildChain(6);
    edited[2] = { ...edited[2], data: { n: 999 } };
    cases.push(edited);
    const relinked = buildChain(6);
    relinked[3] = { ...relinked[3], prevHash: 'e'.repeat(64) };
    cases.push(relinked);
    const rehashed = buildChain(6);
    rehashed[4] = { ...rehashed[4], hash: 'f'.repeat(64) };
    cases.push(rehashed);
    cases.push(buildChain(6).filter((e) => e.seq !== 2));
    const reordered = buildChain(4);
    [reordered[1], reordered[2]] = [reordered[2], reordered[1]];
    cases.push(reordered);
    for (const chain of cases) {
      const verifier = new ChainVerifier();
      for (const e of chain) if (!verifier.pushCanonical(e.seq, e.prevHash, e.hash, canonicalEntry(e))) break;
      expect(verifier.verdict()).toEqual(verifyChain(chain));
    }
    // Once broken, it stays broken: later entries are not looked at.
    const verifier = new ChainVerifier();
    const chain = buildChain(3);
    expect(verifier.pushCanonical(2, chain[1].prevHash, chain[1].hash, canonicalEntry(chain[1]))).toBe(false);
    expect(verifier.pushCanonical(1, chain[0].prevHash, chain[0].hash, canonicalEntry(chain[0]))).toBe(false);
    expect(verifier.verdict()).toEqual({ valid: false, brokenAt: 1, entries: 0 });
  });

  it('verifies a chain pushed in batches as one chain', () => {
    const chain = buildChain(10);
    const verifier = new ChainVerifier();
    for (let i = 0; i < chain.length; i += 3) chain.slice(i, i + 3).forEach((e) => verifier.push(e));
    expect(verifier.verdict()).toEqual({ valid: true, entries: 10, head: chain[9].hash });
  });
});
