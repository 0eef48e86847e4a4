/** Runs an insight spec for a project and returns its result with the resolved range and zone. */

export type { Capabilities, Dialect } from './emit/dialect.js';
export { duckdbDialect, OTHER_VALUE } from './emit/duckdb/index.js';
export type { PlanNode, SegmentCondition } from './plan/nodes.js';
/** The planner (pure) and the DuckDB dialect, for emitter tests and benchmarks. */
export { type PlanContext, planFunnel, planPaths, planRetention, planTrends } from './plan/planner.js';
/** Date ranges resolved as every insight resolves them. */
export { type ResolvedDateRange, resolveDateRange } from './run/context.js';
/** Funnel diagnosis queries: segment counts, daily series and feature counts from the funnel's best chains. */
export {
  type DailyCount,
  type FeatureCount,
  type FeatureCounts,
  FunnelDiagnosisSource,
  type FunnelUnitsOptions,
  type QueryStore,
  type SegmentAtStep,
  type SegmentCounts,
  type SegmentsRequest,
  type StepCount,
  withFunnelDiagnosis,
} from './run/diagnose.js';
/** Result types per insight kind. */
export type { FunnelResult, FunnelStepResult, HistogramBin } from './run/funnel.js';
export type { PathsResult, PathTransition } from './run/paths.js';
export { type InsightResult, type QueryOptions, runQuery } from './run/query.js';
export type { RetentionCohort, RetentionResult } from './run/retention.js';
export type { TrendsLine, TrendsResult } from './run/trends.js';
/** Shared spec parts: date ranges, event steps, intervals, the unit counted. */
export { CountBy, DateRange, EventStep, Interval } from './spec/common.js';
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
  SegmentBy,
  TrendsMath,
  TrendsSeries,
  TrendsSpec,
} from './spec/insights.js';
/** Validates untrusted JSON (HTTP body, CLI --spec) as an insight spec. */
export { parseInsightSpec } from './spec/parse.js';
