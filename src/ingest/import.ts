import { existsSync, statSync } from 'node:fs';
import {
  LIMITS,
  nowUs,
  PathwiseError,
  parseInstantUs,
  type RejectedRow,
  type SegmentMessage,
} from '../core/index.js';
import type { Warehouse } from '../store/index.js';
import type { Arrival } from './normalize.js';
import { prepareMessages } from './pipeline.js';
import type { MinimizeRules } from './policy.js';
import { detectFormat, type FileRecord, type ImportFormat, parseJsonLines, readRecords } from './readers.js';
import type { IngestWriter } from './writer.js';

/** Options of a file import. */
export interface ImportOptions {
  readonly projectId: string;
  readonly format?: ImportFormat;
  /** Records per transaction. */
  readonly chunkSize?: number;
  /** Progress in bytes of the file read so far, out of its size. */
  readonly onProgress?: (readBytes: number, totalBytes: number) => void;
}

/** The summary printed after an import. */
export interface ImportSummary {
  readonly file: string;
  readonly format: ImportFormat;
  readonly records: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly optedOut: number;
  readonly rejected: number;
  readonly rejectedByReason: Record<string, number>;
  readonly seconds: number;
}

/**
 * The receipt time of an imported line (ARCHITECTURE.md, "Receipt time"): its own receivedAt
 * when present, else the import time with no skew correction.
 */
function arrivalOf(projectId: string, importUs: number, rules: MinimizeRules | null) {
  return (message: SegmentMessage | null): Arrival => {
    const own = message?.receivedAt;
    const ownUs = own === undefined || own === null ? null : parseInstantUs(own);
    return {
      projectId,
      receivedAtUs: ownUs ?? importUs,
      isReceiptKnown: ownUs !== null,
      insertedAtUs: importUs,
      rules,
    };
  };
}

/** Running totals of an import. */
export interface ImportCounts {
  records: number;
  imported: number;
  duplicates: number;
  /** Events of opted-out persons, dropped (README, "Privacy"). */
  optedOut: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
}

/** Options of importRecords. */
export interface ImportRecordsOptions {
  readonly projectId: string;
  readonly source: string;
  readonly chunkSize?: number;
  /**
   * Look messageIds up in the whole table, not only in the dedup memory (default true). Only
   * needed when the project has rows older than the memory's horizon: see hasRowsBeyondDedupMemory.
   */
  readonly isHistoryChecked?: boolean;
  readonly onRecords?: (n: number) => void;
}

/** True when the project has rows that the dedup memory does not hold (inserted before its horizon). */
export async function hasRowsBeyondDedupMemory(wh: Warehouse, projectId: string): Promise<boolean> {
  // A day of margin: the memory prunes hourly, so it may already have dropped ids a little younger.
  const cutoffUs = nowUs() - LIMITS.dedupHorizonUs + 86_400_000_000;
  const rows = await wh.all({
    sql: 'SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE project_id = $1 AND inserted_at < $2 LIMIT 1)',
    params: [projectId, { timestampUs: cutoffUs }],
  });
  return Number(rows[0]?.n ?? 0) > 0;
}

/**
 * Imports records through validation, normalization, dedup (also against the whole table) and
 * the group-commit writer. One chunk is committed while the next is prepared.
 */
export async function importRecords(
  writer: IngestWriter,
  records: AsyncIterable<FileRecord> | Iterable<FileRecord>,
  options: ImportRecordsOptions,
): Promise<ImportCounts> {
  const importUs = nowUs();
  const rules = writer.rulesFor(options.projectId);
  const arrival = arrivalOf(options.projectId, importUs, rules);
  const counts: ImportCounts = {
    records: 0,
    imported: 0,
    duplicates: 0,
    optedOut: 0,
    rejected: 0,
    rejectedByReason: {},
  };
  let inFlight: Promise<void> = Promise.resolve();

  const submit = (chunk: FileRecord[]) => {
    const messages = chunk.filter((r): r is Extract<FileRecord, { message: unknown }> => 'message' in r);
    const malformed: RejectedRow[] = chunk.flatMap((r) =>
      'malformed' in r
        ? [
            {
              projectId: options.projectId,
              receivedAtUs: importUs,
              source: options.source,
              batchIndex: r.line,
              code: 'malformed_json' as const,
              reason: r.error,
              raw: r.malformed,
            },
          ]
        : [],
    );
    const prepared = prepareMessages(
      messages.map((r) => r.message),
      arrival,
      {
        source: options.source,
        rules,
        sourceOf: (i) => {
          const raw = messages[i]?.text;
          return raw === undefined ? {} : { raw };
        },
      },
    );
    // Rejections carry the file's line number as their index.
    for (const row of prepared.rejectedRows) row.batchIndex = messages[row.batchIndex ?? 0]?.line ?? null;
    const rejected = [...malformed, ...prepared.rejectedRows];
    const previous = inFlight;
    inFlight = (async () => {
      const result = await writer.submit(prepared.events, rejected, {
        isHistoryChecked: options.isHistoryChecked ?? true,
      });
      await previous;
      counts.imported += result.accepted;
      counts.duplicates += result.duplicates;
      counts.optedOut += result.optedOut;
      counts.rejected += rejected.length;
      for (const r of rejected) counts.rejectedByReason[r.code] = (counts.rejectedByReason[r.code] ?? 0) + 1;
      options.onRecords?.(chunk.length);
    })();
    return previous;
  };

  const chunkSize = options.chunkSize ?? 10_000;
  let chunk: FileRecord[] = [];
  for await (const record of records) {
    counts.records++;
    chunk.push(record);
    if (chunk.length >= chunkSize) {
      // Wait for the chunk before the one just submitted: at most two are in flight.
      await submit(chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) submit(chunk);
  await inFlight;
  return counts;
}

/** Imports JSON lines (e.g. a simulator's archive) exactly as `pathwise import` reads a JSONL file. */
export async function importJsonLines(
  writer: IngestWriter,
  lines: AsyncIterable<string> | Iterable<string>,
  options: ImportRecordsOptions,
): Promise<ImportCounts> {
  return importRecords(writer, parseJsonLines(lines), options);
}

/** Imports a JSONL, CSV or Parquet file through the same validation and dedup as HTTP. */
export async function importFile(
  wh: Warehouse,
  writer: IngestWriter,
  file: string,
  options: ImportOptions,
): Promise<ImportSummary> {
  if (!existsSync(file)) throw new PathwiseError('PW_IMPORT_FILE_NOT_FOUND', { file });
  const started = performance.now();
  const format = options.format ?? detectFormat(file);
  const totalBytes = statSync(file).size;
  let readBytes = 0;
  const onBytes = (n: number) => {
    readBytes += n;
    options.onProgress?.(Math.min(readBytes, totalBytes), totalBytes);
  };
  // Before opening the file: readline drops lines that arrive before its iterator is taken.
  const isHistoryChecked = await hasRowsBeyondDedupMemory(wh, options.projectId);
  const counts = await importRecords(writer, readRecords(wh, file, format, onBytes), {
    projectId: options.projectId,
    source: `import:${file}`,
    isHistoryChecked,
    ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
  });
  options.onProgress?.(totalBytes, totalBytes);
  return { file, format, ...counts, seconds: (performance.now() - started) / 1000 };
}
