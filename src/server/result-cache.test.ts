import { describe, expect, it } from 'vitest';
import { ResultCache } from './result-cache.js';

describe('ResultCache', () => {
  it('answers from the cache while the result is young enough, recomputes when it is older', async () => {
    const cache = new ResultCache();
    let calls = 0;
    const compute = async () => ++calls;
    const t = Date.now();
    expect(await cache.get('k', 1000, compute, t)).toMatchObject({ result: 1, isCached: false });
    expect(await cache.get('k', 1000, compute, t + 500)).toMatchObject({ result: 1, isCached: true });
    expect(await cache.get('k', 1000, compute, t + 60_000)).toMatchObject({ result: 2, isCached: false });
    expect(await cache.get('k', 0, compute, t + 60_000)).toMatchObject({ result: 3, isCached: false });
  });

  it('shares a computation in flight and forgets failures', async () => {
    const cache = new ResultCache();
    let calls = 0;
    let release: (v: number) => void = () => undefined;
    const slow = () => {
      calls++;
      return new Promise<number>((resolve) => {
        release = resolve;
      });
    };
    const a = cache.get('k', 60_000, slow);
    const b = cache.get('k', 60_000, slow);
    await new Promise((r) => setTimeout(r, 0));
    release(7);
    expect([(await a).result, (await b).result]).toEqual([7, 7]);
    expect(calls).toBe(1);
    await expect(cache.get('bad', 60_000, async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await cache.get('bad', 60_000, async () => 'ok')).toMatchObject({ result: 'ok', isCached: false });
  });

  it('keeps at most `capacity` entries, dropping the least recently used', async () => {
    const cache = new ResultCache(2);
    let calls = 0;
    const compute = async () => ++calls;
    await cache.get('a', 60_000, compute);
    await cache.get('b', 60_000, compute);
    await cache.get('a', 60_000, compute); // a is now the most recent
    await cache.get('c', 60_000, compute); // b goes
    expect((await cache.get('a', 60_000, compute)).isCached).toBe(true);
    expect((await cache.get('b', 60_000, compute)).isCached).toBe(false);
  });

  it('marks results computed before a data change as stale and answers the previous one while refreshing', async () => {
    const cache = new ResultCache();
    let release: (v: string) => void = () => undefined;
    expect(await cache.get('k', 60_000, async () => 'old')).toMatchObject({ result: 'old', isStale: false });
    cache.dataChanged();
    expect(await cache.get('k', 60_000, async () => 'unused')).toMatchObject({
      result: 'old',
      isStale: true,
    });
    const refreshing = cache.refresh('k', () => new Promise<string>((resolve) => (release = resolve)));
    expect(await cache.get('k', 60_000, async () => 'unused')).toMatchObject({
      result: 'old',
      isStale: true,
    });
    release('new');
    expect((await refreshing).result).toBe('new');
    expect(await cache.get('k', 60_000, async () => 'unused')).toMatchObject({
      result: 'new',
      isCached: true,
      isStale: false,
    });
  });
});
