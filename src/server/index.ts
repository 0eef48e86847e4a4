/** Builds the Fastify app over an open store and writer (tests, embedding). */
export { type AppDeps, buildApp } from './app.js';
/** Prometheus metrics of the ingest path. */
export { createMetrics, type ServerMetrics } from './metrics.js';
/** Opens the store and serves it: what `pathwise serve` runs. */
export { type RunningServer, type ServeOptions, startServer } from './start.js';
