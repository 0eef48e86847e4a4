import { clipProb, type FittedClickModel, type ItemParameters, type PositionExamination } from './fitted.js';
import type { ClickList, PositionCell } from './list.js';
import { pbmIntervals } from './pbm-intervals.js';

/** EM settings of the position-based model. */
export interface PbmOptions {
  /** Upper bound on EM iterations (default 2000). */
  readonly maxIterations?: number;
  /** Stop when an iteration improves the log-likelihood by less than this, relative (default 1e-10). */
  readonly tolerance?: number;
}

/** Cells as parallel typed arrays (the EM loop runs over them thousands of times). */
interface Cells {
  readonly item: Int32Array;
  readonly pos: Int32Array;
  readonly n: Float64Array;
  readonly c: Float64Array;
}

function toCells(cells: readonly PositionCell[]): Cells {
  const kept = cells.filter((x) => x.impressions > 0 && x.position >= 1);
  return {
    item: Int32Array.from(kept, (x) => x.item),
    pos: Int32Array.from(kept, (x) => x.position - 1),
    n: Float64Array.from(kept, (x) => x.impressions),
    c: Float64Array.from(kept, (x) => Math.min(x.clicks, x.impressions)),
  };
}

function logLik(cells: Cells, alpha: Float64Array, gamma: Float64Array): number {
  let ll = 0;
  for (let j = 0; j < cells.n.length; j++) {
    const p = (gamma[cells.pos[j] as number] as number) * (alpha[cells.item[j] as number] as number);
    const c = cells.c[j] as number;
    const u = (cells.n[j] as number) - c;
    if (c > 0) ll += c * Math.log(p);
    if (u > 0) ll += u * Math.log(1 - p);
  }
  return ll;
}

/** Sums of impressions and clicks per index (items or positions). */
function margins(cells: Cells, key: Int32Array, size: number): { n: Float64Array; c: Float64Array } {
  const n = new Float64Array(size);
  const c = new Float64Array(size);
  for (let j = 0; j < cells.n.length; j++) {
    const k = key[j] as number;
    n[k] = (n[k] as number) + (cells.n[j] as number);
    c[k] = (c[k] as number) + (cells.c[j] as number);
  }
  return { n, c };
}

const clamp = (x: number) => Math.min(0.999, Math.max(0.001, x));

/** One EM step (Chuklin et al. 2015, §4.2): expected examinations and attractions per cell. */
function emStep(
  cells: Cells,
  alpha: Float64Array,
  gamma: Float64Array,
  nItem: Float64Array,
  nPos: Float64Array,
) {
  const sumA = new Float64Array(alpha.length);
  const sumE = new Float64Array(gamma.length);
  for (let j = 0; j < cells.n.length; j++) {
    const i = cells.item[j] as number;
    const k = cells.pos[j] as number;
    const a = alpha[i] as number;
    const g = gamma[k] as number;
    const c = cells.c[j] as number;
    const u = (cells.n[j] as number) - c;
    // A click means examined and attracted; no click splits between "not examined" and "not attracted".
    const rest = u > 0 ? u / (1 - g * a) : 0;
    sumA[i] = (sumA[i] as number) + c + rest * a * (1 - g);
    sumE[k] = (sumE[k] as number) + c + rest * g * (1 - a);
  }
  for (let i = 0; i < alpha.length; i++)
    if ((nItem[i] as number) > 0) alpha[i] = (sumA[i] as number) / (nItem[i] as number);
  for (let k = 0; k < gamma.length; k++)
    if ((nPos[k] as number) > 0) gamma[k] = (sumE[k] as number) / (nPos[k] as number);
}

/**
 * Fits the position-based model P(C = 1 | item i at position k) = γ_k · α_i by EM on per
 * (item, position) counts, its sufficient statistics. Normalization: γ_1 = 1 (α_i is then the
 * item's CTR at position 1); when position 1 has no data, the first position with data is 1.
 */
