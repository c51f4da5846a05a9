import { DomainError } from '../errors';
import { decodeCursor, encodeCursor, toPage } from './cursor';

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

  it('pages with one extra row telling whether there is more', () => {
    const rows = [1, 2, 3, 4];
    const page = toPage(rows, 3, (n) => [n], (n) => n * 10);
    expect(page.items).toEqual([10, 20, 30]);
    expect(decodeCursor(page.nextCursor ?? '', ['number'])).toEqual([3]);
    expect(toPage([1, 2, 3], 3, (n) => [n], (n) => n)).toEqual({ items: [1, 2, 3], nextCursor: null });
  });
});
