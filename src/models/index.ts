/**
 * Pure models (no I/O, STYLE.md §5): rows or per-list arrays in, fitted parameters out.
 */

/** Click models for position bias (README, "Click models"). */
export {
  CascadeCounter,
  CascadeModel,
  type ClickList,
  type ClickModelName,
  type ClickPredictor,
  DbnFitter,
  DbnModel,
  type DbnOptions,
  type DbnParameters,
  type Estimate,
  type FittedClickModel,
  fitPbm,
  HeldOutEvaluator,
  type HeldOutFit,
  IpsReplay,
  type ItemParameters,
  PbmModel,
  type PbmOptions,
  type PositionCell,
  type PositionExamination,
  PROB_EPSILON,
  type ReplayEstimate,
  rerankPositions,
  wilsonInterval,
  Z95,
} from './click/index.js';
// --- CTR prediction: logistic regression on hashed features (README, "CTR prediction") ---
/** Batch training data (sparse rows) and its L2-regularized logistic objective (bench, tests). */
export { CsrBuilder, type CsrData, logisticObjective } from './ctr-batch.js';
/** The CTR model's design and trainer options: TypeBox schemas and their types. */
export {
  ClassWeight,
  CTR_DEFAULTS,
  CtrFeatures,
  CtrModelConfig,
  CtrTrainer,
  FeatureName,
  FtrlTrainer,
  LbfgsTrainer,
  type ResolvedTrainer,
  resolveTrainer,
} from './ctr-config.js';
/** Metrics of a CTR model on test rows, and test-row scoring with a reservoir sample. */
export {
  type CtrEvaluation,
  type CtrMetrics,
  ctrMetrics,
  type RandomSource,
  scoreTestRows,
} from './ctr-evaluate.js';
/** Feature hashing of rows and candidates. */
export {
  FeatureEncoder,
  type FeatureGroup,
  type FeatureValues,
  type NumericStat,
  numericStatsOf,
} from './ctr-features.js';
/** The online learner, for callers that hold encoded rows (bench). */
export { FtrlProximal } from './ctr-ftrl.js';
/** Permutation and weight importance of a CTR model. */
export {
  type FieldImportance,
  fieldsOf,
  type GroupWeights,
  permutationImportance,
  type Scorer,
  type ValueEffect,
  weightImportance,
} from './ctr-importance.js';
/** A trained CTR model, its parameters and its weights' byte form. */
export {
  CtrModel,
  type CtrModelParams,
  decodeWeights,
  encodeWeights,
  type SparseWeights,
  sigmoid,
} from './ctr-model.js';
/** The plain-words "what drives CTR" summary. */
export { describeCtrDrivers } from './ctr-summary.js';
/** Training with FTRL-Proximal or L-BFGS. */
export {
  type CtrExample,
  type CtrTrainingInput,
  classWeightsOf,
  type ExampleBatches,
  interceptShiftOf,
  type ProgressHook,
  type TrainProgress,
  type TrainSummary,
  trainCtrModel,
} from './ctr-train.js';
/** MurmurHash3 (x86, 32-bit), the feature hash. */
export { murmur3 } from './hashing.js';
/** L-BFGS for smooth convex objectives. */
export { type LbfgsOptions, type LbfgsResult, minimizeLbfgs, type Objective } from './lbfgs.js';
/** Binary classification metrics with scikit-learn's definitions. */
export {
  averagePrecision,
  bernoulliEntropy,
  LOG_LOSS_EPSILON,
  logLoss,
  normalizedEntropy,
  positiveRate,
  rocAuc,
} from './metrics.js';
/** Calibration table (deciles) and expected calibration error. */
export {
  type BinStrategy,
  type CalibrationBin,
  calibrationTable,
  expectedCalibrationError,
} from './metrics-calibration.js';
// --- end CTR prediction ---
