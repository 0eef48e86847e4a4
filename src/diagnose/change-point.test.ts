/**
 * Change points of daily conversion. Kuiper's tail is checked against the asymptotic critical
 * values of Stephens ("Use of the Kolmogorov–Smirnov, Cramér–von Mises and related statistics
 * without extensive tables", JRSS B 32, 1970, Table 1A: √n·V = 1.620, 1.747, 2.001 at 10%, 5%, 1%);
 * the split statistics are hand-computed:
 *
 * | day       | 1  | 2  | 3  | 4  | 5  | 6  |
 * |-----------|----|----|----|----|----|----|
 * | entrants  | 100| 100| 100| 100| 100| 100|
 * | converted | 50 | 50 | 50 | 20 | 20 | 20 |
 *
 * LLR at the split before day 4 = ℓ(150, 300) + ℓ(60, 300) − ℓ(210, 600) = 30.4031 (ℓ(c, n) =
 * c ln(c/n) + (n−c) ln(1−c/n)); the CUSUM S = Σ (c − 0.35 n) peaks at 45 after day 3, so the
 * statistic (its range, the minimum being 0) is 45 / √(600 · 0.35 · 0.65) = 3.85164 (the two rates fit
 * exactly: dispersion 1).
 */
import { describe, expect, it } from 'vitest';
import { bestSplit, kuiperSf, scanChangePoints } from './change-point.js';

const days = (rates: readonly number[], n = 100) => rates.map((r) => ({ n, c: Math.round(r * n) }));

describe("Kuiper's tail", () => {
  it("gives Stephens' critical values", () => {
    expect(kuiperSf(1.62)).toBeCloseTo(0.1, 3);
    expect(kuiperSf(1.747)).toBeCloseTo(0.05, 3);
    expect(kuiperSf(2.001)).toBeCloseTo(0.01, 4);
    expect(kuiperSf(0.3)).toBe(1);
  });
});

describe('the best split', () => {
  it('puts the change at the first day of the new rate, with the likelihood ratio and CUSUM statistic', () => {
    const fit = bestSplit(days([0.5, 0.5, 0.5, 0.2, 0.2, 0.2]), 0, 6);
    expect(fit?.index).toBe(3);
    expect(fit?.llr).toBeCloseTo(30.4031, 4);
    expect(fit?.statistic).toBeCloseTo(3.85164, 5);
    expect(fit?.dispersion).toBe(1);
    expect(fit?.before).toEqual({ n: 300, c: 150 });
    expect(fit?.after).toEqual({ n: 300, c: 60 });
    expect(fit?.pValue).toBeLessThan(1e-10);
  });

  it('finds nothing to split in a series without conversions', () => {
    expect(bestSplit(days([0, 0, 0]), 0, 3)).toBeNull();
  });
});

describe('binary segmentation', () => {
  it('finds both changes of a dip and recovery', () => {
    const series = days([0.5, 0.5, 0.5, 0.5, 0.2, 0.2, 0.2, 0.5, 0.5, 0.5, 0.5], 200);
    expect(scanChangePoints(series, { alpha: 0.01 }).map((c) => c.index)).toEqual([4, 7]);
  });

  it('reports no change in a flat series', () => {
    expect(scanChangePoints(days(Array(20).fill(0.4), 300), { alpha: 0.05 })).toEqual([]);
  });

  it('does not read weekly seasonality as a change (the dispersion widens the test)', () => {
    const week = [0.6, 0.6, 0.6, 0.6, 0.6, 0.3, 0.3];
    const series = days([...week, ...week, ...week, ...week], 200);
    const fit = bestSplit(series, 0, series.length);
    expect(fit?.dispersion).toBeGreaterThan(5);
    expect(scanChangePoints(series, { alpha: 0.05 })).toEqual([]);
  });

  it('dates a drop on day 15 of 30 in binomial noise within a day', () => {
    // A fixed pseudo-random sequence (LCG) so the noise is the same on every run.
    let seed = 12345;
    const u = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const series = Array.from({ length: 30 }, (_, t) => {
      const p = t < 15 ? 0.7 : 0.45;
      let c = 0;
      for (let i = 0; i < 40; i++) if (u() < p) c++;
      return { n: 40, c };
    });
    const found = scanChangePoints(series, { alpha: 0.05 });
    expect(found.length).toBeGreaterThanOrEqual(1);
    const main = found.sort((a, b) => b.llr - a.llr)[0];
    expect(Math.abs((main?.index ?? 0) - 15)).toBeLessThanOrEqual(1);
  });
});
