import type { CtrModel } from './ctr-model.js';
import { sigmoid } from './ctr-model.js';
import type { CtrExample, ExampleBatches, ProgressHook } from './ctr-train.js';
import { averagePrecision, logLoss, normalizedEntropy, rocAuc } from './metrics.js';
import { type CalibrationBin, calibrationTable, expectedCalibrationError } from './metrics-calibration.js';

/** A seeded source of uniform numbers in [0, 1) (models do no hidden randomness). */
export type RandomSource = () => number;

/** Test-set metrics of a CTR model (README, "CTR prediction"). */
export interface CtrMetrics {
  readonly rows: number;
  readonly clicks: number;
  readonly ctr: number;
  readonly meanPredicted: number;
  readonly logLoss: number;
  /** Log loss over the entropy of the background (training) CTR. */
  readonly normalizedEntropy: number | null;
  readonly rocAuc: number | null;
  /** PR AUC as average precision. */
  readonly prAuc: number | null;
  /** Expected calibration error over the decile bins below. */
  readonly ece: number;
  readonly calibration: readonly CalibrationBin[];
}

/** Metrics of predictions against labels; backgroundRate defaults to the labels' own rate. */
export function ctrMetrics(
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
  backgroundRate?: number,
): CtrMetrics {
  const table = calibrationTable(labels, probs, 10, 'quantile');
  let sumP = 0;
  for (let i = 0; i < probs.length; i++) sumP += probs[i] as number;
  let clicks = 0;
  for (let i = 0; i < labels.length; i++) clicks += labels[i] === 1 ? 1 : 0;
  return {
    rows: labels.length,
    clicks,
    ctr: clicks / labels.length,
    meanPredicted: sumP / probs.length,
    logLoss: logLoss(labels, probs),
    normalizedEntropy: normalizedEntropy(labels, probs, backgroundRate),
    rocAuc: rocAuc(labels, probs),
    prAuc: averagePrecision(labels, probs),
    ece: expectedCalibrationError(table),
    calibration: table,
  };
}

/** Predictions on the test rows and a uniform sample of those rows for importance. */
export interface CtrEvaluation {
  readonly labels: Uint8Array;
  readonly probs: Float64Array;
  readonly sample: readonly CtrExample[];
}

/** Scores streamed test rows; keeps labels and predictions (9 bytes a row) and a reservoir sample. */
export async function scoreTestRows(
  model: CtrModel,
  test: ExampleBatches,
  options: { sampleSize: number; random: RandomSource; rowsTotal?: number; onProgress?: ProgressHook },
): Promise<CtrEvaluation> {
  let labels = new Uint8Array(1024);
  let probs = new Float64Array(1024);
  const sample: CtrExample[] = [];
  const enc = model.encoder;
  const idx = new Int32Array(enc.maxNonZeros);
  const val = new Float32Array(enc.maxNonZeros);
  let n = 0;
  for await (const batch of test) {
    if (n + batch.length > labels.length) {
      const size = Math.max(n + batch.length, labels.length * 2);
      labels = grow(labels, new Uint8Array(size));
      probs = grow(probs, new Float64Array(size));
    }
    for (const ex of batch) {
      const nnz = enc.encode(ex.values, idx, val);
      probs[n] = sigmoid(model.logitEncoded(idx, val, nnz));
      labels[n] = ex.label;
      n++;
      // Reservoir sampling (Vitter's algorithm R): every row is kept with equal probability.
      if (sample.length < options.sampleSize) sample.push(ex);
      else {
        const j = Math.floor(options.random() * n);
        if (j < options.sampleSize) sample[j] = ex;
      }
    }
    await options.onProgress?.({ phase: 'score', rowsDone: n, rowsTotal: options.rowsTotal ?? n });
  }
  return { labels: labels.subarray(0, n), probs: probs.subarray(0, n), sample };
}

function grow<T extends Uint8Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
