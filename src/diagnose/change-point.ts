/**
 * Change points in a daily conversion series (entrants n_t, conversions c_t), by binary
 * segmentation on a binomial likelihood.
 *
 * - Location: the split τ maximizing the log-likelihood ratio of "rate p₁ before τ, p₂ from τ"
 *   against "one rate", ℓ(c₁, n₁) + ℓ(c₂, n₂) − ℓ(c, n) with ℓ(c, n) = c ln(c/n) + (n−c) ln(1−c/n):
 *   the maximum-likelihood change point of a binomial sequence (Hinkley & Hinkley, "Inference about
 *   the change-point in a sequence of binomial variables", Biometrika 57(3), 1970).
 * - Significance: the CUSUM of S_τ = Σ_{t<τ} (c_t − n_t p̂), scaled by √(N p̂(1−p̂) φ), whose
 *   maximum tends under "no change" to sup |B| of a Brownian bridge (Page 1954; the limit, e.g.,
 *   Csörgő & Horváth, "Limit Theorems in Change-Point Analysis", 1997, §1.1): P(sup|B| > x) =
 *   2 Σ_{j≥1} (−1)^{j−1} e^{−2j²x²} (Kolmogorov). The maximum over whole days is at most the
 *   continuous one, so the p-value is conservative. φ ≥ 1 is the Pearson dispersion of the days
 *   around the two-rate fit, so day-to-day noise beyond binomial (weekdays, campaigns) does not
 *   read as a change.
 * - Several changes: each accepted split's two sides are scanned again (binary segmentation,
 *   Vostrikova, "Detecting disorder in multidimensional random processes", 1981), up to a depth.
 */

/** One day of a series. */
export interface BinomialDay {
  readonly n: number;
  readonly c: number;
}

/** A detected change: the series switches rate at index `index` (its first day). */
export interface ChangePointFit {
  readonly index: number;
  readonly before: BinomialDay;
  readonly after: BinomialDay;
  /** Log-likelihood ratio of the split (natural log). */
  readonly llr: number;
  /** max |CUSUM| / √(N p̂ (1−p̂) φ). */
  readonly statistic: number;
  readonly pValue: number;
  readonly dispersion: number;
}

/** Options of the scan. */
export interface ScanOptions {
  /** Largest p-value of an accepted split. */
  readonly alpha: number;
  /** How many splits at most. */
  readonly maxChanges?: number;
}

function ll(c: number, n: number): number {
  if (n === 0 || c === 0 || c === n) return 0;
  const p = c / n;
  return c * Math.log(p) + (n - c) * Math.log(1 - p);
}

/** P(sup_t |B(t)| > x) for a Brownian bridge B on [0, 1] (Kolmogorov's distribution). */
export function kolmogorovSf(x: number): number {
  if (x <= 0.2) return 1;
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * x * x);
    sum += (j % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-16) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

function totals(days: readonly BinomialDay[], lo: number, hi: number): BinomialDay {
  let n = 0;
  let c = 0;
  for (let t = lo; t < hi; t++) {
    n += days[t]?.n ?? 0;
    c += days[t]?.c ?? 0;
  }
  return { n, c };
}

/** Pearson χ² / (days − 2) around the fit with one rate before `split` and one from it; at least 1. */
function dispersion(days: readonly BinomialDay[], lo: number, hi: number, split: number): number {
  const left = totals(days, lo, split);
  const right = totals(days, split, hi);
  let chi = 0;
  let used = 0;
  for (let t = lo; t < hi; t++) {
    const d = days[t];
    if (!d || d.n === 0) continue;
    const side = t < split ? left : right;
    const p = side.c / side.n;
    if (p <= 0 || p >= 1) continue;
    chi += (d.c - d.n * p) ** 2 / (d.n * p * (1 - p));
    used += 1;
  }
  return used > 3 ? Math.max(1, chi / (used - 2)) : 1;
}

/** The best single split of days [lo, hi), tested; null when there is nothing to split. */
export function bestSplit(days: readonly BinomialDay[], lo: number, hi: number): ChangePointFit | null {
  const all = totals(days, lo, hi);
  if (all.n === 0 || all.c === 0 || all.c === all.n) return null;
  const p = all.c / all.n;
  const base = ll(all.c, all.n);
  let n1 = 0;
  let c1 = 0;
  let best: { index: number; llr: number } | null = null;
  let maxCusum = 0;
  for (let t = lo; t < hi - 1; t++) {
    n1 += days[t]?.n ?? 0;
    c1 += days[t]?.c ?? 0;
    maxCusum = Math.max(maxCusum, Math.abs(c1 - n1 * p));
    if (n1 === 0 || n1 === all.n) continue;
    const llr = ll(c1, n1) + ll(all.c - c1, all.n - n1) - base;
    if (!best || llr > best.llr) best = { index: t + 1, llr };
  }
  if (!best) return null;
  const phi = dispersion(days, lo, hi, best.index);
  const statistic = maxCusum / Math.sqrt(all.n * p * (1 - p) * phi);
  return {
    index: best.index,
    before: totals(days, lo, best.index),
    after: totals(days, best.index, hi),
    llr: best.llr,
    statistic,
    pValue: kolmogorovSf(statistic),
    dispersion: phi,
  };
}

/** Every accepted change point of a series, in day order. */
export function scanChangePoints(days: readonly BinomialDay[], options: ScanOptions): ChangePointFit[] {
  const found: ChangePointFit[] = [];
  const maxChanges = options.maxChanges ?? 3;
  const queue: [number, number][] = [[0, days.length]];
  while (queue.length > 0 && found.length < maxChanges) {
    const [lo, hi] = queue.shift() as [number, number];
    if (hi - lo < 2) continue;
    const fit = bestSplit(days, lo, hi);
    if (!fit || fit.pValue > options.alpha) continue;
    found.push(fit);
    queue.push([lo, fit.index], [fit.index, hi]);
  }
  return found.sort((a, b) => a.index - b.index);
}
