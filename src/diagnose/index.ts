/**
 * Funnel diagnostics (README, "Funnel diagnostics"): where people drop out of a funnel, who
 * drops out most, since when, and what correlates with converting — on the funnel engine's best
 * chains (query) and the statistics engine (stats).
 */

/** Change points in a daily binomial series (binary segmentation, binomial likelihood, CUSUM range test). */
export { type BinomialDay, type ChangePointFit, kuiperSf, scanChangePoints } from './change-point.js';
/** The odds ratio with Woolf's interval (Haldane–Anscombe corrected). */
export { type OddsRatio, oddsRatio } from './odds.js';
/** The result: a TypeBox schema (HTTP responses, OpenAPI) and its type. */
export {
  Correlation,
  DiagnosisResult,
  Experiment,
  PeriodChange,
  SegmentFinding,
  Since,
} from './result.js';
/** Runs a diagnosis; its defaults and default dimensions. */
export { DEFAULT_DIMENSIONS, DIAGNOSE_DEFAULTS, type DiagnoseOptions, runDiagnosis } from './run.js';
/** The request: a TypeBox schema and the parser of untrusted JSON. */
export { DiagnoseSpec, parseDiagnoseSpec } from './spec.js';
