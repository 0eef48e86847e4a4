import { check, checkFinite, checkProbability } from './errors.js';
import type { Interval } from './types.js';

/** Options of the mixture SPRT. */
export interface MsprtOptions {
  /** Significance level, default 0.05. */
  readonly alpha?: number;
  /** N*: the total sample size at which the confidence sequence is tightest (default 5000). */
  readonly tuningN?: number;
}

/** An always-valid p-value and confidence sequence at one look. */
export interface MsprtResult {
  /** min(1, 1/Λ): valid at any stopping time (Johari et al. 2017). */
  readonly pValue: number;
  /** The 1 − alpha confidence sequence for the difference at this look. */
  readonly ci: Interval;
  /** The mixing variance τ² of the normal mixture over the difference. */
  readonly tau2: number;
  /** log Λ, the mixture likelihood ratio against "no difference". */
  readonly logLikelihoodRatio: number;
}

/** Default N* (GrowthBook's sequential tuning parameter). */
export const MSPRT_TUNING_N = 5000;

/**
 * Mixture SPRT with a normal mixture N(0, τ²) over the difference θ of two means, using the plug-in
 * variance V = se² of the estimated difference (Johari, Pekelis and Walsh 2017; Howard et al. 2021):
 *   Λ = √(V/(V+τ²)) · exp(τ²·d²/(2V(V+τ²))),  p = min(1, 1/Λ),
 *   CS = d ± √(V(V+τ²)/τ² · (−2 ln α + ln((V+τ²)/V))).
 * τ² = ρ²·n·V with ρ² = (−2 ln α + ln(1 − 2 ln α))/N*, so the sequence is tightest near n = N*
 * (the same mixture as GrowthBook's sequential testing); n·V is the per-unit variance scale, about
 * constant as data accrue. The p-value and the sequence agree: p ≤ α exactly when 0 is outside.
 */
export function msprt(
  difference: number,
  standardError: number,
  n: number,
  options: MsprtOptions = {},
): MsprtResult {
  const alpha = options.alpha ?? 0.05;
  const tuningN = options.tuningN ?? MSPRT_TUNING_N;
  checkProbability(alpha, 'alpha');
  checkFinite(difference, 'difference');
  check(standardError >= 0 && Number.isFinite(standardError), 'standardError must be finite and >= 0');
  check(n > 0 && tuningN > 0, 'n and tuningN must be positive');
  const v = standardError * standardError;
  if (v === 0) {
    const pValue = difference === 0 ? 1 : 0;
    return {
      pValue,
      ci: { lower: difference, upper: difference },
      tau2: 0,
      logLikelihoodRatio: -Math.log(pValue),
    };
  }
  const logAlpha = Math.log(alpha);
  const rho2 = (-2 * logAlpha + Math.log(1 - 2 * logAlpha)) / tuningN;
  const tau2 = rho2 * n * v;
  const logLr = 0.5 * Math.log(v / (v + tau2)) + (tau2 * difference * difference) / (2 * v * (v + tau2));
  const half = Math.sqrt(((v * (v + tau2)) / tau2) * (-2 * logAlpha + Math.log((v + tau2) / v)));
  return {
    pValue: Math.min(1, Math.exp(-logLr)),
    ci: { lower: difference - half, upper: difference + half },
    tau2,
    logLikelihoodRatio: logLr,
  };
}

/**
 * Always-valid p-values over a sequence of looks: the running minimum of min(1, 1/Λ) (still valid,
 * since the bound holds uniformly over time).
 */
export function alwaysValidPValues(
  looks: readonly { readonly difference: number; readonly standardError: number; readonly n: number }[],
  options: MsprtOptions = {},
): number[] {
  let running = 1;
  return looks.map((l) => {
    running = Math.min(running, msprt(l.difference, l.standardError, l.n, options).pValue);
    return running;
  });
}
