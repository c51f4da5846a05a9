import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import {
  AuditEntryContent,
  canonicalEntry,
  canonicalEntryReference,
  canonicalJson,
  entryHash,
  GENESIS_HASH,
  JsonValue,
} from './hash-chain';

/** A small seeded generator, so that a failure names an entry that can be built again. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// Code points chosen to stress escaping and code-unit key order: controls, quotes, backslash, the
// JavaScript line separators, Latin-1, the BMP's top, astral characters, and lone surrogates.
const ALPHABET = [
  'a',
  'Z',
  '0',
  ' ',
  '"',
  '\\',
  '/',
  '\n',
  '\r',
  '\t',
  '\b',
  '\f',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u0080',
  'é',
  'ö',
  '\u2028',
  '\u2029',
  '€',
  '\ufb33',
  '\uffff',
  '😀',
  '𝄞',
  '\ud800',
  '\udfff',
  'ß',
  'ﬁ',
  'Å',
];

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  7,
  42,
  1e21,
  1e-7,
  1e-6,
  123456789012345680000,
  0.1,
  0.30000000000000004,
  -2.5e-8,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.EPSILON,
  333333333.3333333,
  1e308,
  4.5,
  2 ** 53 + 2,
];

function generator(seed: number) {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const text = (max = 12) => {
    let s = '';
    const length = Math.floor(random() * max);
    for (let i = 0; i < length; i++) s += pick(ALPHABET);
    return s;
  };
  const number = () => (random() < 0.5 ? pick(NUMBERS) : (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20));
  const value = (depth: number): JsonValue => {
    const kind = Math.floor(random() * (depth > 3 ? 5 : 7));
    switch (kind) {
      case 0:
        return text();
      case 1:
        return number();
      case 2:
        return random() < 0.5;
      case 3:
        return null;
      case 4:
        return Math.floor(random() * 1_000_000);
      case 5:
        return Array.from({ length: Math.floor(random() * 5) }, () => value(depth + 1));
      default:
        return object(depth + 1);
    }
  };
  const object = (depth: number): { [key: string]: JsonValue } => {
    const o: { [key: string]: JsonValue } = {};
    const size = Math.floor(random() * 6);
    // Integer-like keys come first in Object.keys: the sort must still put them in code-unit order.
    for (let i = 0; i < size; i++) o[random() < 0.2 ? String(Math.floor(random() * 100)) : text(6)] = value(depth);
    return o;
  };
  const uuid = () => `${Math.floor(random() * 0xffffffff).toString(16)}-0000-4000-8000-000000000001`;
  const entry = (seq: number): AuditEntryContent => ({
    seq,
    at: new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 2e11)).toISOString(),
    actor: random() < 0.2 ? null : { id: uuid(), email: `${text(8)}@example.org` },
    action: pick(['auth.login', 'article.submitted', 'signoff.recorded', text(10)]),
    entityType: pick(['article', 'user', text(5)]),
    entityId: random() < 0.2 ? null : pick([uuid(), text(8)]),
    articleId: random() < 0.3 ? null : uuid(),
    data: object(0),
  });
  return { entry, value, object };
}

describe('canonicalEntry, written out for the entry shape', () => {
  it('gives the bytes of the general RFC 8785 canonicaliser on thousands of generated entries', () => {
    const { entry } = generator(8785);
    for (let seq = 1; seq <= 5_000; seq++) {
      const e = entry(seq);
      expect(canonicalEntry(e)).toBe(canonicalEntryReference(e));
    }
  });

  it('gives the same bytes for an entry read back through JSON (as from jsonb)', () => {
    const { entry } = generator(42);
    for (let seq = 1; seq <= 1_000; seq++) {
      const e = JSON.parse(JSON.stringify(entry(seq))) as AuditEntryContent;
      expect(canonicalEntry(e)).toBe(canonicalEntryReference(e));
    }
  });

  it('hashes sha256(prevHash + the reference canonical JSON)', () => {
    const { entry } = generator(7);
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= 500; seq++) {
      const e = entry(seq);
      const expected = createHash('sha256')
        .update(prev + canonicalEntryReference(e))
        .digest('hex');
      expect(entryHash(prev, e)).toBe(expected);
      prev = expected;
    }
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 section 3.2.3 shows', () => {
    const data = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(data)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('writes numbers as RFC 8785 appendix B does', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [9007199254740992, '9007199254740992'],
      [1e21, '1e+21'],
      [999999999999999900000, '999999999999999900000'],
      [0.000001, '0.000001'],
      [1e-7, '1e-7'],
      [295147905179352830000, '295147905179352830000'],
      [-1.2345e-12, '-1.2345e-12'],
    ];
    for (const [n, text] of cases) {
      expect(canonicalJson(n)).toBe(text);
      expect(canonicalJson(n)).toBe(canonicalize(n));
    }
  });

  it('puts the fixed fields in code-unit order with the actor nested and null fields written', () => {
    const text = canonicalEntry({
      seq: 12,
      at: '2026-11-28T12:00:00.000Z',
      actor: { id: 'u1', email: 'ada@example.org' },
      action: 'article.submitted',
      entityType: 'article',
      entityId: null,
      articleId: null,
      data: {},
    });
    expect(text).toBe(
      '{"action":"article.submitted","actor":{"email":"ada@example.org","id":"u1"},"articleId":null,' +
        '"at":"2026-11-28T12:00:00.000Z","data":{},"entityId":null,"entityType":"article","seq":12}',
    );
  });

  it('agrees with canonicalize on what JSON cannot say: undefined, symbols, toJSON, holes, functions', () => {
    const odd: Record<string, unknown>[] = [
      { a: undefined, b: 1 },
      { s: Symbol('x'), b: [undefined, Symbol('y'), 2] },
      { when: new Date(Date.UTC(2026, 0, 2)) },
      { custom: { toJSON: () => ({ z: 1, a: 2 }) } },
      { notAFunction: { toJSON: 5, b: 1 } },
      // eslint-disable-next-line no-sparse-arrays -- canonicalize's reduce skips holes; so must we
      { sparse: [1, , 3], leading: [, 1] },
      { fn: () => 1 },
      { buffer: Buffer.from('hi') },
      { map: new Map([['a', 1]]) },
      { nested: { deeper: [{ x: undefined }, [], {}] } },
    ];
    for (const data of odd) {
      expect(canonicalJson(data)).toBe(canonicalize(data));
      const e: AuditEntryContent = {
        seq: 1,
        at: '2026-11-28T12:00:00.000Z',
        actor: null,
        action: 'user.updated',
        entityType: 'user',
        entityId: 'u1',
        articleId: null,
        data: data as AuditEntryContent['data'],
      };
      expect(canonicalEntry(e)).toBe(canonicalEntryReference(e));
    }
  });

  it('refuses what canonicalize refuses: NaN, infinities, bigints', () => {
    for (const bad of [NaN, Infinity, -Infinity, BigInt(1)]) {
      expect(() => canonicalize({ x: bad })).toThrow();
      expect(() => canonicalJson({ x: bad })).toThrow();
    }
    expect(() => canonicalJson({ x: NaN })).toThrow('NaN is not allowed');
  });

  it('falls back to the reference for fields that are not of the declared types', () => {
    const base: AuditEntryContent = {
      seq: 3,
      at: '2026-11-28T12:00:00.000Z',
      actor: { id: 'u1', email: 'ada@example.org' },
      action: 'user.updated',
      entityType: 'user',
      entityId: 'u1',
      articleId: null,
      data: { a: 1 },
    };
    const odd = [
      { ...base, entityId: undefined },
      { ...base, articleId: undefined },
      { ...base, seq: '3' },
      { ...base, actor: { id: 'u1' } },
      { ...base, actor: { id: 'u1', email: 5 } },
      { ...base, data: undefined },
      { ...base, data: null },
      { ...base, data: [1, 2] },
      { ...base, at: new Date(Date.UTC(2026, 10, 28)) },
    ] as unknown as AuditEntryContent[];
    for (const e of odd) expect(canonicalEntry(e)).toBe(canonicalEntryReference(e));
    expect(() => canonicalEntry({ ...base, seq: NaN })).toThrow();
    expect(() => canonicalEntryReference({ ...base, seq: NaN })).toThrow();
  });
});
