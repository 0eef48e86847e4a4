import type { Objective } from './lbfgs.js';

/**
 * Training rows in compressed sparse row form for batch training. Columns are the hashed buckets
 * that occur in the rows, renumbered 0..K−1, so the optimizer works on K weights rather than 2^bits.
 */
export interface CsrData {
  readonly rows: number;
  readonly rowPtr: Int32Array;
  readonly cols: Int32Array;
  readonly vals: Float32Array;
  readonly labels: Uint8Array;
  /** Bucket of each column. */
  readonly buckets: Int32Array;
  readonly positives: number;
}

function grown<T extends Int32Array | Float32Array | Uint8Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** Collects encoded rows into CsrData; ~8 bytes per non-zero and 5 per row. */
export class CsrBuilder {
  private rowPtr: Int32Array;
  private cols: Int32Array;
  private vals: Float32Array;
  private labels: Uint8Array;
  private readonly columnOf: Int32Array;
  private buckets: Int32Array = new Int32Array(1024);
  private columns = 0;
  private rows = 0;
  private nnz = 0;
  private positives = 0;

  constructor(hashBits: number, expectedRows = 1024, nonZerosPerRow = 8) {
    this.columnOf = new Int32Array(2 ** hashBits).fill(-1);
    this.rowPtr = new Int32Array(expectedRows + 1);
    this.cols = new Int32Array(expectedRows * nonZerosPerRow);
    this.vals = new Float32Array(expectedRows * nonZerosPerRow);
    this.labels = new Uint8Array(expectedRows);
  }

  /** Adds one encoded row with its 0/1 label. */
  add(idx: Int32Array, val: ArrayLike<number>, nnz: number, y: number): void {
    this.cols = grown(this.cols, this.nnz + nnz);
    this.vals = grown(this.vals, this.nnz + nnz);
    for (let k = 0; k < nnz; k++) {
      const bucket = idx[k] as number;
      let c = this.columnOf[bucket] as number;
      if (c < 0) {
        c = this.columns++;
        this.columnOf[bucket] = c;
        this.buckets = grown(this.buckets, this.columns);
        this.buckets[c] = bucket;
      }
      this.cols[this.nnz] = c;
      this.vals[this.nnz++] = val[k] as number;
    }
    this.labels = grown(this.labels, this.rows + 1);
    this.labels[this.rows++] = y;
    this.positives += y;
    this.rowPtr = grown(this.rowPtr, this.rows + 1);
    this.rowPtr[this.rows] = this.nnz;
  }

  /** The collected rows. */
  build(): CsrData {
    return {
      rows: this.rows,
      rowPtr: this.rowPtr.subarray(0, this.rows + 1),
      cols: this.cols.subarray(0, this.nnz),
      vals: this.vals.subarray(0, this.nnz),
      labels: this.labels.subarray(0, this.rows),
      buckets: this.buckets.slice(0, this.columns),
      positives: this.positives,
    };
  }
}

/**
 * Mean weighted log loss + (l2 / 2)·‖w‖² over CsrData, and its gradient. x holds one weight per
 * column, then the intercept (not penalized). Equals scikit-learn's objective divided by n with
 * C = 1 / (l2 · n).
 */
export function logisticObjective(
  data: CsrData,
  l2: number,
  weights: { positive: number; negative: number },
): Objective {
  const k = data.buckets.length;
  // Locals, not property loads, in the hot loop (V8 does not hoist them out of it).
  const { rows, rowPtr, cols, vals, labels } = data;
  const sPos = weights.positive;
  const sNeg = weights.negative;
  return (x, g) => {
    g.fill(0);
    const b = x[k] as number;
    let loss = 0;
    let gb = 0;
    let end = rowPtr[0] as number;
    for (let r = 0; r < rows; r++) {
      const start = end;
      end = rowPtr[r + 1] as number;
      let z = b;
      for (let j = start; j < end; j++) z += (x[cols[j] as number] as number) * (vals[j] as number);
      const y = labels[r] as number;
      const s = y === 1 ? sPos : sNeg;
      // One exp per row: e = e^−|z| gives both log(1 + e^z) and σ(z) without overflow.
      const e = Math.exp(-Math.abs(z));
      loss += s * (Math.max(z, 0) + Math.log1p(e) - y * z);
      const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
      const d = s * (p - y);
      gb += d;
      for (let j = start; j < end; j++) {
        const c = cols[j] as number;
        g[c] = (g[c] as number) + d * (vals[j] as number);
      }
    }
    const n = data.rows;
    let penalty = 0;
    for (let c = 0; c < k; c++) {
      const w = x[c] as number;
      penalty += w * w;
      g[c] = (g[c] as number) / n + l2 * w;
    }
    g[k] = gb / n;
    return loss / n + (l2 / 2) * penalty;
  };
}
