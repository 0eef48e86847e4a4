import { existsSync, statSync } from 'node:fs';
import {
  nowUs,
  PathwiseError,
  parseInstantUs,
  type RejectedRow,
  type SegmentMessage,
} from '../core/index.js';
import type { Warehouse } from '../store/index.js';
import type { Arrival } from './normalize.js';
import { prepareMessages } from './pipeline.js';
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
  readonly rejected: number;
  readonly rejectedByReason: Record<string, number>;
  readonly seconds: number;
}

/**
 * The receipt time of an imported line (ARCHITECTURE.md, "Receipt time"): its own receivedAt
 * when present, else the import time with no skew correction.
 */
function arrivalOf(projectId: string, importUs: number) {
  return (message: SegmentMessage | null): Arrival => {
    const own = message?.receivedAt;
    const ownUs = own === undefined || own === null ? null : parseInstantUs(own);
    return {
      projectId,
      receivedAtUs: ownUs ?? importUs,
      isReceiptKnown: ownUs !== null,
      insertedAtUs: importUs,
    };
  };
}

/** Running totals of an import. */
export interface ImportCounts {
  records: number;
  imported: number;
  duplicates: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
}

/**
 * Imports records through validation, normalization, dedup (also against the whole table) and
 * the group-commit writer. One chunk is committed while the next is prepared.
 */
export async function importRecords(
  writer: IngestWriter,
  records: AsyncIterable<FileRecord> | Iterable<FileRecord>,
  options: { projectId: string; source: string; chunkSize?: number; onRecords?: (n: number) => void },
): Promise<ImportCounts> {
  const importUs = nowUs();
  const arrival = arrivalOf(options.projectId, importUs);
  const counts: ImportCounts = { records: 0, imported: 0, duplicates: 0, rejected: 0, rejectedByReason: {} };
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
      { source: options.source },
    );
    // Rejections carry the file's line number as their index.
    for (const row of prepared.rejectedRows) row.batchIndex = messages[row.batchIndex ?? 0]?.line ?? null;
    const rejected = [...malformed, ...prepared.rejectedRows];
    const previous = inFlight;
    inFlight = (async () => {
      const result = await writer.submit(prepared.events, rejected, { isHistoryChecked: true });
      await previous;
      counts.imported += result.accepted;
      counts.duplicates += result.duplicates;
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
  options: { projectId: string; source: string; chunkSize?: number; onRecords?: (n: number) => void },
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
  const counts = await importRecords(writer, readRecords(wh, file, format, onBytes), {
    projectId: options.projectId,
    source: `import:${file}`,
    ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
  });
  options.onProgress?.(totalBytes, totalBytes);
  return { file, format, ...counts, seconds: (performance.now() - started) / 1000 };
}
