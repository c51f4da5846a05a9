import { DomainError } from '../errors';
import { decodeCursor, encodeCursor, INT4_MAX, isStorableText, toPage } from './cursor';

describe('cursor pagination', () => {
  it('round-trips a key', () => {
    const cursor = encodeCursor(['2026-11-28T00:00:00.000Z', 'abc']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, ['string', 'string'])).toEqual(['2026-11-28T00:00:00.000Z', 'abc']);
  });

  it.each([
    ['not base64', '!!!'],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['wrong version', Buffer.from('["v0","a","b"]').toString('base64url')],
    ['wrong length', encodeCursor(['a'])],
    ['wrong type', encodeCursor([1, 'b'])],
    ['empty', ''],
  ])('refuses a cursor that is %s with validation_failed', (_, cursor) => {
    expect(() => decodeCursor(cursor, ['string', 'string'])).toThrow(DomainError);
    try {
      decodeCursor(cursor, ['string', 'string']);
    } catch (error) {
      expect((error as DomainError).code).toBe('validation_failed');
    }
  });

  const refuses = (cursor: string, kinds: Parameters<typeof decodeCursor>[1]) => {
    try {
      decodeCursor(cursor, kinds);
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'validation_failed', details: { fields: { cursor: ['is malformed'] } } });
      return true;
    }
    return false;
  };
  const forged = (...key: unknown[]) => Buffer.from(JSON.stringify(['v1', ...key])).toString('base64url');
  const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';

  it('accepts what toPage writes for each kind', () => {
    expect(decodeCursor(encodeCursor(['2026-11-28T09:30:00.000Z', uuid]), ['date', 'uuid'])).toEqual([
      '2026-11-28T09:30:00.000Z',
      uuid,
    ]);
    expect(decodeCursor(encodeCursor([INT4_MAX]), ['int'])).toEqual([INT4_MAX]);
    expect(decodeCursor(encodeCursor([Number.MAX_SAFE_INTEGER]), ['number'])).toEqual([Number.MAX_SAFE_INTEGER]);
    expect(decodeCursor(encodeCursor(['a-slug']), ['string'])).toEqual(['a-slug']);
  });

  it.each([
    ['a date that is not one', forged('2026-13-45T00:00:00.000Z', uuid), ['date', 'uuid']],
    ['a date in another format', forged('2026-11-28', uuid), ['date', 'uuid']],
    ['a date that rolls over', forged('2026-02-30T00:00:00.000Z', uuid), ['date', 'uuid']],
    ['a number for a date', forged(0, uuid), ['date', 'uuid']],
    ['an id that is not a UUID', forged('2026-11-28T09:30:00.000Z', "x' OR 1=1"), ['date', 'uuid']],
    ['an int beyond the integer column', forged(INT4_MAX + 1), ['int']],
    ['a negative int', forged(-1), ['int']],
    ['a fraction', forged(1.5), ['int']],
    ['a huge number', forged(1e300), ['number']],
    ['a number as text', forged('7'), ['number']],
    ['text with NUL', forged('a\u0000b'), ['string']],
    ['text with a lone surrogate', forged('a\ud800'), ['string']],
  ] as [string, string, Parameters<typeof decodeCursor>[1]][])(
    'refuses a well-encoded cursor holding %s',
    (_, cursor, kinds) => {
      expect(refuses(cursor, kinds)).toBe(true);
    },
  );

  it('tells storable text from text PostgreSQL refuses', () => {
    expect(isStorableText('plain, accentué, 😀')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('\ud800')).toBe(false);
    expect(isStorableText('\udc00x')).toBe(false);
    expect(isStorableText('\udbff\udfff')).toBe(true);
  });

  it('pages with one extra row telling whether there is more', () => {
    const rows = [1, 2, 3, 4];
    const page = toPage(
      rows,
      3,
      (n) => [n],
      (n) => n * 10,
    );
    expect(page.items).toEqual([10, 20, 30]);
    expect(decodeCursor(page.nextCursor ?? '', ['number'])).toEqual([3]);
    expect(
      toPage(
        [1, 2, 3],
        3,
        (n) => [n],
        (n) => n,
      ),
    ).toEqual({ items: [1, 2, 3], nextCursor: null });
  });
});
