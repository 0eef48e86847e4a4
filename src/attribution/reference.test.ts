/**
 * Markov removal effects and Shapley values against an independent implementation:
 * test/fixtures/attribution/reference.py (Python, numpy.linalg.solve; ChannelAttribution's chain
 * construction) computed reference.json from journeys.json. Agreement to 1e-6.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journeySetOf, type PlainJourney } from '../query/index.js';
import { Rng } from '../sim/index.js';
import { absorb, absorbDense } from './absorb.js';
import { buildChain, fitChain } from './markov.js';
import { pathTable, pathWeights } from './paths.js';
import { shapley } from './shapley.js';

const DIR = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'attribution');
interface FixturePath {
  path: string[];
  conversions: number;
  nulls: number;
  value: number;
}
const paths = (JSON.parse(readFileSync(join(DIR, 'journeys.json'), 'utf8')) as { paths: FixturePath[] })
  .paths;
interface Credit {
  conversions: Record<string, number>;
  value: Record<string, number>;
}
const ref = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8')) as {
  markov: (Credit & {
    order: number;
    withNulls: boolean;
    states: number;
    conversionProbability: number;
    expectedValue: number;
    removalEffects: Record<string, number>;
    removalEffectsValue: Record<string, number>;
  })[];
  shapley: (Credit & { withNulls: boolean })[];
};

const journeys: PlainJourney[] = paths.flatMap((p) => [
  ...Array.from({ length: p.conversions }, () => ({
    touches: p.path,
    isConverted: true,
    value: p.value / p.conversions,
  })),
  ...Array.from({ length: p.nulls }, () => ({ touches: p.path, isConverted: false })),
]);
const set = journeySetOf(journeys);
const table = pathTable(set);

function byLabel(a: Float64Array): Record<string, number> {
  return Object.fromEntries(set.labels.map((l, c) => [l, a[c] as number]));
}

function expectClose(actual: Record<string, number>, expected: Record<string, number>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [k, v] of Object.entries(expected))
    expect(Math.abs((actual[k] as number) - v)).toBeLessThan(1e-6);
}

describe('Markov removal effects equal the reference implementation', () => {
  for (const r of ref.markov) {
    it(`order ${r.order}, ${r.withNulls ? 'with' : 'without'} non-converting journeys`, () => {
      const chain = buildChain(table, r.order);
      expect(chain.states).toBe(r.states);
      const fit = fitChain(chain, pathWeights(set, table, r.withNulls), set.labels.length);
      expect(Math.abs(fit.conversionProbability - r.conversionProbability)).toBeLessThan(1e-9);
      expect(Math.abs(fit.expectedValue - r.expectedValue)).toBeLessThan(1e-9);
      expectClose(byLabel(fit.removalEffects), r.removalEffects);
      expectClose(byLabel(fit.removalEffectsValue), r.removalEffectsValue);
      expectClose(byLabel(fit.conversions), r.conversions);
      expectClose(byLabel(fit.value), r.value);
    });
  }

  it('solves the same system by Gauss–Seidel and by dense elimination', () => {
    const chain = buildChain(table, 3);
    const fit = fitChain(chain, pathWeights(set, table, true), set.labels.length);
    const bit = 1 << set.labels.indexOf('email');
    const killed = (s: number) => ((chain.masks[s] as number) & bit) !== 0;
    const rv = fit.toConversion.map((x, s) => x * (s + 1));
    const [x1, y1] = absorb(chain, fit.probabilities, fit.toConversion, rv, killed);
    const [x2, y2] = absorbDense(chain, fit.probabilities, fit.toConversion, rv, killed);
    for (let s = 0; s < chain.states; s++) {
      expect(Math.abs((x1[s] as number) - (x2[s] as number))).toBeLessThan(1e-12);
      expect(Math.abs((y1[s] as number) - (y2[s] as number))).toBeLessThan(1e-12);
    }
  });
});

describe('Shapley values equal the reference implementation', () => {
  for (const r of ref.shapley) {
    it(`exact, ${r.withNulls ? 'with' : 'without'} non-converting journeys`, () => {
      const s = shapley(table, pathWeights(set, table, r.withNulls), set.labels.length, {
        maxExact: 15,
        permutations: 100,
        confidenceLevel: 0.95,
        rng: new Rng(1),
      });
      expect(s.method).toBe('exact');
      expectClose(byLabel(s.conversions), r.conversions);
      expectClose(byLabel(s.value), r.value);
    });
  }

  it('sampled permutations land within the stated bound of the exact values', () => {
    const r = ref.shapley.find((x) => x.withNulls) as Credit;
    const s = shapley(table, pathWeights(set, table, true), set.labels.length, {
      maxExact: 2,
      permutations: 4000,
      confidenceLevel: 0.95,
      rng: new Rng(7),
    });
    expect(s.method).toBe('sampled');
    const got = byLabel(s.conversions);
    const bound = byLabel(s.bound?.conversions as Float64Array);
    const se = byLabel(s.standardError?.conversions as Float64Array);
    for (const [k, exact] of Object.entries(r.conversions)) {
      const err = Math.abs((got[k] as number) - exact);
      expect(err).toBeLessThanOrEqual(bound[k] as number);
      // The bound is worst-case; the sampling error is also within 4 standard errors.
      expect(err).toBeLessThanOrEqual(4 * (se[k] as number) + 1e-9);
    }
    // Every permutation's marginal contributions add up to v(all): the estimates sum exactly.
    expect(Object.values(got).reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
  });
});
