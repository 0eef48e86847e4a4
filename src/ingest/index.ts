/** Per-event shape rules of the ingestion edge. */

/** The messageIds remembered for dedup. */
export { DedupIndex } from './dedup.js';
/** File import (JSONL, CSV, Parquet). */
export {
  hasRowsBeyondDedupMemory,
  type ImportCounts,
  type ImportOptions,
  type ImportRecordsOptions,
  type ImportSummary,
  importFile,
  importJsonLines,
  importRecords,
} from './import.js';
/** Segment message → events row, with skew correction and enrichment. */
export { type Arrival, type Normalized, normalizeMessage } from './normalize.js';
/** Check, normalize and store messages that arrived together. */
export { type IngestOutcome, ingestMessages, prepareMessages, type Rejection } from './pipeline.js';
/** The privacy hooks: minimization rules per message, opt-out screening per submission. */
export type { IngestPolicy, MinimizeRules, Screened } from './policy.js';
export { detectFormat, type FileRecord, type ImportFormat, parseJsonLines } from './readers.js';
/** Opens the write path over a store. */
export { startIngest } from './start.js';
export { type Checked, checkMessage } from './validate.js';
/** The group-commit writer. */
export { type CommitResult, IngestWriter, type WriterObserver, type WriterOptions } from './writer.js';
