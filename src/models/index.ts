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
