import { CsrBuilder, logisticObjective } from './ctr-batch.js';
import {
  type ClassWeight,
  CTR_DEFAULTS,
  type CtrModelConfig,
  type FtrlTrainer,
  type LbfgsTrainer,
  resolveTrainer,
} from './ctr-config.js';
import { FeatureEncoder, type FeatureValues, type NumericStat } from './ctr-features.js';
import { FtrlProximal } from './ctr-ftrl.js';
import { CtrModel, type CtrModelParams, type SparseWeights, sigmoid } from './ctr-model.js';
import { minimizeLbfgs } from './lbfgs.js';

/** One impression: its click label (0/1) and feature values. */
export interface CtrExample {
  readonly label: number;
  readonly values: FeatureValues;
}

/** Examples in batches, synchronous (in memory) or asynchronous (streamed from a store). */
export type ExampleBatches = AsyncIterable<readonly CtrExample[]> | Iterable<readonly CtrExample[]>;

/** What training needs: the design, the training rows (re-readable, in time order) and their counts. */
export interface CtrTrainingInput {
  readonly config: CtrModelConfig;
  /** Yields the training rows; called once per pass (FTRL epochs), once for L-BFGS. */
  readonly train: () => ExampleBatches;
  readonly rows: number;
  readonly positives: number;
  readonly numericStats: Readonly<Record<string, NumericStat>>;
}

/** Progress of training: rows read so far, or the optimizer's iteration. */
export interface TrainProgress {
  readonly phase: 'train' | 'refit' | 'optimize' | 'score';
  readonly rowsDone: number;
  readonly rowsTotal: number;
  readonly epoch?: number;
  readonly iteration?: number;
  readonly loss?: number;
}

/** Awaited after each batch or iteration, so a server can report progress and yield. */
export type ProgressHook = (progress: TrainProgress) => void | Promise<void>;

/** How training went. */
export interface TrainSummary {
  readonly algorithm: 'ftrl' | 'lbfgs';
  readonly rows: number;
  readonly positives: number;
  readonly nonZeroWeights: number;
  /** FTRL: progressive (predict-then-update) log loss of the last epoch; L-BFGS: final objective. */
  readonly trainLoss: number;
  readonly epochs?: number;
  readonly iterations?: number;
  readonly stop?: string;
}

/** Class weights from the setting and the training counts. */
export function classWeightsOf(
  setting: ClassWeight | undefined,
  rows: number,
  positives: number,
): { positive: number; negative: number } {
  if (setting === 'balanced' && positives > 0 && positives < rows)
    return { positive: rows / (2 * positives), negative: rows / (2 * (rows - positives)) };
  if (typeof setting === 'object') return { positive: setting.positive, negative: 1 };
  return { positive: 1, negative: 1 };
}

async function* batchesOf(source: ExampleBatches): AsyncIterable<readonly CtrExample[]> {
  yield* source;
}

function paramsOf(input: CtrTrainingInput, intercept: number): CtrModelParams {
  const weights = classWeightsOf(input.config.classWeight, input.rows, input.positives);
  return {
    features: input.config.features,
    hashBits: input.config.hashBits ?? CTR_DEFAULTS.hashBits,
    hashSeed: input.config.hashSeed ?? CTR_DEFAULTS.hashSeed,
    numericStats: input.numericStats,
    trainer: resolveTrainer(input.config.trainer),
    classWeights: weights,
    intercept,
    interceptOffset: -Math.log(weights.positive / weights.negative),
  };
}

function encoderOf(params: CtrModelParams): FeatureEncoder {
  return new FeatureEncoder(params.features, params.hashBits, params.hashSeed, params.numericStats);
}

async function trainFtrl(
  input: CtrTrainingInput,
  options: Required<FtrlTrainer>,
  onProgress?: ProgressHook,
): Promise<{ model: CtrModel; summary: TrainSummary }> {
  const draft = paramsOf(input, 0);
  const encoder = encoderOf(draft);
  const { positive, negative } = draft.classWeights;
  const weightedPositives = input.positives * positive;
  const weightedNegatives = (input.rows - input.positives) * negative;
  const start =
    weightedPositives > 0 && weightedNegatives > 0 ? Math.log(weightedPositives / weightedNegatives) : 0;
  const ftrl = new FtrlProximal(draft.hashBits, options, encoder.maxNonZeros, start);
  const idx = new Int32Array(encoder.maxNonZeros);
  const val = new Float32Array(encoder.maxNonZeros);
  let lastLoss = Number.NaN;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    ftrl.progressiveLoss = 0;
    ftrl.progressiveWeight = 0;
    let done = 0;
    for await (const batch of batchesOf(input.train())) {
      for (const ex of batch) {
        const nnz = encoder.encode(ex.values, idx, val);
        ftrl.update(idx, val, nnz, ex.label, ex.label === 1 ? positive : negative);
      }
      done += batch.length;
      lastLoss = ftrl.progressiveLoss / ftrl.progressiveWeight;
      await onProgress?.({ phase: 'train', rowsDone: done, rowsTotal: input.rows, epoch, loss: lastLoss });
    }
  }
  const weights = ftrl.weights();
  let model = new CtrModel(paramsOf(input, ftrl.intercept()), weights);
  if (options.refitIntercept) {
    await onProgress?.({ phase: 'refit', rowsDone: 0, rowsTotal: input.rows });
    const shift = await interceptShift(model, input, draft.classWeights);
    model = new CtrModel(paramsOf(input, ftrl.intercept() + shift), weights);
  }
  return {
    model,
    summary: {
      algorithm: 'ftrl',
      rows: input.rows,
      positives: input.positives,
      nonZeroWeights: weights.indices.length,
      trainLoss: lastLoss,
      epochs: options.epochs,
    },
  };
}

