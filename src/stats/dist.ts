/**
 * Distribution functions come from @stdlib (a maintained, tested library); everything in this
 * module's other files is written on top of these few wrappers. Tails are computed directly (never
 * as 1 − cdf) so that small p-values keep their relative precision.
 */

import gammainc from '@stdlib/math-base-special-gammainc';
import betaCdf from '@stdlib/stats-base-dists-beta-cdf';
import betaPdf from '@stdlib/stats-base-dists-beta-pdf';
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalPdf from '@stdlib/stats-base-dists-normal-pdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { Alternative } from './types.js';

/** Standard normal CDF. */
export function normCdf(z: number): number {
  return normalCdf(z, 0, 1);
}

/** Standard normal upper tail P(Z > z). */
export function normSf(z: number): number {
  return normalCdf(-z, 0, 1);
}

/** Standard normal density. */
export function normPdf(z: number): number {
  return normalPdf(z, 0, 1);
}

/** Standard normal quantile. */
export function normPpf(p: number): number {
  return normalQuantile(p, 0, 1);
}

/** Student t CDF with df degrees of freedom. */
export function studentCdf(t: number, df: number): number {
  return tCdf(t, df);
}

/** Student t quantile. */
export function studentPpf(p: number, df: number): number {
  return tQuantile(p, df);
}

/** Chi-square upper tail P(X > x) as the regularized upper incomplete gamma Q(k/2, x/2). */
export function chiSquareSf(x: number, df: number): number {
  if (x <= 0) return 1;
  return gammainc(x / 2, df / 2, true, true);
}

/** Beta density, CDF and quantile. */
export const beta = {
  pdf: (x: number, a: number, b: number): number => betaPdf(x, a, b),
  cdf: (x: number, a: number, b: number): number => betaCdf(x, a, b),
  ppf: (p: number, a: number, b: number): number => betaQuantile(p, a, b),
};

/** p-value of a statistic with a symmetric null distribution given its CDF. */
export function pValueFrom(statistic: number, alternative: Alternative, cdf: (x: number) => number): number {
  if (alternative === 'greater') return cdf(-statistic);
  if (alternative === 'less') return cdf(statistic);
  return Math.min(1, 2 * cdf(-Math.abs(statistic)));
}

/** The two-sided critical value z_{1−alpha/2}, or z_{1−alpha} for a one-sided alternative. */
export function zCritical(alpha: number, alternative: Alternative): number {
  return normPpf(1 - (alternative === 'two-sided' ? alpha / 2 : alpha));
}
