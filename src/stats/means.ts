import { pValueFrom, studentCdf, studentPpf } from './dist.js';
import { check, checkCount, checkFinite } from './errors.js';
import { logRatioInterval, relativeLift, symmetricInterval } from './lift.js';
import { resolveTestOptions } from './proportions.js';
import type { ComparisonResult, MeanArm, TestOptions } from './types.js';

/** Mean and variance (n − 1 denominator) of a sample, by Welford's update for stability. */
export function summarize(values: ArrayLike<number>): MeanArm {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
  }
  const n = values.length;
  return { mean: n === 0 ? Number.NaN : mean, variance: n > 1 ? m2 / (n - 1) : Number.NaN, n };
}

/** Validates a mean arm: n ≥ 2 and a finite, non-negative variance. */
export function checkMeanArm(arm: MeanArm, name: string): void {
  checkCount(arm.n, `${name}.n`, 2);
  checkFinite(arm.mean, `${name}.mean`);
  checkFinite(arm.variance, `${name}.variance`);
  check(arm.variance >= 0, `${name}.variance must be >= 0, got ${arm.variance}`);
}

/** Welch–Satterthwaite degrees of freedom for two arms with variances of the mean a and b. */
export function welchDf(a: number, na: number, b: number, nb: number): number {
  return (a + b) ** 2 / ((a * a) / (na - 1) + (b * b) / (nb - 1));
}

/**
 * Welch's unequal-variance t-test of variant against control from summary statistics (scipy
 * ttest_ind_from_stats, equal_var=False); the interval for the difference uses the t quantile with
 * the Welch–Satterthwaite df (statsmodels CompareMeans.tconfint_diff, usevar="unequal"). When both
 * variances are 0 the test reports t = 0, p = 1 for equal means.
 */
export function welchTTest(
  control: MeanArm,
  variant: MeanArm,
  options: TestOptions = {},
): ComparisonResult & { readonly df: number } {
  checkMeanArm(control, 'control');
  checkMeanArm(variant, 'variant');
  const { alpha, alternative } = resolveTestOptions(options);
  const varC = control.variance / control.n;
  const varV = variant.variance / variant.n;
  const se = Math.sqrt(varC + varV);
  const difference = variant.mean - control.mean;
  const base = {
    controlMean: control.mean,
    variantMean: variant.mean,
    difference,
    relativeLift: relativeLift(control.mean, variant.mean),
    relativeLiftCi: logRatioInterval(control.mean, varC, variant.mean, varV, alpha),
    standardError: se,
  };
  if (se === 0) {
    const p = difference === 0 ? 1 : 0;
    const degenerate = { lower: difference, upper: difference };
    return { ...base, differenceCi: degenerate, statistic: 0, pValue: p, df: control.n + variant.n - 2 };
  }
  const df = welchDf(varC, control.n, varV, variant.n);
  const statistic = difference / se;
  return {
    ...base,
    differenceCi: symmetricInterval(difference, se, studentPpf(1 - alpha / 2, df)),
    statistic,
    pValue: pValueFrom(statistic, alternative, (t) => studentCdf(t, df)),
    df,
  };
}