/**
 * The shift δ of the intercept that maximizes the (class-weighted) likelihood of the training
 * rows with the other weights fixed: Newton's method on Σ s_i (σ(z_i + δ) − y_i) = 0.
 */
async function interceptShift(
  model: CtrModel,
  input: CtrTrainingInput,
  weights: { positive: number; negative: number },
): Promise<number> {
  const enc = model.encoder;
  const idx = new Int32Array(enc.maxNonZeros);
  const val = new Float32Array(enc.maxNonZeros);
  let logits = new Float64Array(Math.max(1024, input.rows));
  let labels = new Uint8Array(logits.length);
  let n = 0;
  // The logit without the class-weight correction: the weighted fit is what is refitted.
  const offset = model.params.interceptOffset;
  for await (const batch of batchesOf(input.train())) {
    if (n + batch.length > logits.length) {
      const size = Math.max(n + batch.length, logits.length * 2);
      const moreLogits = new Float64Array(size);
      moreLogits.set(logits);
      logits = moreLogits;
      const moreLabels = new Uint8Array(size);
      moreLabels.set(labels);
      labels = moreLabels;
    }
    for (const ex of batch) {
      logits[n] = model.logitEncoded(idx, val, enc.encode(ex.values, idx, val)) - offset;
      labels[n++] = ex.label;
    }
  }
  return interceptShiftOf(logits.subarray(0, n), labels.subarray(0, n), weights);
}

/**
 * Newton's method for the δ with Σ s_i (σ(z_i + δ) − y_i) = 0: the maximum-likelihood shift of
 * the intercept given rows' logits z_i, labels y_i and class weights s_i.
 */
export function interceptShiftOf(
  logits: Float64Array,
  labels: Uint8Array,
  weights: { positive: number; negative: number },
): number {
  let shift = 0;
  for (let it = 0; it < 20; it++) {
    let g = 0;
    let h = 0;
    for (let i = 0; i < logits.length; i++) {
      const p = sigmoid((logits[i] as number) + shift);
      const s = labels[i] === 1 ? weights.positive : weights.negative;
      g += s * (p - (labels[i] as number));
      h += s * p * (1 - p);
    }
    if (h === 0) break;
    shift -= g / h;
    if (Math.abs(g / h) < 1e-12) break;
  }
  return shift;
}

async function trainLbfgs(
  input: CtrTrainingInput,
  options: Required<LbfgsTrainer>,
  onProgress?: ProgressHook,
): Promise<{ model: CtrModel; summary: TrainSummary }> {
  const draft = paramsOf(input, 0);
  const encoder = encoderOf(draft);
  const builder = new CsrBuilder(draft.hashBits, Math.max(1, input.rows), encoder.maxNonZeros);
  const idx = new Int32Array(encoder.maxNonZeros);
  const val = new Float32Array(encoder.maxNonZeros);
  let done = 0;
  for await (const batch of batchesOf(input.train())) {
    for (const ex of batch) builder.add(idx, val, encoder.encode(ex.values, idx, val), ex.label);
    done += batch.length;
    await onProgress?.({ phase: 'train', rowsDone: done, rowsTotal: input.rows });
  }
  const data = builder.build();
  const k = data.buckets.length;
  const objective = logisticObjective(data, options.l2, draft.classWeights);
  const result = await minimizeLbfgs(objective, new Float64Array(k + 1), {
    memory: options.memory,
    maxIterations: options.maxIterations,
    gradientTolerance: options.gradientTolerance,
    onIteration: (it) =>
      onProgress?.({
        phase: 'optimize',
        rowsDone: data.rows,
        rowsTotal: input.rows,
        iteration: it.iteration,
        loss: it.f,
      }),
  });
  const weights = sortedWeights(data.buckets, result.x);
  return {
    model: new CtrModel(paramsOf(input, result.x[k] as number), weights),
    summary: {
      algorithm: 'lbfgs',
      rows: data.rows,
      positives: data.positives,
      nonZeroWeights: weights.indices.length,
      trainLoss: result.f,
      iterations: result.iterations,
      stop: result.stop,
    },
  };
}

/** Column weights back in bucket order. */
function sortedWeights(buckets: Int32Array, x: Float64Array): SparseWeights {
  const order = Array.from(buckets.keys()).sort((a, b) => (buckets[a] as number) - (buckets[b] as number));
  const kept = order.filter((c) => x[c] !== 0);
  return {
    indices: Int32Array.from(kept, (c) => buckets[c] as number),
    values: Float64Array.from(kept, (c) => x[c] as number),
  };
}

/** Trains a logistic CTR model with FTRL-Proximal (online, one or more passes) or L-BFGS (batch). */
export async function trainCtrModel(
  input: CtrTrainingInput,
  onProgress?: ProgressHook,
): Promise<{ model: CtrModel; summary: TrainSummary }> {
  const trainer = resolveTrainer(input.config.trainer);
  return trainer.algorithm === 'lbfgs'
    ? trainLbfgs(input, trainer, onProgress)
    : trainFtrl(input, trainer, onProgress);
}
