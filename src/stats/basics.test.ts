/**
 * Reference values: test/fixtures/stats/basics.json, produced by test/fixtures/stats/basics.py
 * (scipy 1.10.1, statsmodels 0.13.5 from Debian bookworm). Agreement is 1e-6 relative.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Alternative,
  benjaminiHochberg,
  chiSquareTest,
  holm,
  type MeanArm,
  mdeMeans,
  mdeProportions,
  type ProportionArm,
  powerMeans,
  powerProportions,
  StatsInputError,
  sampleSizeMeans,
  sampleSizeProportions,
  srmCheck,
  twoProportionZTest,
  welchTTest,
} from './index.js';

interface Fixture {
  ztest: {
    control: ProportionArm;
    variant: ProportionArm;
    alternative: Alternative;
    alpha: number;
    statistic: number;
    pValue: number;
    differenceCi: [number, number];
    relativeLiftCi: [number, number];
  }[];
  welch: {
    control: MeanArm;
    variant: MeanArm;
    alternative: Alternative;
    alpha: number;
    statistic: number;
    pValue: number;
    differenceCi: [number, number];
  }[];
  chiSquare: { arms: ProportionArm[]; statistic: number; df: number; pValue: number }[];
  srm: { observed: number[]; weights: number[]; statistic: number; pValue: number }[];
  multiple: {
    pValues: number[];
    holm: number[];
    holmRejected: boolean[];
    bh: number[];
    bhRejected: boolean[];
  }[];
  powerProportions: (PowerCase & { baselineRate: number })[];
  powerMeans: (PowerCase & { sd: number })[];
}

interface PowerCase {
  mde: number;
  ratio: number;
  alpha: number;
  power: number;
  alternative: Alternative;
  exactNControl: number;
  nControlForPower: number;
  powerAtN: number;
  mdeAtN: number;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/stats/basics.json', import.meta.url), 'utf8'),
) as Fixture;

function close(actual: number | undefined, expected: number, rel = 1e-6): void {
  expect(actual).toBeDefined();
  const tolerance = rel * Math.max(Math.abs(expected), 1e-300);
  if (Math.abs((actual as number) - expected) > tolerance) {
    expect.fail(`${actual} differs from ${expected} by more than ${rel} relative`);
  }
}

describe('two-proportion z-test', () => {
  it.each(fixture.ztest)(
    'matches statsmodels for $control.conversions/$control.n vs $variant.conversions/$variant.n ($alternative)',
    (c) => {
      const r = twoProportionZTest(c.control, c.variant, { alpha: c.alpha, alternative: c.alternative });
      close(r.statistic, c.statistic);
      close(r.pValue, c.pValue);
      close(r.differenceCi.lower, c.differenceCi[0]);
      close(r.differenceCi.upper, c.differenceCi[1]);
      close(r.relativeLiftCi?.lower, c.relativeLiftCi[0]);
      close(r.relativeLiftCi?.upper, c.relativeLiftCi[1]);
    },
  );

  it('computes a hand-checked case: 10/100 vs 20/100', () => {
    // pooled p = 0.15, se = sqrt(0.15·0.85·0.02) = 0.0504975, z = 0.1/0.0504975 = 1.980295
    const r = twoProportionZTest({ conversions: 10, n: 100 }, { conversions: 20, n: 100 });
    close(r.statistic, 0.1 / Math.sqrt(0.15 * 0.85 * 0.02));
    close(r.relativeLift ?? Number.NaN, 1);
  });

  it('rejects conversions above n with a clear reason', () => {
    expect(() => twoProportionZTest({ conversions: 5, n: 4 }, { conversions: 1, n: 4 })).toThrow(
      new StatsInputError('control.conversions (5) exceeds n (4)'),
    );
  });
});

describe("Welch's t-test", () => {
  it.each(fixture.welch)('matches scipy and statsmodels ($alternative, alpha $alpha)', (c) => {
    const r = welchTTest(c.control, c.variant, { alpha: c.alpha, alternative: c.alternative });
    close(r.statistic, c.statistic);
    close(r.pValue, c.pValue);
    close(r.differenceCi.lower, c.differenceCi[0]);
    close(r.differenceCi.upper, c.differenceCi[1]);
  });
});

describe('chi-square test of k variants and SRM', () => {
  it.each(fixture.chiSquare)(
    'matches scipy chi2_contingency without Yates for $arms.length variants',
    (c) => {
      const r = chiSquareTest(c.arms);
      close(r.statistic, c.statistic);
      close(r.pValue, c.pValue);
      expect(r.df).toBe(c.df);
    },
  );

  it('equals the pooled z statistic squared for two variants', () => {
    const arms = [
      { conversions: 200, n: 2000 },
      { conversions: 260, n: 2000 },
    ] as const;
    close(chiSquareTest(arms).statistic, twoProportionZTest(arms[0], arms[1]).statistic ** 2, 1e-12);
  });

  it.each(fixture.srm)('matches scipy chisquare for observed $observed against weights $weights', (c) => {
    const r = srmCheck(c.observed, c.weights);
    close(r.statistic, c.statistic);
    close(r.pValue, c.pValue);
    expect(r.isMismatch).toBe(c.pValue < 0.001);
  });
});

describe('multiple comparisons', () => {
  it.each(fixture.multiple)('Holm and BH match statsmodels multipletests for $pValues', (c) => {
    const h = holm(c.pValues);
    const b = benjaminiHochberg(c.pValues);
    for (const [i, p] of c.holm.entries()) close(h.adjusted[i], p, 1e-12);
    for (const [i, p] of c.bh.entries()) close(b.adjusted[i], p, 1e-12);
    expect(h.isRejected).toEqual(c.holmRejected);
    expect(b.isRejected).toEqual(c.bhRejected);
  });
});

describe('power, sample size and MDE', () => {
  it.each(fixture.powerProportions)(
    'proportions match statsmodels: base $baselineRate, mde $mde, $alternative',
    (c) => {
      const design = { alpha: c.alpha, alternative: c.alternative, ratio: c.ratio };
      const size = sampleSizeProportions({
        ...design,
        baselineRate: c.baselineRate,
        mde: c.mde,
        power: c.power,
      });
      close(size.exactNControl, c.exactNControl);
      expect(size.nControl).toBe(Math.ceil(c.exactNControl));
      expect(size.nVariant).toBe(Math.ceil(c.exactNControl * c.ratio));
      const nControl = c.nControlForPower;
      close(powerProportions({ ...design, baselineRate: c.baselineRate, mde: c.mde, nControl }), c.powerAtN);
      const mde = mdeProportions({ ...design, baselineRate: c.baselineRate, nControl, power: c.power });
      close(mde.absolute, c.mdeAtN);
    },
  );

  it.each(fixture.powerMeans)('means match statsmodels: sd $sd, mde $mde, $alternative', (c) => {
    const design = { alpha: c.alpha, alternative: c.alternative, ratio: c.ratio };
    const size = sampleSizeMeans({ ...design, sd: c.sd, mde: c.mde, power: c.power });
    close(size.exactNControl, c.exactNControl);
    const nControl = c.nControlForPower;
    close(powerMeans({ ...design, sd: c.sd, mde: c.mde, nControl }), c.powerAtN);
    close(mdeMeans({ ...design, sd: c.sd, nControl, power: c.power }).absolute, c.mdeAtN);
  });

  it('needs 14,751 per arm to detect 10% → 11% with 80% power, two-sided 5%', () => {
    // (1.959964·√(2·0.105·0.895) + 0.841621·√(0.09 + 0.0979))² / 0.01² = 14750.79
    const n = sampleSizeProportions({ baselineRate: 0.1, mde: 0.01, power: 0.8 });
    expect(n).toMatchObject({ nControl: 14751, nVariant: 14751, total: 29502 });
  });
});
