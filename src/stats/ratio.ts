import { normCdf, normPpf, pValueFrom } from './dist.js';
import { check, checkCount, checkFinite } from './errors.js';
import { logRatioInterval, relativeLift, symmetricInterval } from './lift.js';
import { resolveTestOptions } from './proportions.js';
import type { ComparisonResult, TestOptions } from './types.js';

/**
 * Per-unit moments of a ratio metric Σnumerator / Σdenominator (e.g. revenue per session, where a
 * unit is a person with a revenue and a session count). Variances and the covariance use n − 1.
 */
export interface RatioArm {
  readonly n: number;
  readonly meanNumerator: number;
  readonly meanDenominator: number;
  readonly varNumerator: number;
  readonly varDenominator: number;
  readonly covariance: number;
}

/** Moments of paired per-unit numerator and denominator values. */
export function summarizeRatio(numerator: ArrayLike<number>, denominator: ArrayLike<number>): RatioArm {
  check(numerator.length === denominator.length, 'numerator and denominator need the same length');
  const n = numerator.length;
  let my = 0;
  let mx = 0;
  let syy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const y = numerator[i] as number;
    const x = denominator[i] as number;
    const dy = y - my;
    const dx = x - mx;
    my += dy / (i + 1);
    mx += dx / (i + 1);
    syy += dy * (y - my);
    sxx += dx * (x - mx);
    sxy += dx * (y - my);
  }
  const d = n - 1;
  return {
    n,
    meanNumerator: my,
    meanDenominator: mx,
    varNumerator: syy / d,
    varDenominator: sxx / d,
    covariance: sxy / d,
  };
}

/** The ratio and the delta-method variance of its estimate. */
export function ratioEstimate(arm: RatioArm): { ratio: number; variance: number } {
  checkCount(arm.n, 'n', 2);
  checkFinite(arm.meanNumerator, 'meanNumerator');
  check(arm.meanDenominator > 0, `the ratio's denominator mean must be positive, got ${arm.meanDenominator}`);
  const r = arm.meanNumerator / arm.meanDenominator;
  // Var(ȳ/x̄) ≈ (s²_y − 2R·s_xy + R²·s²_x) / (n·x̄²)  (first-order Taylor expansion, Deng et al. 2018)
  const numerator = arm.varNumerator - 2 * r * arm.covariance + r * r * arm.varDenominator;
  return { ratio: r, variance: Math.max(numerator, 0) / (arm.n * arm.meanDenominator ** 2) };
}

/**
 * z-test of a ratio metric (variant − control) with delta-method variances; the relative lift
 * interval is the log-ratio one on the two ratios.
 */
export function ratioTest(control: RatioArm, variant: RatioArm, options: TestOptions = {}): ComparisonResult {
  const { alpha, alternative } = resolveTestOptions(options);
  const c = ratioEstimate(control);
  const v = ratioEstimate(variant);
  const se = Math.sqrt(c.variance + v.variance);
  const difference = v.ratio - c.ratio;
  const statistic = se === 0 ? 0 : difference / se;
  return {
    controlMean: c.ratio,
    variantMean: v.ratio,
    difference,
    differenceCi: symmetricInterval(difference, se, normPpf(1 - alpha / 2)),
    relativeLift: relativeLift(c.ratio, v.ratio),
    relativeLiftCi: logRatioInterval(c.ratio, c.variance, v.ratio, v.variance, alpha),
    statistic,
    pValue: se === 0 ? (difference === 0 ? 1 : 0) : pValueFrom(statistic, alternative, normCdf),
    standardError: se,
  };
}
