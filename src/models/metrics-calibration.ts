import type { Labels, Scores } from './metrics.js';

/** One bin of a calibration table: predictions in (lower, upper] (the first bin includes its lower edge). */
export interface CalibrationBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

/** How bin edges are placed: at quantiles of the predictions (deciles by default) or evenly on [0, 1]. */
export type BinStrategy = 'quantile' | 'uniform';

/**
 * numpy's percentile with the default "linear" method (numpy 1.24 `_quantile`): the virtual
 * index (n − 1)·q and its lerp, which switches form at t ≥ 0.5. Reproduced operation for
 * operation so that a prediction equal to an edge lands in the same bin as in scikit-learn.
 */
function numpyQuantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const virtual = (n - 1) * q;
  if (virtual <= 0) return sorted[0] as number;
  if (virtual >= n - 1) return sorted[n - 1] as number;
  const lo = Math.floor(virtual);
  const t = virtual - lo;
  const a = sorted[lo] as number;
  const b = sorted[lo + 1] as number;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Bin edges as scikit-learn's calibration_curve computes them (quantiles of linspace(0, 1, bins + 1)). */
function binEdges(probs: Scores, bins: number, strategy: BinStrategy): number[] {
  const step = 1 / bins;
  const qs = Array.from({ length: bins + 1 }, (_, j) => (j === bins ? 1 : j * step));
  if (strategy === 'uniform') return qs;
  const sorted = Float64Array.from(probs);
  sorted.sort();
  // np.percentile(p, q * 100) divides by 100 again.
  return qs.map((q) => numpyQuantile(sorted, (q * 100) / 100));
}

/** Index of the first inner edge ≥ p (numpy searchsorted, side "left"). */
function binOf(inner: readonly number[], p: number): number {
  let lo = 0;
  let hi = inner.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((inner[mid] as number) < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Calibration table: mean prediction and observed rate per bin, empty bins left out — the binning
 * of scikit-learn's `calibration_curve(y, p, n_bins, strategy)`; deciles of the predictions by default.
 */
export function calibrationTable(
  labels: Labels,
  probs: Scores,
  bins = 10,
  strategy: BinStrategy = 'quantile',
): CalibrationBin[] {
  if (labels.length !== probs.length) throw new RangeError('labels and probs differ in length');
  if (probs.length === 0) return [];
  const edges = binEdges(probs, bins, strategy);
  const inner = edges.slice(1, -1);
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as number;
    const b = binOf(inner, p);
    count[b] = (count[b] as number) + 1;
    sumP[b] = (sumP[b] as number) + p;
    sumY[b] = (sumY[b] as number) + (labels[i] === 1 ? 1 : 0);
  }
  const table: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const c = count[b] as number;
    if (c === 0) continue;
    table.push({
      lower: edges[b] as number,
      upper: edges[b + 1] as number,
      count: c,
      meanPredicted: (sumP[b] as number) / c,
      observedRate: (sumY[b] as number) / c,
    });
  }
  return table;
}

/**
 * Expected calibration error: Σ_b (n_b / n) · |observed_b − predicted_b| over the bins of a
 * calibration table (deciles of the predictions unless told otherwise).
 */
export function expectedCalibrationError(table: readonly CalibrationBin[]): number {
  let n = 0;
  let sum = 0;
  for (const bin of table) {
    n += bin.count;
    sum += bin.count * Math.abs(bin.observedRate - bin.meanPredicted);
  }
  return n === 0 ? Number.NaN : sum / n;
}
