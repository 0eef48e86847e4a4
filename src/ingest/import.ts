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
import { detectFormat, type FileRecord, type ImportFormat, readRecords } from './readers.js';
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
  const chunkSize = options.chunkSize ?? 10_000;
  const importUs = nowUs();
  const arrival = arrivalOf(options.projectId, importUs);
  const source = `import:${file}`;
  let readBytes = 0;
  const counts = { records: 0, imported: 0, duplicates: 0, rejected: 0 };
  const rejectedByReason: Record<string, number> = {};
  let chunk: FileRecord[] = [];

  const flush = async () => {
    const messages = chunk.filter((r): r is Extract<FileRecord, { message: unknown }> => 'message' in r);
    const malformed: RejectedRow[] = chunk.flatMap((r) =>
      'malformed' in r
        ? [
            {
              projectId: options.projectId,
              receivedAtUs: importUs,
              source,
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
      { source },
    );
    // Rejections carry the file's line number as their index.
    prepared.rejectedRows.forEach((row) => {
      row.batchIndex = messages[row.batchIndex ?? 0]?.line ?? null;
    });
    const rejected = [...malformed, ...prepared.rejectedRows];
    const result = await writer.submit(prepared.events, rejected, { isHistoryChecked: true });
    counts.imported += result.accepted;
    counts.duplicates += result.duplicates;
    counts.rejected += rejected.length;
    for (const r of rejected) rejectedByReason[r.code] = (rejectedByReason[r.code] ?? 0) + 1;
    chunk = [];
  };

  const onBytes = (n: number) => {
    readBytes += n;
    options.onProgress?.(Math.min(readBytes, totalBytes), totalBytes);
  };
  for await (const record of readRecords(wh, file, format, onBytes)) {
    counts.records++;
    chunk.push(record);
    if (chunk.length >= chunkSize) await flush();
  }
  if (chunk.length > 0) await flush();
  options.onProgress?.(totalBytes, totalBytes);
  return { file, format, ...counts, rejectedByReason, seconds: (performance.now() - started) / 1000 };
}
