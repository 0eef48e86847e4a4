import { type DbnParameters, dbnConditional, dbnEStep, dbnFull, param } from './dbn-estep.js';
import { PassSums } from './dbn-state.js';
import { type FittedClickModel, grow, type ItemParameters, type PositionExamination } from './fitted.js';
import { type ClickList, type Estimate, lastClickRank } from './list.js';
import { wilsonInterval, Z95 } from './wilson.js';

export type { DbnParameters } from './dbn-estep.js';

/** EM settings of the DBN. */
export interface DbnOptions {
  /** Upper bound on EM passes after the initializing pass (default 50). */
  readonly maxIterations?: number;
  /** Stop when a pass improves the log-likelihood by less than this, relative (default 1e-4: held-out fit stops improving well before). */
  readonly tolerance?: number;
  /** A fixed continuation probability γ; estimated when absent. */
  readonly continuation?: number;
}

/**
 * Fits the dynamic Bayesian network model by EM over passes of the training lists, so the lists
 * can be re-streamed from the store rather than held in memory: call `add` for every list, then
 * `endPass`, until it returns true. The first pass initializes from the simplified DBN's counts
 * (γ = 1: ranks down to the last click examined, the last click satisfied), smoothed by one
 * pseudo-observation so that EM does not start on a boundary.
 */
export class DbnFitter {
  private params: DbnParameters | null = null;
  private sums = new PassSums();
  private support = { impressions: new Float64Array(64), clicks: new Float64Array(64) };
  private lastLogLik = Number.NEGATIVE_INFINITY;
  private pass = 0;
  private isDone = false;
  private converged = false;
  private lastPass: PassSums | null = null;

  constructor(private readonly options: DbnOptions = {}) {}

  /** Adds one training list to the current pass. */
  add(list: ClickList): void {
    if (this.params === null) this.addInit(list);
    else dbnEStep(this.params, list, this.sums);
  }

  private addInit(list: ClickList): void {
    const l = lastClickRank(list);
    const examinedTo = l === 0 ? list.items.length : l;
    const it = this.sums.items;
    list.items.forEach((item, r) => {
      this.support.impressions = grow(this.support.impressions, item);
      this.support.clicks = grow(this.support.clicks, item);
      it.ensure(item);
      this.support.impressions[item] = (this.support.impressions[item] as number) + 1;
      const isClick = list.clicks[r] === true;
      if (isClick) this.support.clicks[item] = (this.support.clicks[item] as number) + 1;
      if (r < examinedTo) {
        it.denA[item] = (it.denA[item] as number) + 1;
        if (isClick) it.numA[item] = (it.numA[item] as number) + 1;
      }
      if (isClick) {
        it.denS[item] = (it.denS[item] as number) + 1;
        if (r + 1 === l) it.numS[item] = (it.numS[item] as number) + 1;
      }
    });
    this.sums.lists++;
  }

  /** Ends a pass (the M-step); true when fitting is finished. */
  endPass(): boolean {
    const sums = this.sums;
    const isInit = this.params === null;
    this.params = mStep(sums, this.params?.gamma ?? 0.9, this.options.continuation, isInit);
    this.pass++;
    if (!isInit) {
      const tol = this.options.tolerance ?? 1e-4;
      this.converged = sums.logLik - this.lastLogLik <= tol * Math.abs(sums.logLik);
      this.lastLogLik = sums.logLik;
      this.isDone = this.converged || this.pass > (this.options.maxIterations ?? 50);
      this.lastPass = sums;
    }
    this.sums = new PassSums();
    return this.isDone;
  }

  /** The fitted model (after the last pass). */
  model(): DbnModel {
    if (!this.params || !this.lastPass) throw new Error('DbnFitter.model() before an EM pass');
    return new DbnModel(this.params, this.lastPass, this.support, {
      iterations: this.pass - 1,
      isConverged: this.converged,
      logLik: this.lastLogLik,
    });
  }
}

function pooled(num: Float64Array, den: Float64Array): number {
  let x = 0;
  let y = 0;
  den.forEach((d, i) => {
    x += num[i] as number;
    y += d;
  });
  return y > 0 ? x / y : 0.5;
}

