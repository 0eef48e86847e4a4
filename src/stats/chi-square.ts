import { chiSquareSf } from './dist.js';
import { check, checkCount, checkProbability } from './errors.js';
import { checkProportionArm } from './proportions.js';
import type { ProportionArm } from './types.js';

/** A chi-square statistic with its degrees of freedom and upper-tail p-value. */
export interface ChiSquareResult {
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
}

/**
 * Pearson's chi-square test of independence on the 2×k table (converted, not converted) × variant,
 * without Yates' continuity correction, also for k = 2 (then it equals the pooled z-test squared).
 * Same as scipy.stats.chi2_contingency(table, correction=False).
 */
export function chiSquareTest(arms: readonly ProportionArm[]): ChiSquareResult {
  check(arms.length >= 2, `the chi-square test needs at least 2 variants, got ${arms.length}`);
  for (const [i, arm] of arms.entries()) checkProportionArm(arm, `variants[${i}]`);
  const total = arms.reduce((s, a) => s + a.n, 0);
  const converted = arms.reduce((s, a) => s + a.conversions, 0);
  const rate = converted / total;
  if (rate === 0 || rate === 1) return { statistic: 0, df: arms.length - 1, pValue: 1 };
  let statistic = 0;
  for (const arm of arms) {
    const expectedYes = arm.n * rate;
    const expectedNo = arm.n - expectedYes;
    statistic += (arm.conversions - expectedYes) ** 2 / expectedYes;
    statistic += (arm.n - arm.conversions - expectedNo) ** 2 / expectedNo;
  }
  const df = arms.length - 1;
  return { statistic, df, pValue: chiSquareSf(statistic, df) };
}

/** The sample-ratio-mismatch check's verdict. */
export interface SrmResult extends ChiSquareResult {
  readonly observed: readonly number[];
  readonly expected: readonly number[];
  /** True when pValue < threshold: assignment is broken and the results should not be trusted. */
  readonly isMismatch: boolean;
  readonly threshold: number;
}

/** The SRM threshold: p < 0.001, as Kohavi, Tang and Xu recommend and GrowthBook uses. */
export const SRM_THRESHOLD = 0.001;

/**
 * Sample ratio mismatch: Pearson's goodness-of-fit chi-square of the assignment counts against the
 * planned split (weights are normalized), like scipy.stats.chisquare(observed, f_exp).
 */
export function srmCheck(
  observed: readonly number[],
  weights: readonly number[],
  threshold: number = SRM_THRESHOLD,
): SrmResult {
  check(observed.length >= 2, 'the SRM check needs at least 2 variants');
  check(observed.length === weights.length, 'the SRM check needs one weight per variant');
  for (const [i, n] of observed.entries()) checkCount(n, `observed[${i}]`, 0);
  check(
    weights.every((w) => Number.isFinite(w) && w > 0),
    'split weights must be positive',
  );
  checkProbability(threshold, 'threshold');
  const total = observed.reduce((s, n) => s + n, 0);
  check(total > 0, 'the SRM check needs at least one assigned unit');
  const weightSum = weights.reduce((s, w) => s + w, 0);
  const expected = weights.map((w) => (total * w) / weightSum);
  const statistic = observed.reduce((s, n, i) => s + (n - (expected[i] ?? 0)) ** 2 / (expected[i] ?? 1), 0);
  const df = observed.length - 1;
  const pValue = chiSquareSf(statistic, df);
  return { statistic, df, pValue, observed, expected, isMismatch: pValue < threshold, threshold };
}
