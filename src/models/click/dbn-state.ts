import { grow } from './fitted.js';

/** Per-item sums of one pass: a (attraction) and s (satisfaction) sums, and Σ score² for their intervals. */
export class ItemSums {
  numA = new Float64Array(64);
  denA = new Float64Array(64);
  numS = new Float64Array(64);
  denS = new Float64Array(64);
  /** Σ over lists of the squared score (d log-likelihood / d parameter): the empirical information. */
  infoA = new Float64Array(64);
  infoS = new Float64Array(64);

  /** Makes room for an item index. */
  ensure(item: number): void {
    if (item < this.numA.length) return;
    this.numA = grow(this.numA, item);
    this.denA = grow(this.denA, item);
    this.numS = grow(this.numS, item);
    this.denS = grow(this.denS, item);
    this.infoA = grow(this.infoA, item);
    this.infoS = grow(this.infoS, item);
  }
}

/** Per-position sums of the posterior examination probability (mean and spread over lists). */
export class PositionSums {
  n = new Float64Array(16);
  clicks = new Float64Array(16);
  sum = new Float64Array(16);
  sumSq = new Float64Array(16);

  /** Adds one rank's posterior examination probability. */
  add(position: number, e: number, isClick: boolean): void {
    const k = position - 1;
    if (k >= this.n.length) {
      this.n = grow(this.n, k);
      this.clicks = grow(this.clicks, k);
      this.sum = grow(this.sum, k);
      this.sumSq = grow(this.sumSq, k);
    }
    this.n[k] = (this.n[k] as number) + 1;
    if (isClick) this.clicks[k] = (this.clicks[k] as number) + 1;
    this.sum[k] = (this.sum[k] as number) + e;
    this.sumSq[k] = (this.sumSq[k] as number) + e * e;
  }
}

/** Sums of one EM pass: item sums, continuation sums, positions, log-likelihood. */
export class PassSums {
  readonly items = new ItemSums();
  readonly positions = new PositionSums();
  numG = 0;
  denG = 0;
  logLik = 0;
  lists = 0;
}
