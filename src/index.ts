/** The library entry: `import { … } from 'pathwise'`. */
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
