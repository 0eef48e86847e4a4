/** The attribution insight: journeys from query, every model side by side, budget advice. */

/** The pure core: every model on a set of journeys, with an injected seeded generator. */
export { attribute, type RandomFactory } from './attribute.js';
export { type AttributionOptions, DEFAULT_OPTIONS, optionsOf } from './options.js';
/** Result types. */
export type {
  AttributionResult,
  ChannelAdvice,
  ChannelComparison,
  JourneySummary,
  ModelInfo,
  Recommendation,
  SankeyLink,
  TopJourney,
} from './result.js';
export type { ChannelRole, RoleKind } from './roles.js';
export { type AttributionRunOptions, type JourneyStore, runAttribution } from './run.js';
export type { RandomSource } from './shapley.js';
/** The spec (TypeBox), shared by the CLI and `POST /api/query`. */
export { AttributionSpec, parseAttributionSpec, Spend } from './spec.js';
/** Spend per channel from a CSV file's text (CLI --spend). */
export { parseSpendCsv } from './spend.js';
/** The comparison table as rows (CLI). */
export { comparisonRows } from './table.js';
