/**
 * Experiments defined on events: definitions stored per project, analysis from the events
 * (exposures, SRM, every statistic of src/stats per metric and variant) and a verdict line.
 */

/** Analysis of a definition (stored or not). */
export { type AnalyzeOptions, analyzeExperiment } from './analyze.js';
/** Stored experiments: create (or replace), get, list, analyze by key. */
export {
  analyzeExperimentByKey,
  createExperiment,
  type Experiment,
  getExperiment,
  listExperiments,
} from './definitions.js';
/** Result schemas and types of an analysis. */
export { BayesSummary, Comparison, ExperimentAnalysis, MetricAnalysis, VariantComparison } from './result.js';
/** Definition schemas (TypeBox; HTTP and CLI validate with them) and their types. */
export {
  ConversionMetric,
  EXPERIMENT_DEFAULTS,
  ExperimentDefinition,
  ExperimentMetric,
  MeanMetric,
  parseExperimentDefinition,
  RatioMetric,
} from './spec.js';
/** The verdict lines and the p-value format they use. */
export { formatP, verdictLines } from './verdict.js';