function mStep(sums: PassSums, gamma: number, fixed: number | undefined, isInit: boolean): DbnParameters {
  const { numA, denA, numS, denS } = sums.items;
  const k = isInit ? 1 : 0;
  const a = Float64Array.from(denA, (d, i) => (d > 0 ? ((numA[i] as number) + k) / (d + 2 * k) : Number.NaN));
  const s = Float64Array.from(denS, (d, i) => (d > 0 ? ((numS[i] as number) + k) / (d + 2 * k) : Number.NaN));
  const g = fixed ?? (isInit ? gamma : sums.denG > 0 ? sums.numG / sums.denG : gamma);
  return { a, s, gamma: g, fallbackA: pooled(numA, denA), fallbackS: pooled(numS, denS) };
}

/**
 * An interval on the logit scale from the empirical information Σ score²; on a boundary (or
 * without information) the Wilson interval of the expected counts.
 */
function fromInfo(p: number, info: number, num: number, den: number): Estimate {
  if (!(info > 0) || p <= 0 || p >= 1) return { value: p, ...wilsonInterval(num, den) };
  const d = Z95 / Math.sqrt(info) / (p * (1 - p));
  const logit = Math.log(p / (1 - p));
  return { value: p, low: 1 / (1 + Math.exp(-(logit - d))), high: 1 / (1 + Math.exp(-(logit + d))) };
}

/** A fitted DBN. */
export class DbnModel implements FittedClickModel {
  readonly model = 'dbn';
  readonly iterations: number;
  readonly isConverged: boolean;
  readonly trainLogLikelihood: number;
  readonly continuation: number;

  constructor(
    readonly params: DbnParameters,
    private readonly last: PassSums,
    private readonly support: { impressions: Float64Array; clicks: Float64Array },
    fit: { iterations: number; isConverged: boolean; logLik: number },
  ) {
    this.iterations = fit.iterations;
    this.isConverged = fit.isConverged;
    this.trainLogLikelihood = fit.logLik;
    this.continuation = params.gamma;
  }

  conditionalClickProbs(list: ClickList): Float64Array {
    return dbnConditional(this.params, list);
  }

  fullClickProbs(list: ClickList): Float64Array {
    return dbnFull(this.params, list);
  }

  /** Mean posterior P(E_r = 1 | clicks) per position over the training lists, with a 95% interval of that mean. */
  positions(): PositionExamination[] {
    const ps = this.last.positions;
    const out: PositionExamination[] = [];
    ps.n.forEach((n, k) => {
      if (!n) return;
      const mean = (ps.sum[k] as number) / n;
      const sd = Math.sqrt(Math.max(0, (ps.sumSq[k] as number) / n - mean * mean));
      const half = (Z95 * sd) / Math.sqrt(n);
      const examination = { value: mean, low: Math.max(0, mean - half), high: Math.min(1, mean + half) };
      out.push({ position: k + 1, impressions: n, clicks: ps.clicks[k] as number, examination });
    });
    return out;
  }

  /**
   * a and s with logit-scale intervals from the empirical (outer-product) information of each
   * parameter alone: other items' parameters and γ are held fixed.
   */
  items(): ItemParameters[] {
    const { numA, denA, numS, denS, infoA, infoS } = this.last.items;
    const out: ItemParameters[] = [];
    this.support.impressions.forEach((n, i) => {
      if (!(n > 0)) return;
      const a = param(this.params.a, i, this.params.fallbackA);
      const s = param(this.params.s, i, this.params.fallbackS);
      out.push({
        item: i,
        impressions: n,
        clicks: this.support.clicks[i] as number,
        examinations: denA[i] ?? 0,
        attractiveness: fromInfo(a, infoA[i] ?? 0, numA[i] ?? 0, denA[i] ?? 0),
        satisfaction: fromInfo(s, infoS[i] ?? 0, numS[i] ?? 0, denS[i] ?? 0),
      });
    });
    return out;
  }
}
