import { check, checkCount } from './errors.js';
import type { MeanArm } from './types.js';

/** Per-arm moments of the outcome y and the pre-exposure covariate x (n − 1 denominators). */
export interface CupedArm {
  readonly n: number;
  readonly meanY: number;
  readonly meanX: number;
  readonly varY: number;
  readonly varX: number;
  readonly covXY: number;
}

/** One arm after CUPED: the adjusted mean and variance, and the variance reduction achieved. */
export interface CupedAdjustedArm extends MeanArm {
  readonly unadjusted: MeanArm;
  /** 1 − Var(y − θx)/Var(y) within the arm. */
  readonly varianceReduction: number;
}

/** CUPED's theta, the centring mean and the adjusted arms. */
export interface CupedResult {
  /** Cov(x, y)/Var(x) over the units of all arms pooled. */
  readonly theta: number;
  /** The pooled mean of x over all arms, which every arm's covariate is centred on. */
  readonly covariateMean: number;
  readonly arms: readonly CupedAdjustedArm[];
  /** 1 − Σ Var_adj/n / Σ Var/n: the reduction in the variance of the difference (two arms). */
  readonly varianceReduction: number;
}

/** Moments of paired outcome and covariate values (Welford). */
export function cupedMoments(y: ArrayLike<number>, x: ArrayLike<number>): CupedArm {
  check(y.length === x.length, 'outcome and covariate need the same length');
  let my = 0;
  let mx = 0;
  let syy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i] as number;
    const xi = x[i] as number;
    const dy = yi - my;
    const dx = xi - mx;
    my += dy / (i + 1);
    mx += dx / (i + 1);
    syy += dy * (yi - my);
    sxx += dx * (xi - mx);
    sxy += dx * (yi - my);
  }
  const d = y.length - 1;
  return { n: y.length, meanY: my, meanX: mx, varY: syy / d, varX: sxx / d, covXY: sxy / d };
}

/** Moments of all arms pooled, from per-arm moments (exact; the between-arm terms included). */
function pooled(arms: readonly CupedArm[]): { meanX: number; varX: number; covXY: number } {
  const n = arms.reduce((s, a) => s + a.n, 0);
  const meanX = arms.reduce((s, a) => s + a.n * a.meanX, 0) / n;
  const meanY = arms.reduce((s, a) => s + a.n * a.meanY, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const a of arms) {
    sxx += (a.n - 1) * a.varX + a.n * (a.meanX - meanX) ** 2;
    sxy += (a.n - 1) * a.covXY + a.n * (a.meanX - meanX) * (a.meanY - meanY);
  }
  return { meanX, varX: sxx / (n - 1), covXY: sxy / (n - 1) };
}

/**
 * CUPED (Deng, Xu, Kohavi and Walker 2013): y_adj = y − θ(x − x̄), with θ = Cov(x, y)/Var(x)
 * estimated once over all arms pooled and x̄ the pooled covariate mean, so the adjustment is the
 * same function for every arm and the adjusted means stay unbiased for the lift. A covariate
 * without variance leaves the metric unchanged (θ = 0).
 */
export function cuped(arms: readonly CupedArm[]): CupedResult {
  check(arms.length >= 1, 'CUPED needs at least one arm');
  for (const [i, a] of arms.entries()) checkCount(a.n, `arms[${i}].n`, 2);
  const all = pooled(arms);
  const theta = all.varX > 0 ? all.covXY / all.varX : 0;
  const adjusted = arms.map((a): CupedAdjustedArm => {
    const variance = Math.max(a.varY - 2 * theta * a.covXY + theta * theta * a.varX, 0);
    return {
      n: a.n,
      mean: a.meanY - theta * (a.meanX - all.meanX),
      variance,
      unadjusted: { n: a.n, mean: a.meanY, variance: a.varY },
      varianceReduction: a.varY > 0 ? 1 - variance / a.varY : 0,
    };
  });
  const before = arms.reduce((s, a) => s + a.varY / a.n, 0);
  const after = adjusted.reduce((s, a) => s + a.variance / a.n, 0);
  return {
    theta,
    covariateMean: all.meanX,
    arms: adjusted,
    varianceReduction: before > 0 ? 1 - after / before : 0,
  };
}
