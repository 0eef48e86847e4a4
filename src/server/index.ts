/** Builds the Fastify app over an open store and writer (tests, embedding). */
export { type AppDeps, buildApp } from './app.js';
/** Scope declarations of every route. */
export { type RouteScopes, routeTable, type Scope, SESSION_COOKIE } from './auth.js';
/** Models: CTR training (extract, train, evaluate, store), specs, loading and scoring. */
export { CtrPredictors, type PredictResult } from './ctr-predict.js';
export {
  CtrTrainSpec,
  ModelName,
  PredictBody,
  parseCtrTrainSpec,
  parseModelName,
  parsePredictBody,
} from './ctr-spec.js';
export { type CtrReport, ctrModelOf, describeModel, type TrainingProgress, trainCtr } from './ctr-train.js';
/** Prometheus metrics of the ingest path. */
export { createMetrics, type ServerMetrics } from './metrics.js';
/** Identity and sessions processing: incremental passes, full rebuilds, the background processor. */
export {
  BackgroundProcessor,
  type ProcessorOptions,
  type ProjectPass,
  processNewEvents,
  REBUILD_STEPS,
  rebuildProject,
} from './processing.js';
/** A query body (spec plus `shareable`), parsed and run as POST /api/query does. */
export { parseQueryRequest, type QueryRequest, runQueryRequest } from './query-request.js';
/** Saved insights' results and the refresher that keeps dashboard tiles warm. */
export { type AnsweredResult, type CachedResult, ResultCache } from './result-cache.js';
/** Opens the store and serves it: what `pathwise serve` runs. */
export { type RunningServer, type ServeOptions, startServer } from './start.js';
export { type RefreshRound, TileRefresher, type TileRefresherOptions } from './tile-refresher.js';
