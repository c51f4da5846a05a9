import { validationFailed } from '../errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The largest PostgreSQL `integer` (int4): a larger number sent to such a column fails in SQL. */
export const INT4_MAX = 2_147_483_647;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A keyset position: the sort key values of the last item of the previous page. */
export type CursorKey = (string | number)[];

/**
 * What a sort key value must be. A cursor is decoded from client input, so each value is checked to
 * be exactly what its column accepts: a forged value must be a 400 here, not an error in SQL.
 * - `date`: an instant as `Date.toISOString()` writes it (e.g. `2026-11-28T09:30:00.000Z`), a real one
 * - `uuid`: a UUID in the canonical 8-4-4-4-12 hex form
 * - `int`: a whole number in 0..2147483647 (an `integer` column: revision and version numbers)
 * - `number`: a whole number in 0..2^53-1 (a `bigint` column such as the audit `seq`)
 * - `string`: any text PostgreSQL can store: no NUL and no unpaired UTF-16 surrogate
 */
export type CursorKind = 'date' | 'uuid' | 'int' | 'number' | 'string';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** NUL, or a high surrogate not followed by a low one, or a low one not preceded by a high one. */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when PostgreSQL can store the text: no NUL (it refuses it) and well-formed UTF-16. */
export const isStorableText = (value: string) => !UNSTORABLE.test(value);

const KIND_CHECKS: Record<CursorKind, (value: unknown) => boolean> = {
  date: (v) =>
    typeof v === 'string' && ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v,
  uuid: (v) => typeof v === 'string' && UUID.test(v),
  int: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= INT4_MAX,
  number: (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0,
  string: (v) => typeof v === 'string' && isStorableText(v),
};

/** Cursors are opaque to clients: base64url of a small JSON array, versioned so the format may change. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(['v1', ...key]), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor and checks each value against the kind the caller's sort key has (`kinds`), so
 * that a forged or stale cursor is a 400 `validation_failed` and never reaches SQL as something its
 * column refuses. Use the narrowest kind: `date` and `uuid` rather than `string`, `int` for integer columns.
 */
export function decodeCursor(cursor: string, kinds: CursorKind[]): CursorKey {
  const malformed = () => validationFailed('cursor is malformed', { fields: { cursor: ['is malformed'] } });
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw malformed();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (!Array.isArray(parsed) || parsed[0] !== 'v1' || parsed.length !== kinds.length + 1) throw malformed();
  const key = parsed.slice(1) as unknown[];
  key.forEach((value, i) => {
    if (!KIND_CHECKS[kinds[i]](value)) throw malformed();
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