export function fitPbm(cellList: readonly PositionCell[], options: PbmOptions = {}): PbmModel {
  const cells = toCells(cellList);
  const itemCount = cells.item.reduce((m, x) => Math.max(m, x + 1), 0);
  const posCount = cells.pos.reduce((m, x) => Math.max(m, x + 1), 0);
  const items = margins(cells, cells.item, itemCount);
  const positions = margins(cells, cells.pos, posCount);
  const posCtr = Array.from(positions.n, (n, k) => (n > 0 ? (positions.c[k] as number) / n : 0));
  const top = Math.max(...posCtr, 1e-9);
  const gamma = Float64Array.from(posCtr, (x) => clamp(x / top));
  const alpha = Float64Array.from(items.n, (n, i) => (n > 0 ? clamp((items.c[i] as number) / n / 0.5) : 0.5));
  const maxIterations = options.maxIterations ?? 2000;
  const tolerance = options.tolerance ?? 1e-10;
  let ll = logLik(cells, alpha, gamma);
  let iterations = 0;
  let isConverged = false;
  while (iterations < maxIterations && !isConverged) {
    emStep(cells, alpha, gamma, items.n, positions.n);
    iterations++;
    const next = logLik(cells, alpha, gamma);
    isConverged = next - ll <= tolerance * Math.abs(next);
    ll = next;
  }
  normalize(alpha, gamma, positions.n);
  return new PbmModel(alpha, gamma, items, positions, cells, { iterations, isConverged, logLik: ll });
}

/** Rescales so that the first position with data has γ = 1; products γα (the likelihood) are unchanged. */
function normalize(alpha: Float64Array, gamma: Float64Array, nPos: Float64Array): void {
  const ref = nPos.findIndex((n) => n > 0);
  const g = ref < 0 ? 1 : (gamma[ref] as number);
  if (!(g > 0)) return;
  for (let k = 0; k < gamma.length; k++) gamma[k] = (gamma[k] as number) / g;
  for (let i = 0; i < alpha.length; i++) alpha[i] = (alpha[i] as number) * g;
}

/** A fitted PBM. Items unseen in training get the impression-weighted mean attractiveness. */
export class PbmModel implements FittedClickModel {
  readonly model = 'pbm';
  readonly iterations: number;
  readonly isConverged: boolean;
  readonly trainLogLikelihood: number;
  private readonly fallback: number;
  private intervals: ReturnType<typeof pbmIntervals> | null = null;

  constructor(
    readonly alpha: Float64Array,
    readonly gamma: Float64Array,
    private readonly itemMargins: { n: Float64Array; c: Float64Array },
    private readonly posMargins: { n: Float64Array; c: Float64Array },
    private readonly cells: Cells,
    fit: { iterations: number; isConverged: boolean; logLik: number },
  ) {
    this.iterations = fit.iterations;
    this.isConverged = fit.isConverged;
    this.trainLogLikelihood = fit.logLik;
    let w = 0;
    let s = 0;
    itemMargins.n.forEach((n, i) => {
      w += n;
      s += n * (alpha[i] as number);
    });
    this.fallback = w > 0 ? s / w : 0.5;
  }

  /** α of an item (the fallback for items unseen in training). */
  attractiveness(item: number): number {
    return (this.itemMargins.n[item] ?? 0) > 0 ? (this.alpha[item] as number) : this.fallback;
  }

  /** γ of a position; positions beyond the training data are not examined (0). */
  examination(position: number): number {
    return this.gamma[position - 1] ?? 0;
  }

  conditionalClickProbs(list: ClickList): Float64Array {
    return this.fullClickProbs(list);
  }

  fullClickProbs(list: ClickList): Float64Array {
    return Float64Array.from(list.items, (item, r) =>
      clipProb(this.examination(list.positions[r] as number) * this.attractiveness(item)),
    );
  }

  private getIntervals(): ReturnType<typeof pbmIntervals> {
    this.intervals ??= pbmIntervals(this.cells, this.alpha, this.gamma, this.itemMargins, this.posMargins);
    return this.intervals;
  }

  positions(): PositionExamination[] {
    const iv = this.getIntervals();
    const out: PositionExamination[] = [];
    this.posMargins.n.forEach((n, k) => {
      if (n > 0)
        out.push({
          position: k + 1,
          impressions: n,
          clicks: this.posMargins.c[k] as number,
          examination: iv.positions[k] as PositionExamination['examination'],
        });
    });
    return out;
  }

  items(): ItemParameters[] {
    const iv = this.getIntervals();
    const out: ItemParameters[] = [];
    this.itemMargins.n.forEach((n, i) => {
      if (n > 0)
        out.push({
          item: i,
          impressions: n,
          clicks: this.itemMargins.c[i] as number,
          attractiveness: iv.items[i] as ItemParameters['attractiveness'],
        });
    });
    return out;
  }
}
