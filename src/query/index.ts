/** Runs an insight spec for a project and returns its result with the resolved range and zone. */

/** The store handle that analyses pass through to query functions. */
export type { Warehouse } from '../store/index.js';
export type { Capabilities, Dialect } from './emit/dialect.js';
export { duckdbDialect } from './emit/duckdb/index.js';
/** Experiments: exposure counts and per-variant metric moments computed in the store. */
export {
  type ExperimentMetricQuery,
  type ExperimentScope,
  planExperimentExposures,
  planExperimentMetrics,
  type ValueSelection,
} from './plan/experiment.js';
export type { PlanNode } from './plan/nodes.js';
/** The planner (pure) and the DuckDB dialect, for emitter tests and benchmarks. */
export { type PlanContext, planFunnel, planPaths, planRetention, planTrends } from './plan/planner.js';
/** Date ranges resolved as every insight resolves them. */
export { type ResolvedDateRange, resolveDateRange } from './run/context.js';
/** The live tail: the newest events, filtered (the dashboard's events page). */
export { type ListedEvent, listEvents } from './run/events.js';
/** Experiment exposures and metric moments run against the store. */
export {
  type ExperimentExposureCounts,
  type ExperimentMetricMoments,
  type MetricMoments,
  runExperimentExposures,
  runExperimentMetrics,
} from './run/experiment.js';
/** Stored experiment definitions (table `experiments`). */
export {
  findExperimentDefinition,
  listExperimentDefinitions,
  type StoredExperiment,
  saveExperimentDefinition,
} from './run/experiment-definitions.js';
/** Result types per insight kind. */
export type { FunnelResult, FunnelStepResult, HistogramBin } from './run/funnel.js';
export type { PathsResult, PathTransition } from './run/paths.js';
export { type InsightResult, type QueryOptions, runQuery } from './run/query.js';
export type { RetentionCohort, RetentionResult } from './run/retention.js';
export type { TrendsLine, TrendsResult } from './run/trends.js';
/** Shared spec parts: date ranges, event steps, intervals, the unit counted. */
export { CountBy, DateRange, EventStep, Interval } from './spec/common.js';
/** The live tail's query (TypeBox). */
export { EventListQuery } from './spec/events.js';
/** Property filters as an expression tree. */
export {
  EventColumn,
  FilterOp,
  FilterValue,
  PersonColumn,
  PropertyFilter,
  PropertyRef,
  SessionColumn,
} from './spec/filter.js';
/** Insight specs: TypeBox schemas (HTTP and CLI validate with them) and their types. */
export {
  ExclusionStep,
  FunnelSpec,
  InsightSpec,
  PathsSpec,
  RetentionSpec,
  TrendsMath,
  TrendsSeries,
  TrendsSpec,
} from './spec/insights.js';
/** Validates untrusted JSON (HTTP body, CLI --spec) as an insight spec. */
export { parseInsightSpec } from './spec/parse.js';
