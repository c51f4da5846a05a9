import { describe, expect, it, vi } from 'vitest';
import { mockApi } from '../test/render';
import { fetchAll, PAGE_SIZE } from './pages';

/** A fake list of `total` items served in pages of `limit`, the cursor being the next item's index. */
function serveList(total: number) {
  return mockApi((call) => {
    const params = new URLSearchParams(call.search);
    const start = Number(params.get('cursor') ?? 0);
    const limit = Number(params.get('limit'));
    const end = Math.min(total, start + limit);
    return {
      body: {
        items: Array.from({ length: end - start }, (_, i) => ({ n: start + i })),
        nextCursor: end < total ? String(end) : null,
      },
    };
  });
}

describe('fetchAll', () => {
  it('pages past 1,000 items until the API says there is no more', async () => {
    const { calls } = serveList(1234);
    const items = await fetchAll<{ n: number }>('/articles', { state: 'draft' });
    expect(items).toHaveLength(1234);
    expect(items.map((i) => i.n)).toEqual(Array.from({ length: 1234 }, (_, i) => i));
    expect(calls).toHaveLength(Math.ceil(1234 / PAGE_SIZE));
    // Every page keeps the filters and asks for the largest page; only the first goes without a cursor.
    expect(
      calls.every(
        (c) =>
          new URLSearchParams(c.search).get('state') === 'draft' &&
          new URLSearchParams(c.search).get('limit') === String(PAGE_SIZE),
      ),
    ).toBe(true);
    expect(calls.map((c) => new URLSearchParams(c.search).get('cursor'))).toEqual([
      null,
      ...Array.from({ length: 12 }, (_, i) => String((i + 1) * 100)),
    ]);
  });

  it('makes one request for a list that fits in a page', async () => {
    const { calls } = serveList(3);
    await expect(fetchAll('/users')).resolves.toHaveLength(3);
    expect(calls).toHaveLength(1);
  });

  it('fails, rather than looping for ever, when the API hands out a cursor twice', async () => {
    mockApi(() => ({ body: { items: [{ n: 1 }], nextCursor: 'same' } }));
    await expect(fetchAll('/webhooks')).rejects.toThrow(/did not advance after 2 items/);
  });

  it('stops paging once its signal is aborted (the screen went away)', async () => {
    const controller = new AbortController();
    const fetchMock = vi.fn(async (_url: string, init?: RequestInit) => {
      if (init?.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
      controller.abort(); // while the first page is on its way
      return new Response(JSON.stringify({ items: [{ n: 0 }], nextCursor: '1' }), { status: 200 });
    });
    vi.stubGlobal('fetch', fetchMock);
    await expect(fetchAll('/articles', {}, { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});
