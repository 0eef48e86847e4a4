import type { FtrlTrainer } from './ctr-config.js';
import { type SparseWeights, sigmoid } from './ctr-model.js';

/**
 * FTRL-Proximal with per-coordinate learning rates (McMahan et al., "Ad Click Prediction: a View
 * from the Trenches", KDD 2013, Algorithm 1). λ1 and λ2 regularize the cumulative (summed) loss
 * of the rows seen so far; the intercept is a coordinate of its own without L1 or L2.
 */
export class FtrlProximal {
  private readonly z: Float64Array;
  private readonly n: Float64Array;
  private z0 = 0;
  private n0 = 0;
  private readonly w: Float64Array;
  private readonly alpha: number;
  private readonly beta: number;
  private readonly l1: number;
  private readonly l2: number;
  /** Sum of weighted log losses of each row predicted before its update (progressive validation). */
  progressiveLoss = 0;
  progressiveWeight = 0;

  /**
   * initialIntercept: the intercept's starting point, e.g. the logit of the training CTR. FTRL's
   * proximal terms pull each weight toward where it started, so an intercept that starts at 0
   * is biased toward 0 on small data (predictions drift toward 50%).
   */
  constructor(hashBits: number, options: Required<FtrlTrainer>, maxNonZeros: number, initialIntercept = 0) {
    this.z = new Float64Array(2 ** hashBits);
    this.n = new Float64Array(2 ** hashBits);
    this.w = new Float64Array(maxNonZeros);
    this.alpha = options.alpha;
    this.beta = options.beta;
    this.l1 = options.l1;
    this.l2 = options.l2;
    // w0 = −z0 / (β / α) at n0 = 0.
    this.z0 = (-initialIntercept * this.beta) / this.alpha;
  }

  private weight(i: number): number {
    const z = this.z[i] as number;
    if (Math.abs(z) <= this.l1) return 0;
    const sign = z < 0 ? -1 : 1;
    return -(z - sign * this.l1) / ((this.beta + Math.sqrt(this.n[i] as number)) / this.alpha + this.l2);
  }

  /** One online step on an encoded row with label y (0/1) and sample weight; returns the prediction made before the update. */
  update(idx: Int32Array, val: ArrayLike<number>, nnz: number, y: number, sampleWeight: number): number {
    const w0 = -this.z0 / ((this.beta + Math.sqrt(this.n0)) / this.alpha);
    let logit = w0;
    for (let k = 0; k < nnz; k++) {
      const wk = this.weight(idx[k] as number);
      this.w[k] = wk;
      logit += wk * (val[k] as number);
    }
    const p = sigmoid(logit);
    this.progressiveLoss -=
      sampleWeight * (y === 1 ? Math.log(Math.max(p, 1e-300)) : Math.log1p(-Math.min(p, 1 - 1e-16)));
    this.progressiveWeight += sampleWeight;
    const g = (p - y) * sampleWeight;
    const s0 = (Math.sqrt(this.n0 + g * g) - Math.sqrt(this.n0)) / this.alpha;
    this.z0 += g - s0 * w0;
    this.n0 += g * g;
    for (let k = 0; k < nnz; k++) {
      const i = idx[k] as number;
      const gi = g * (val[k] as number);
      const ni = this.n[i] as number;
      const sigma = (Math.sqrt(ni + gi * gi) - Math.sqrt(ni)) / this.alpha;
      this.z[i] = (this.z[i] as number) + gi - sigma * (this.w[k] as number);
      this.n[i] = ni + gi * gi;
    }
    return p;
  }

  /** The current intercept. */
  intercept(): number {
    return -this.z0 / ((this.beta + Math.sqrt(this.n0)) / this.alpha);
  }

  /** The current non-zero weights (L1 zeroes most rarely seen buckets). */
  weights(): SparseWeights {
    let count = 0;
    for (let i = 0; i < this.z.length; i++) if (this.n[i] !== 0 && this.weight(i) !== 0) count++;
    const indices = new Int32Array(count);
    const values = new Float64Array(count);
    let k = 0;
    for (let i = 0; i < this.z.length; i++) {
      if (this.n[i] === 0) continue;
      const w = this.weight(i);
      if (w === 0) continue;
      indices[k] = i;
      values[k++] = w;
    }
    return { indices, values };
  }
}
