import type { CtrFeatures, ResolvedTrainer } from './ctr-config.js';
import { FeatureEncoder, type FeatureValues, type NumericStat } from './ctr-features.js';

/** Non-zero weights by bucket, indices ascending. */
export interface SparseWeights {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/** Everything about a trained CTR model except its weights (stored as JSON). */
export interface CtrModelParams {
  readonly features: CtrFeatures;
  readonly hashBits: number;
  readonly hashSeed: number;
  readonly numericStats: Readonly<Record<string, NumericStat>>;
  readonly trainer: ResolvedTrainer;
  /** Class weights used in training (1 and 1 without weighting). */
  readonly classWeights: { readonly positive: number; readonly negative: number };
  readonly intercept: number;
  /** −log(w₊ / w₋): the prior correction added to the logit at prediction (ctr-config.ts, ClassWeight). */
  readonly interceptOffset: number;
}

/** Dense lookup up to 2^20 buckets (8 MB a model); a map above, holding only the trained buckets. */
const DENSE_LIMIT_BITS = 20;

/** The logistic function, without overflow for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** A trained logistic CTR model over hashed features: scores candidates. */
export class CtrModel {
  readonly encoder: FeatureEncoder;
  private readonly dense: Float64Array | null;
  private readonly sparse: Map<number, number> | null;
  private readonly idx: Int32Array;
  private readonly val: Float32Array;

  constructor(
    readonly params: CtrModelParams,
    readonly weights: SparseWeights,
  ) {
    this.encoder = new FeatureEncoder(params.features, params.hashBits, params.hashSeed, params.numericStats);
    if (params.hashBits <= DENSE_LIMIT_BITS) {
      this.dense = new Float64Array(2 ** params.hashBits);
      weights.indices.forEach((i, k) => {
        (this.dense as Float64Array)[i] = weights.values[k] as number;
      });
      this.sparse = null;
    } else {
      this.dense = null;
      const map = new Map<number, number>();
      weights.indices.forEach((i, k) => {
        map.set(i, weights.values[k] as number);
      });
      this.sparse = map;
    }
    this.idx = new Int32Array(this.encoder.maxNonZeros);
    this.val = new Float32Array(this.encoder.maxNonZeros);
  }

  /** The weight of a bucket (0 when untrained). */
  weightAt(bucket: number): number {
    return this.dense ? (this.dense[bucket] as number) : (this.sparse?.get(bucket) ?? 0);
  }

  /** The calibrated logit of an encoded row. */
  logitEncoded(idx: Int32Array, val: ArrayLike<number>, nnz: number): number {
    let z = this.params.intercept + this.params.interceptOffset;
    for (let k = 0; k < nnz; k++) z += this.weightAt(idx[k] as number) * (val[k] as number);
    return z;
  }

  /** P(click) of one row or candidate; fields it lacks are read from context. */
  predict(values: FeatureValues, context?: FeatureValues): number {
    const nnz = this.encoder.encode(values, this.idx, this.val, undefined, context);
    return sigmoid(this.logitEncoded(this.idx, this.val, nnz));
  }

  /** P(click) of each candidate, with shared context values (device, hour) under each. */
  predictMany(candidates: readonly FeatureValues[], context?: FeatureValues): number[] {
    return candidates.map((c) => this.predict(c, context));
  }
}

/** Weights as bytes: count (uint32), then indices (int32), then values (float64), little-endian. */
export function encodeWeights(weights: SparseWeights): Uint8Array {
  const n = weights.indices.length;
  const bytes = new Uint8Array(4 + n * 12);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, n, true);
  for (let k = 0; k < n; k++) {
    view.setInt32(4 + 4 * k, weights.indices[k] as number, true);
    view.setFloat64(4 + 4 * n + 8 * k, weights.values[k] as number, true);
  }
  return bytes;
}

/** The inverse of encodeWeights. */
export function decodeWeights(bytes: Uint8Array): SparseWeights {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true);
  if (bytes.byteLength !== 4 + n * 12) throw new RangeError('weights blob has the wrong length');
  const indices = new Int32Array(n);
  const values = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    indices[k] = view.getInt32(4 + 4 * k, true);
    values[k] = view.getFloat64(4 + 4 * n + 8 * k, true);
  }
  return { indices, values };
}

/** Non-zero entries of a dense weight vector. */
export function sparseOf(dense: Float64Array): SparseWeights {
  let n = 0;
  for (let i = 0; i < dense.length; i++) if (dense[i] !== 0) n++;
  const indices = new Int32Array(n);
  const values = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < dense.length; i++) {
    if (dense[i] === 0) continue;
    indices[k] = i;
    values[k++] = dense[i] as number;
  }
  return { indices, values };
}
