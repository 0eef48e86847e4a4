/**
 * Reference values: test/fixtures/stats/advanced.json, produced by test/fixtures/stats/advanced.py
 * (scipy 1.10.1, statsmodels 0.13.5, numpy 1.24.2 from Debian bookworm). Agreement is 1e-6 relative.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bayesBinomial,
  bayesNormal,
  cuped,
  cupedMoments,
  msprt,
  type ProportionArm,
  ratioTest,
  summarizeRatio,
  welchTTest,
  winsorCaps,
  winsorize,
} from './index.js';

type Pair = [number, number];
interface Fixture {
  ratio: {
    control: { numerator: number[]; denominator: number[] };
    variant: { numerator: number[]; denominator: number[] };
    controlRatio: number;
    variantRatio: number;
    statistic: number;
    pValue: number;
    differenceCi: Pair;
    relativeLiftCi: Pair;
  }[];
  winsorize: { values: number[]; upper: number; lower: number | null; cap: [number | null, number] }[];
  cuped: {
    control: { y: number[]; x: number[] };
    variant: { y: number[]; x: number[] };
    theta: number;
    covariateMean: number;
    adjustedMeans: Pair;
    adjustedVariances: Pair;
    varianceReduction: number;
    statistic: number;
    pValue: number;
  };
  msprt: {
    difference: number;
    standardError: number;
    n: number;
    alpha: number;
    tuningN: number;
    pValue: number;
    ci: Pair;
  }[];
  betaBinomial: {
    control: ProportionArm;
    variant: ProportionArm;
    probabilityToBeatControl: number;
    expectedLoss: number;
    expectedLossControl: number;
    differenceInterval: Pair;
    controlInterval: Pair;
    variantInterval: Pair;
  }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/stats/advanced.json', import.meta.url), 'utf8'),
) as Fixture;

function close(actual: number | undefined, expected: number, rel = 1e-6): void {
  expect(actual).toBeDefined();
  if (Math.abs((actual as number) - expected) > rel * Math.abs(expected)) {
    expect.fail(`${actual} differs from ${expected} by more than ${rel} relative`);
  }
}

describe('ratio metrics (delta method)', () => {
  it.each(fixture.ratio)('matches the numpy delta method for ratios $controlRatio vs $variantRatio', (c) => {
    const control = summarizeRatio(c.control.numerator, c.control.denominator);
    const variant = summarizeRatio(c.variant.numerator, c.variant.denominator);
    const r = ratioTest(control, variant);
    close(r.controlMean, c.controlRatio);
    close(r.variantMean, c.variantRatio);
    close(r.statistic, c.statistic);
    close(r.pValue, c.pValue);
    close(r.differenceCi.lower, c.differenceCi[0]);
    close(r.differenceCi.upper, c.differenceCi[1]);
    close(r.relativeLiftCi?.lower, c.relativeLiftCi[0]);
    close(r.relativeLiftCi?.upper, c.relativeLiftCi[1]);
  });
});

describe('winsorization', () => {
  it.each(fixture.winsorize)('caps at numpy.percentile for upper $upper, lower $lower', (c) => {
    const caps = winsorCaps(c.values, { upper: c.upper, ...(c.lower === null ? {} : { lower: c.lower }) });
    close(caps.upper, c.cap[1], 1e-12);
    if (c.cap[0] === null) expect(caps.lower).toBe(Number.NEGATIVE_INFINITY);
    else close(caps.lower, c.cap[0], 1e-12);
  });

  it('clips only the values beyond the cap', () => {
    // type-7 99th percentile of 1..100 is 99.01; 100 becomes 99.01, the rest stay
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const clipped = winsorize(values, { upper: 0.99 });
    close(clipped[99], 99.01, 1e-12);
    expect(Array.from(clipped.slice(0, 99))).toEqual(values.slice(0, 99));
  });
});

describe('CUPED', () => {
  const c = fixture.cuped;
  const result = cuped([cupedMoments(c.control.y, c.control.x), cupedMoments(c.variant.y, c.variant.x)]);

  it('matches the pooled OLS slope, adjusted moments and Welch test from statsmodels and scipy', () => {
    close(result.theta, c.theta);
    close(result.covariateMean, c.covariateMean);
    result.arms.forEach((arm, i) => {
      close(arm.mean, c.adjustedMeans[i] as number);
      close(arm.variance, c.adjustedVariances[i] as number);
    });
    close(result.varianceReduction, c.varianceReduction);
    const [control, variant] = result.arms;
    if (!control || !variant) throw new Error('two arms expected');
    const t = welchTTest(control, variant);
    close(t.statistic, c.statistic);
    close(t.pValue, c.pValue);
  });

  it('leaves the metric unchanged when the covariate is constant', () => {
    const flat = cuped([cupedMoments([1, 2, 3], [5, 5, 5]), cupedMoments([2, 4, 9], [5, 5, 5])]);
    expect(flat.theta).toBe(0);
    expect(flat.arms.map((a) => a.mean)).toEqual([2, 5]);
    expect(flat.varianceReduction).toBe(0);
  });
});

describe('mSPRT', () => {
  it.each(fixture.msprt)('matches the normal-mixture formulas for d=$difference, se=$standardError', (c) => {
    const r = msprt(c.difference, c.standardError, c.n, { alpha: c.alpha, tuningN: c.tuningN });
    close(r.pValue, c.pValue);
    close(r.ci.lower, c.ci[0]);
    close(r.ci.upper, c.ci[1]);
  });

  it('rejects exactly when the confidence sequence excludes zero', () => {
    for (const d of [0.01, 0.02, 0.025, 0.03, 0.04]) {
      const r = msprt(d, 0.008, 4000);
      expect(r.pValue <= 0.05).toBe(r.ci.lower > 0);
    }
  });
});

describe('Bayesian models', () => {
  it.each(fixture.betaBinomial)(
    'beta-binomial matches Evan Miller and scipy quadrature for $control.conversions/$control.n vs $variant.conversions/$variant.n',
    (c) => {
      const r = bayesBinomial(c.control, c.variant);
      close(r.probabilityToBeatControl, c.probabilityToBeatControl);
      close(r.expectedLoss, c.expectedLoss);
      close(r.expectedLossControl, c.expectedLossControl);
      close(r.differenceInterval.lower, c.differenceInterval[0]);
      close(r.differenceInterval.upper, c.differenceInterval[1]);
      close(r.controlInterval.lower, c.controlInterval[0]);
      close(r.variantInterval.upper, c.variantInterval[1]);
    },
  );

  it('normal model: equal means give P = 0.5 and loss = sd/√(2π) of the difference', () => {
    const arm = { mean: 10, variance: 4, n: 100 };
    const r = bayesNormal(arm, arm);
    const sd = Math.sqrt(0.08);
    close(r.probabilityToBeatControl, 0.5, 1e-12);
    close(r.expectedLoss, sd / Math.sqrt(2 * Math.PI), 1e-12);
    close(r.differenceInterval.upper, 1.959963984540054 * sd, 1e-9);
  });

  it('normal model: expected losses differ by exactly the mean difference', () => {
    // E[(C − V)+] − E[(V − C)+] = E[C − V] = −Δ
    const r = bayesNormal({ mean: 10, variance: 4, n: 100 }, { mean: 10.5, variance: 5, n: 120 });
    close(r.expectedLossControl - r.expectedLoss, 0.5, 1e-12);
  });
});
