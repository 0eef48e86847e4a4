/**
 * The odds ratio against statsmodels 0.13.5's Table2x2 on the Haldane–Anscombe corrected table
 * (test/fixtures/diagnose/reference.py), including a table with an empty cell.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { oddsRatio } from './odds.js';

const reference = JSON.parse(
  readFileSync(new URL('../../test/fixtures/diagnose/reference.json', import.meta.url), 'utf8'),
) as {
  oddsRatio: {
    a: number;
    b: number;
    c: number;
    d: number;
    alpha: number;
    oddsRatio: number;
    lower: number;
    upper: number;
  }[];
};

describe('the odds ratio', () => {
  it('matches statsmodels Table2x2 (Woolf interval) on the corrected cells', () => {
    for (const r of reference.oddsRatio) {
      const got = oddsRatio(r.a, r.b, r.c, r.d, r.alpha);
      expect(got.oddsRatio).toBeCloseTo(r.oddsRatio, 10);
      expect(got.lower).toBeCloseTo(r.lower, 10);
      expect(got.upper).toBeCloseTo(r.upper, 10);
    }
  });

  it('is 1 for a table without association', () => {
    expect(oddsRatio(5, 5, 5, 5).oddsRatio).toBe(1);
  });
});
