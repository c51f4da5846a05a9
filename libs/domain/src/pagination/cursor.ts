import { validationFailed } from '../errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A keyset position: the sort key values of the last item of the previous page. */
export type CursorKey = (string | number)[];

/** Cursors are opaque to clients: base64url of a small JSON array, versioned so the format may change. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(['v1', ...key]), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor and checks that it has the shape the caller's sort key has (`types`), so that a
 * forged or stale cursor is a 400 and never reaches SQL as something unexpected.
 */
export function decodeCursor(cursor: string, types: ('string' | 'number')[]): CursorKey {
  const malformed = () => validationFailed('cursor is malformed', { fields: { cursor: ['is malformed'] } });
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw malformed();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (!Array.isArray(parsed) || parsed[0] !== 'v1' || parsed.length !== types.length + 1) throw malformed();
  const key = parsed.slice(1) as unknown[];
  key.forEach((value, i) => {
    if (typeof value !== types[i]) throw malformed();
    if (typeof value === 'number' && !Number.isFinite(value)) throw malformed();
  });
  return key as CursorKey;
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only tells that there is a next page.
 */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => CursorKey, map: (row: R) => T): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    nextCursor: hasMore && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
