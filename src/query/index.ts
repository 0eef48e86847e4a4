/** Runs an insight spec for a project and returns its result with the resolved range and zone. */

/** The store handle that analyses pass through to query functions. */
export type { Warehouse } from '../store/index.js';
export type { Capabilities, Dialect } from './emit/dialect.js';
export { duckdbDialect, OTHER_VALUE } from './emit/duckdb/index.js';
/** Experiments: exposure counts and per-variant metric moments computed in the store. */
export {
  type ExperimentMetricQuery,
  type ExperimentScope,
  planExperimentExposures,
  planExperimentMetrics,
  type ValueSelection,
} from './plan/experiment.js';
export type { PlanNode, SegmentCondition } from './plan/nodes.js';
/** The planner (pure) and the DuckDB dialect, for emitter tests and benchmarks. */
export { type PlanContext, planFunnel, planPaths, planRetention, planTrends } from './plan/planner.js';
/** Click-through data: CTR tables, the click/impression join report, click-model data sets (streamed). */
export {
  type ClickCellRow,
  ClickDataSet,
  type ClickItem,
  type ClickJoinStats,
  type ClickListRow,
  type CtrCounts,
  type CtrTable,
  openClickData,
  queryCtrTable,
} from './run/clicks.js';
/** Date ranges resolved as every insight resolves them. */
export { type ResolvedDateRange, resolveDateRange } from './run/context.js';
// --- CTR training rows (README, "CTR prediction"): labelled impressions streamed from the store ---
export {
  type CtrPart,
  type CtrTrainingPlan,
  type CtrTrainingRow,
  partRange,
  planCtrTraining,
  streamCtrRows,
} from './run/ctr-training.js';
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
/** Journeys for attribution, packed in typed arrays; hand-written ones for tests and benchmarks. */
export { type JourneySet, JourneySetBuilder, journeySetOf, type PlainJourney } from './run/journey-set.js';
/** Journey extraction in SQL, streamed into a JourneySet. */
export {
  collectJourneys,
  type JourneyExtract,
  type JourneySettings,
  journeySettings,
  OTHER_LABEL,
} from './run/journeys.js';
export type { PathsResult, PathTransition } from './run/paths.js';
export { type InsightResult, type QueryOptions, runQuery } from './run/query.js';
export type { RetentionCohort, RetentionResult } from './run/retention.js';
export type { TrendsLine, TrendsResult } from './run/trends.js';
/** Click-through specs: conventions, the `ctr` insight, click-model data (README, "Click-through analytics"). */
export {
  CLICK_DEFAULTS,
  ClickConventions,
  ClickDataSpec,
  CtrDimension,
  CtrSpec,
  parseCtrSpec,
} from './spec/clicks.js';
/** Shared spec parts: date ranges, event steps, intervals, the unit counted. */
export { CountBy, DateRange, EventStep, Interval } from './spec/common.js';
export { CTR_BUILTIN_FIELDS, CTR_SOURCE_DEFAULTS, CtrTrainingSource } from './spec/ctr-training.js';
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
  SegmentBy,
  TrendsMath,
  TrendsSeries,
  TrendsSpec,
} from './spec/insights.js';
/** The journey spec parts (TypeBox): conversion, touchpoint sources, lookback. */
export {
  ConversionSpec,
  JourneySpec,
  SessionTouchAttribute,
  TouchpointSource,
} from './spec/journeys.js';
/** Validates untrusted JSON (HTTP body, CLI --spec) as an insight spec. */
export { parseInsightSpec } from './spec/parse.js';
