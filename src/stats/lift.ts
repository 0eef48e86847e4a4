import { normPpf } from './dist.js';
import type { Interval } from './types.js';

/** difference ± q · se. */
export function symmetricInterval(center: number, se: number, q: number): Interval {
  return { lower: center - q * se, upper: center + q * se };
}

/** variant / control − 1, or null when control is 0. */
export function relativeLift(controlMean: number, variantMean: number): number | null {
  return controlMean === 0 ? null : variantMean / controlMean - 1;
}

/**
 * Interval for variant/control − 1 by the delta method on the log ratio:
 * Var(log m̂v − log m̂c) ≈ Var(m̂v)/mv² + Var(m̂c)/mc² (m̂ are means of independent arms), then
 * exp(log r ± z·se) − 1. For proportions this is statsmodels' confint_proportions_2indep(...,
 * compare="ratio", method="log"). The interval is asymmetric and never below −100%.
 */
export function logRatioInterval(
  controlMean: number,
  controlVarOfMean: number,
  variantMean: number,
  variantVarOfMean: number,
  alpha: number,
): Interval | null {
  if (!(controlMean > 0 && variantMean > 0)) return null;
  const logRatio = Math.log(variantMean / controlMean);
  const se = Math.sqrt(
    controlVarOfMean / (controlMean * controlMean) + variantVarOfMean / (variantMean * variantMean),
  );
  const q = normPpf(1 - alpha / 2);
  return { lower: Math.exp(logRatio - q * se) - 1, upper: Math.exp(logRatio + q * se) - 1 };
}
