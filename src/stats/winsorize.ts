import { check } from './errors.js';

/**
 * The q-quantile of sorted values with linear interpolation between closest ranks (Hyndman–Fan
 * type 7: numpy.percentile's default, DuckDB's quantile_cont).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  check(sorted.length > 0, 'a quantile needs at least one value');
  check(q >= 0 && q <= 1, `a quantile level must lie in [0, 1], got ${q}`);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

/** Winsorization levels: the upper percentile (e.g. 0.99) and optionally a lower one (e.g. 0.01). */
export interface WinsorizeOptions {
  readonly upper: number;
  readonly lower?: number;
}

/** Caps computed from the pooled values of every arm, so that all arms are clipped alike. */
export interface WinsorCaps {
  readonly lower: number;
  readonly upper: number;
}

/** Caps at the given percentiles of the values (type 7); lower is −∞ unless asked for. */
export function winsorCaps(values: ArrayLike<number>, options: WinsorizeOptions): WinsorCaps {
  check(options.upper > 0 && options.upper <= 1, `upper percentile must lie in (0, 1], got ${options.upper}`);
  const lowerLevel = options.lower;
  check(
    lowerLevel === undefined || (lowerLevel >= 0 && lowerLevel < options.upper),
    `lower percentile must lie in [0, upper), got ${lowerLevel}`,
  );
  const sorted = Float64Array.from(values).sort();
  return {
    lower: lowerLevel === undefined ? Number.NEGATIVE_INFINITY : quantileSorted(sorted, lowerLevel),
    upper: quantileSorted(sorted, options.upper),
  };
}

/** The values clipped to the caps. */
export function clip(values: ArrayLike<number>, caps: WinsorCaps): Float64Array {
  return Float64Array.from(values, (x) => Math.min(caps.upper, Math.max(caps.lower, x)));
}

/** Winsorizes one pooled sample: caps from its own percentiles, then clipping. */
export function winsorize(values: ArrayLike<number>, options: WinsorizeOptions): Float64Array {
  return clip(values, winsorCaps(values, options));
}
