/**
 * Click-through analytics over stored events: the `ctr` insight, click-model fitting and IPS
 * replay. The glue between query (SQL: the impression/click join, streamed lists) and models
 * (the math); README, "Click-through analytics" and "Click models".
 */

/** The `ctr` insight: CTR tables with Wilson intervals and position-debiased CTR. */
export { type CtrCell, type CtrResult, type CtrRow, runCtrQuery } from './ctr.js';
/** PBM, cascade and DBN fitted on stored impressions, compared on held-out lists. */
export {
  type ClickModelReport,
  type ComparisonRow,
  type FitProgress,
  fitClickModels,
  fitModels,
  type ItemReport,
  type ModelReport,
} from './fit.js';
/** Counterfactual replay of a re-ranking with inverse propensity scoring. */
export { type ReplayReport, replayRanking } from './replay.js';
/** The specs of click-model fitting and replay (TypeBox), shared by the CLI and HTTP. */
export { ClickModelSpec, parseClickModelSpec, parseReplaySpec, ReplaySpec } from './spec.js';
