/** The pure core: every model on a set of journeys, with an injected seeded generator. */
export { attribute, type RandomFactory } from './attribute.js';
/** The model options with their defaults (README, "Attribution"). */
export { type AttributionOptions, DEFAULT_OPTIONS, optionsOf } from './options.js';
/** Result types: every model side by side, roles, budget and advice. */
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
/** Initiators, assisters and closers. */
export type { ChannelRole, RoleKind } from './roles.js';
/** The attribution insight for a project: journeys extracted by query, then every model. */
export { type AttributionRunOptions, type JourneyStore, runAttribution } from './run.js';
/** The injected generator's interface (the simulator's Rng satisfies it). */
export type { RandomSource } from './shapley.js';
/** The spec (TypeBox), shared by the CLI and `POST /api/query`. */
export { AttributionSpec, parseAttributionSpec, Spend } from './spec.js';
/** Spend per channel from a CSV file's text (CLI --spend). */
export { parseSpendCsv } from './spend.js';
/** The comparison table as rows (CLI). */
export { comparisonRows } from './table.js';
