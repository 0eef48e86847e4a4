import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache.js';

describe('BoundedCache', () => {
  it('keeps a key that is read between rotations and drops one that is not', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2); // young reaches 2: {a, b} becomes old
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1); // promoted into young {c, a}, which rotates
    cache.set('d', 4);
    cache.set('e', 5); // {d, e} rotates; {c, a} and b are gone
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('d')).toBe(4);
  });

  it('never holds more than twice its capacity', () => {
    const cache = new BoundedCache<number, number>(100);
    for (let i = 0; i < 10_000; i++) cache.set(i, i);
    expect(cache.size).toBeLessThanOrEqual(200);
    expect(cache.get(9_999)).toBe(9_999);
  });

  it('rejects a capacity below one', () => {
    expect(() => new BoundedCache(0)).toThrow(RangeError);
  });
});
