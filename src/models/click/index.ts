/** Click models for position bias: PBM, cascade, DBN; held-out evaluation; IPS replay; Wilson intervals. */
export { CascadeCounter, CascadeModel } from './cascade.js';
export { DbnFitter, DbnModel, type DbnOptions, type DbnParameters } from './dbn.js';
export { HeldOutEvaluator, type HeldOutFit } from './evaluate.js';
export {
  type ClickModelName,
  type FittedClickModel,
  type ItemParameters,
  type PositionExamination,
  PROB_EPSILON,
} from './fitted.js';
export { IpsReplay, type ReplayEstimate, rerankPositions } from './ips.js';
export type { ClickList, ClickPredictor, Estimate, PositionCell } from './list.js';
export { fitPbm, PbmModel, type PbmOptions } from './pbm.js';
export { wilsonInterval, Z95 } from './wilson.js';
