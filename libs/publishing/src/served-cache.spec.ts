import { ServedBytes, ServedCache } from './served-cache';

const bytes = (text: string, etag = `"${text}"`): ServedBytes => ({ etag, body: Buffer.from(text) });

describe('ServedCache', () => {
  let clock: number;
  const cache = (overrides: { ttlMs?: number; maxBytes?: number } = {}) => {
    const c = new ServedCache({ ttlMs: 1_000, maxBytes: 1_000, now: () => clock, ...overrides });
    c.enable();
    return c;
  };

  beforeEach(() => (clock = 0));

  it('serves what it stored, per slug and form', () => {
    const c = cache();
    expect(c.store('a', 'json', bytes('A'), c.token())).toBe(true);
    expect(c.store('a', 'html', bytes('<A>'), c.token())).toBe(true);
    expect(c.get('a', 'json')?.body.toString()).toBe('A');
    expect(c.get('a', 'html')?.body.toString()).toBe('<A>');
    expect(c.get('a', 'json:patient')).toBeNull();
    expect(c.get('b', 'json')).toBeNull();
    expect(c.size).toEqual({ articles: 1, bytes: 4 });
  });

  it('forgets every form of an invalidated article and only that one', () => {
    const c = cache();
    c.store('a', 'json', bytes('A'), c.token());
    c.store('a', 'html', bytes('<A>'), c.token());
    c.store('b', 'json', bytes('B'), c.token());
    c.invalidate('a');
    expect(c.get('a', 'json')).toBeNull();
    expect(c.get('a', 'html')).toBeNull();
    expect(c.get('b', 'json')?.body.toString()).toBe('B');
    expect(c.size).toEqual({ articles: 1, bytes: 1 });
  });

  it('refuses an answer read before an invalidation (the read raced an unpublish)', () => {
    const c = cache();
    const token = c.token();
    c.invalidate('a');
    expect(c.store('a', 'json', bytes('old'), token)).toBe(false);
    expect(c.get('a', 'json')).toBeNull();
    // Any invalidation counts, whichever slug: the token is one number for the whole cache.
    const other = c.token();
    c.invalidate('zzz');
    expect(c.store('a', 'json', bytes('old'), other)).toBe(false);
    expect(c.store('a', 'json', bytes('new'), c.token())).toBe(true);
  });

  it('serves nothing and keeps nothing while disabled, and starts empty when enabled again', () => {
    const c = cache();
    c.store('a', 'json', bytes('A'), c.token());
    c.disable();
    expect(c.isEnabled).toBe(false);
    expect(c.get('a', 'json')).toBeNull();
    const during = c.token();
    expect(c.store('a', 'json', bytes('A'), during)).toBe(false);
    c.enable();
    // A read that began while the channel was down may have missed a change: it does not count.
    expect(c.store('a', 'json', bytes('A'), during)).toBe(false);
    expect(c.get('a', 'json')).toBeNull();
  });

  it('lets an entry live ttlMs at most', () => {
    const c = cache({ ttlMs: 100 });
    c.store('a', 'json', bytes('A'), c.token());
    clock = 99;
    expect(c.get('a', 'json')).not.toBeNull();
    clock = 100;
    expect(c.get('a', 'json')).toBeNull();
    expect(c.size).toEqual({ articles: 0, bytes: 0 });
  });

  it('evicts the least recently read articles beyond maxBytes', () => {
    const c = cache({ maxBytes: 10 });
    c.store('a', 'json', bytes('aaaa'), c.token());
    c.store('b', 'json', bytes('bbbb'), c.token());
    expect(c.get('a', 'json')).not.toBeNull(); // a is now the most recent
    c.store('c', 'json', bytes('cccc'), c.token());
    expect(c.get('b', 'json')).toBeNull();
    expect(c.get('a', 'json')).not.toBeNull();
    expect(c.get('c', 'json')).not.toBeNull();
    expect(c.size).toEqual({ articles: 2, bytes: 8 });
    // Larger than the whole budget: not kept at all.
    expect(c.store('d', 'json', bytes('d'.repeat(11)), c.token())).toBe(false);
  });

  it('replaces a form in place, counting its bytes once', () => {
    const c = cache();
    c.store('a', 'json', bytes('AAAA'), c.token());
    c.store('a', 'json', bytes('AA'), c.token());
    expect(c.get('a', 'json')?.body.toString()).toBe('AA');
    expect(c.size).toEqual({ articles: 1, bytes: 2 });
  });

  it('clears everything on invalidate(null)', () => {
    const c = cache();
    c.store('a', 'json', bytes('A'), c.token());
    c.store('b', 'json', bytes('B'), c.token());
    c.invalidate(null);
    expect(c.size).toEqual({ articles: 0, bytes: 0 });
  });
});
