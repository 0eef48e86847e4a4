/**
 * Change points in a daily conversion series (entrants n_t, conversions c_t), by binary
 * segmentation on a binomial likelihood.
 *
 * - Location: the split τ maximizing the log-likelihood ratio of "rate p₁ before τ, p₂ from τ"
 *   against "one rate", ℓ(c₁, n₁) + ℓ(c₂, n₂) − ℓ(c, n) with ℓ(c, n) = c ln(c/n) + (n−c) ln(1−c/n):
 *   the maximum-likelihood change point of a binomial sequence (Hinkley & Hinkley, "Inference about
 *   the change-point in a sequence of binomial variables", Biometrika 57(3), 1970).
 * - Significance: the range of the CUSUM S_τ = Σ_{t<τ} (c_t − n_t p̂), scaled by √(N p̂(1−p̂) φ).
 *   Under "no change" S tends to a Brownian bridge (Page 1954; Csörgő & Horváth, "Limit Theorems
 *   in Change-Point Analysis", 1997), whose range has Kuiper's distribution, P(V > x) =
 *   2 Σ_{j≥1} (4j²x² − 1) e^{−2j²x²} (Kuiper 1960). The range catches a single change and a dip
 *   that recovers (a bug that was fixed) alike; over whole days it is at most the continuous one,
 *   so the p-value is conservative. φ ≥ 1 is the Pearson dispersion of the days around the best
 *   fit with up to two changes, so day-to-day noise beyond binomial (weekdays, campaigns) does
 *   not read as a change.
 * - Several changes: each accepted split's two sides are scanned again (binary segmentation,
 *   Vostrikova, "Detecting disorder in multidimensional random processes", 1981), up to a number.
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
  /** (max − min of the CUSUM) / √(N p̂ (1−p̂) φ). */
  readonly statistic: number;
  readonly pValue: number;
  readonly dispersion: number;
}

/** Options of the scan. */
export interface ScanOptions {
  /** Largest p-value of an accepted split. */
  readonly alpha: number;
  /** How many splits at most (default 3). */
  readonly maxChanges?: number;
}

function ll(c: number, n: number): number {
  if (n === 0 || c === 0 || c === n) return 0;
  const p = c / n;
  return c * Math.log(p) + (n - c) * Math.log(1 - p);
}

/** P(max B − min B > x) for a Brownian bridge B on [0, 1] (Kuiper's distribution, asymptotic). */
export function kuiperSf(x: number): number {
  if (x <= 0.4) return 1;
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const e = Math.exp(-2 * j * j * x * x);
    sum += (4 * j * j * x * x - 1) * e;
    if (e < 1e-18) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** Prefix sums over days [lo, hi): n and c before each index. */
class Prefix {
  private readonly n: number[] = [0];
  private readonly c: number[] = [0];

  constructor(
    days: readonly BinomialDay[],
    readonly lo: number,
    readonly hi: number,
  ) {
    for (let t = lo; t < hi; t++) {
      this.n.push((this.n.at(-1) ?? 0) + (days[t]?.n ?? 0));
      this.c.push((this.c.at(-1) ?? 0) + (days[t]?.c ?? 0));
    }
  }

  /** Totals of days [a, b) (absolute indexes). */
  sum(a: number, b: number): BinomialDay {
    const i = a - this.lo;
    const j = b - this.lo;
    return { n: (this.n[j] ?? 0) - (this.n[i] ?? 0), c: (this.c[j] ?? 0) - (this.c[i] ?? 0) };
  }

  ll(a: number, b: number): number {
    const s = this.sum(a, b);
    return ll(s.c, s.n);
  }
}

/** The best fit with up to two changes (a shift, or a dip that recovers): its segment bounds. */
function bestTwoSplit(p: Prefix): number[] {
  let best = { at: [p.lo, p.hi], ll: p.ll(p.lo, p.hi) };
  for (let a = p.lo + 1; a < p.hi; a++) {
    const left = p.ll(p.lo, a);
    for (let b = a + 1; b <= p.hi; b++) {
      const v = left + p.ll(a, b) + p.ll(b, p.hi);
      if (v > best.ll) best = { at: [p.lo, a, b, p.hi], ll: v };
    }
  }
  return best.at;
}

/** Pearson χ² / (days − segments) of the days around a piecewise-constant fit; at least 1. */
function dispersion(days: readonly BinomialDay[], p: Prefix, bounds: readonly number[]): number {
  let chi = 0;
  let used = 0;
  for (let s = 0; s + 1 < bounds.length; s++) {
    const [a, b] = [bounds[s] ?? 0, bounds[s + 1] ?? 0];
    const seg = p.sum(a, b);
    const rate = seg.n === 0 ? 0 : seg.c / seg.n;
    if (rate <= 0 || rate >= 1) continue;
    for (let t = a; t < b; t++) {
      const d = days[t];
      if (!d || d.n === 0) continue;
      chi += (d.c - d.n * rate) ** 2 / (d.n * rate * (1 - rate));
      used += 1;
    }
  }
  const df = used - (bounds.length - 1);
  return df > 1 ? Math.max(1, chi / df) : 1;
}

/** The best single split of days [lo, hi), tested; null when there is nothing to split. */
export function bestSplit(days: readonly BinomialDay[], lo: number, hi: number): ChangePointFit | null {
  const p = new Prefix(days, lo, hi);
  const all = p.sum(lo, hi);
  if (all.n === 0 || all.c === 0 || all.c === all.n) return null;
  const rate = all.c / all.n;
  const base = ll(all.c, all.n);
  let best: { index: number; llr: number } | null = null;
  let [top, bottom] = [0, 0];
  for (let t = lo + 1; t < hi; t++) {
    const left = p.sum(lo, t);
    const s = left.c - left.n * rate;
    [top, bottom] = [Math.max(top, s), Math.min(bottom, s)];
    if (left.n === 0 || left.n === all.n) continue;
    const llr = p.ll(lo, t) + p.ll(t, hi) - base;
    if (!best || llr > best.llr) best = { index: t, llr };
  }
  if (!best) return null;
  const phi = dispersion(days, p, bestTwoSplit(p));
  const statistic = (top - bottom) / Math.sqrt(all.n * rate * (1 - rate) * phi);
  return {
    index: best.index,
    before: p.sum(lo, best.index),
    after: p.sum(best.index, hi),
    llr: best.llr,
    statistic,
    pValue: kuiperSf(statistic),
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
