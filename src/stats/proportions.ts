import { normCdf, normPpf, pValueFrom } from './dist.js';
import { check, checkCount, checkProbability } from './errors.js';
import { logRatioInterval, relativeLift, symmetricInterval } from './lift.js';
import type { ComparisonResult, ProportionArm, TestOptions } from './types.js';

/** Validates conversions ≤ n, both non-negative integers, n ≥ 1. */
export function checkProportionArm(arm: ProportionArm, name: string): void {
  checkCount(arm.n, `${name}.n`);
  checkCount(arm.conversions, `${name}.conversions`, 0);
  check(arm.conversions <= arm.n, `${name}.conversions (${arm.conversions}) exceeds n (${arm.n})`);
}

/** Resolved alpha and alternative with their defaults. */
export function resolveTestOptions(options: TestOptions): Required<TestOptions> {
  const alpha = options.alpha ?? 0.05;
  checkProbability(alpha, 'alpha');
  return { alpha, alternative: options.alternative ?? 'two-sided' };
}

/**
 * Two-proportion z-test of variant against control. The test statistic uses the pooled standard
 * error (statsmodels proportions_ztest, prop_var=False); the interval for the difference uses the
 * unpooled (Wald) one (statsmodels confint_proportions_2indep, method="wald"). When both arms
 * convert at 0% or 100% the pooled error is 0 and the test reports z = 0, p = 1.
 */
export function twoProportionZTest(
  control: ProportionArm,
  variant: ProportionArm,
  options: TestOptions = {},
): ComparisonResult {
  checkProportionArm(control, 'control');
  checkProportionArm(variant, 'variant');
  const { alpha, alternative } = resolveTestOptions(options);
  const pc = control.conversions / control.n;
  const pv = variant.conversions / variant.n;
  const pooled = (control.conversions + variant.conversions) / (control.n + variant.n);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / variant.n));
  const statistic = sePooled === 0 ? 0 : (pv - pc) / sePooled;
  const varC = (pc * (1 - pc)) / control.n;
  const varV = (pv * (1 - pv)) / variant.n;
  const se = Math.sqrt(varC + varV);
  return {
    controlMean: pc,
    variantMean: pv,
    difference: pv - pc,
    differenceCi: symmetricInterval(pv - pc, se, normPpf(1 - alpha / 2)),
    relativeLift: relativeLift(pc, pv),
    relativeLiftCi: logRatioInterval(pc, varC, pv, varV, alpha),
    statistic,
    pValue: sePooled === 0 ? 1 : pValueFrom(statistic, alternative, normCdf),
    standardError: se,
  };
}
