export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_SLUG_LENGTH = 80;

const FALLBACK_SLUG = 'article';

/** Slugs that name a reader page of their own (`/read/editorial-policy`), never an article. */
export const RESERVED_SLUGS: readonly string[] = ['editorial-policy'];

export const isReservedSlug = (slug: string): boolean => RESERVED_SLUGS.includes(slug);

// Latin letters that NFKD does not decompose into an ASCII letter plus marks.
const TRANSLITERATIONS = new Map([
  ['ß', 'ss'],
  ['æ', 'ae'],
  ['œ', 'oe'],
  ['ø', 'o'],
  ['ł', 'l'],
  ['đ', 'd'],
  ['ð', 'd'],
  ['þ', 'th'],
  ['ı', 'i'],
]);

/** Lower-case kebab-case ASCII for a title, at most MAX_SLUG_LENGTH long; never empty. */
export function slugify(title: string): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (letter) => TRANSLITERATIONS.get(letter) ?? letter)
    .replace(/&/g, '-and-')
    // Dropped rather than turned into a dash, so that "Crohn's" stays one word.
    .replace(/['’‘ʼ]/g, '')
    .replace(/[^a-z0-9]+/g, '-');
  return truncateSlug(trimDashes(ascii), MAX_SLUG_LENGTH) || FALLBACK_SLUG;
}

export function isSlug(value: string): boolean {
  return value.length <= MAX_SLUG_LENGTH && SLUG_PATTERN.test(value);
}

/** The first of base, base-2, base-3, … not in taken, keeping the whole within MAX_SLUG_LENGTH by shortening base. */
export function nextFreeSlug(base: string, taken: Iterable<string>): string {
  if (!SLUG_PATTERN.test(base)) throw new RangeError(`Not a slug: ${JSON.stringify(base)}`);
  const takenSet = new Set(taken);
  const first = truncateSlug(base, MAX_SLUG_LENGTH);
  if (!takenSet.has(first)) return first;
  // Ends when a candidate is free: candidates differ for every n, and taken is finite.
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = truncateSlug(base, MAX_SLUG_LENGTH - suffix.length) + suffix;
    if (!takenSet.has(candidate)) return candidate;
  }
}

function trimDashes(value: string): string {
  return value.replace(/^-+|-+$/g, '');
}

/** Cuts at a dash when there is one, so that a word is not cut in half. */
function truncateSlug(slug: string, maxLength: number): string {
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength);
  if (slug[maxLength] === '-') return trimDashes(cut);
  const lastDash = cut.lastIndexOf('-');
  return trimDashes(lastDash > 0 ? cut.slice(0, lastDash) : cut);
}
