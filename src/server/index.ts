/** Builds the Fastify app over an open store and writer (tests, embedding). */
export { type AppDeps, buildApp } from './app.js';
/** Scope declarations of every route. */
export { type RouteScopes, routeTable, type Scope, SESSION_COOKIE } from './auth.js';
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
/** Opens the store and serves it: what `pathwise serve` runs. */
export { type RunningServer, type ServeOptions, startServer } from './start.js';
