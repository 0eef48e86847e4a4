/** The library entry: `import { … } from 'pathwise'`. */

export {
  type AttributionResult,
  AttributionSpec,
  attribute,
  parseAttributionSpec,
  runAttribution,
} from './attribution/index.js';
export {
  ERROR_CODES,
  EVENT_COLUMNS,
  type EventRow,
  isPathwiseError,
  PathwiseError,
  SegmentBatch,
  SegmentMessage,
} from './core/index.js';
export {
  checkMessage,
  type ImportSummary,
  IngestWriter,
  importFile,
  ingestMessages,
  normalizeMessage,
  startIngest,
} from './ingest/index.js';
export { buildApp, type RunningServer, type ServeOptions, startServer } from './server/index.js';
/** The seeded generator attribution's bootstrap and Shapley sampling take: `(seed, stream) => new Rng(seed, stream)`. */
export { Rng } from './sim/index.js';
export {
  createProject,
  ensureDefaultProject,
  exportEvents,
  findProject,
  listRejected,
  openWarehouse,
  runReadOnlySql,
  type Warehouse,
} from './store/index.js';
