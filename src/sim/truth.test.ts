import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';
import { ExactSum } from './truth.js';

function sum(terms: readonly number[]): number {
  const s = new ExactSum();
  for (const t of terms) s.add(t);
  return s.value();
}

describe('ExactSum', () => {
  it('is exact where naive addition is not', () => {
    // 1e16 + 1 − 1e16 loses the 1 in doubles.
    expect(sum([1e16, 1, -1e16])).toBe(1);
    expect(sum([0.1, 0.2, 0.3])).toBe(0.6);
    expect(sum([])).toBe(0);
  });

  it('gives the same value in any order of its terms and when merged from parts', () => {
    const rng = new Rng(3);
    const terms = Array.from({ length: 5000 }, () => rng.float() * rng.float());
    const reversed = sum([...terms].reverse());
    const a = new ExactSum();
    const b = new ExactSum();
    terms.forEach((t, i) => {
      (i % 3 === 0 ? a : b).add(t);
    });
    b.merge(a.state());
    expect(sum(terms)).toBe(reversed);
    expect(b.value()).toBe(reversed);
  });
});
