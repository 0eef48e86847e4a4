import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
import { EVENT_COLUMNS, PathwiseError } from '../core/index.js';
import type { Warehouse } from '../store/index.js';

/** The file formats `pathwise import` reads. */
export type ImportFormat = 'jsonl' | 'csv' | 'parquet';

/** One record of a file: a message object, or a line that could not be parsed. */
export type FileRecord =
  | { readonly line: number; readonly message: unknown; readonly text?: string }
  | { readonly line: number; readonly malformed: string; readonly error: string };

/** Tells the format from the file name. */
export function detectFormat(file: string): ImportFormat {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson') || name.endsWith('.json')) return 'jsonl';
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.parquet')) return 'parquet';
  throw new PathwiseError('PW_IMPORT_UNKNOWN_FORMAT', { file });
}

function openText(file: string, onBytes: (n: number) => void): Readable {
  const raw = createReadStream(file);
  raw.on('data', (chunk) => onBytes(chunk.length));
  return file.toLowerCase().endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
}

/** Parses JSON lines; blank lines are skipped, and a line that is not JSON becomes a malformed record. */
export async function* parseJsonLines(
  lines: AsyncIterable<string> | Iterable<string>,
): AsyncIterable<FileRecord> {
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield { line, message: JSON.parse(text), text };
    } catch (err) {
      yield { line, malformed: text, error: err instanceof Error ? err.message : String(err) };
    }
  }
}

async function* readJsonl(file: string, onBytes: (n: number) => void): AsyncIterable<FileRecord> {
  // The file opens only when iteration starts: readline loses lines emitted before that.
  yield* parseJsonLines(
    createInterface({ input: openText(file, onBytes), crlfDelay: Number.POSITIVE_INFINITY }),
  );
}

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** CSV cells are text; numbers and booleans in property columns get their JSON types back. */
function typedCell(value: string): unknown {
  if (NUMBER.test(value)) return Number(value);
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

const FIELD_OF_COLUMN: Record<string, string> = {
  type: 'type',
  event: 'event',
  message_id: 'messageId',
  messageid: 'messageId',
  user_id: 'userId',
  userid: 'userId',
  anonymous_id: 'anonymousId',
  anonymousid: 'anonymousId',
  timestamp: 'timestamp',
  original_timestamp: 'originalTimestamp',
  originaltimestamp: 'originalTimestamp',
  sent_at: 'sentAt',
  sentat: 'sentAt',
  received_at: 'receivedAt',
  receivedat: 'receivedAt',
  group_id: 'groupId',
  groupid: 'groupId',
  previous_id: 'previousId',
  previousid: 'previousId',
};
const OBJECT_COLUMNS = new Set(['properties', 'context', 'traits']);
/** Columns that ingest derives (url parts, UTM, device, …): recomputed from context, never properties. */
const DERIVED_COLUMNS = new Set(EVENT_COLUMNS.map((c) => c.name));

/**
 * Maps a tabular record to a Segment message: known columns by name (snake or camel case),
 * `properties`/`context`/`traits` as JSON objects, and in CSV every other column a property.
 */
export function recordToMessage(record: Record<string, unknown>, isCsv: boolean): Record<string, unknown> {
  const message: Record<string, unknown> = {};
  const properties: Record<string, unknown> = {};
  // A Pathwise export carries project_id: its derived columns are recomputed from context.
  const isOwnExport = 'project_id' in record;
  for (const [column, value] of Object.entries(record)) {
    if (value === null || value === undefined || value === '') continue;
    const key = column.toLowerCase();
    const field = FIELD_OF_COLUMN[key];
    if (field) message[field] = value;
    else if (OBJECT_COLUMNS.has(key)) {
      message[key] = typeof value === 'string' ? safeJson(value) : value;
    } else if (isCsv && !(isOwnExport && DERIVED_COLUMNS.has(key)))
      properties[column] = typeof value === 'string' ? typedCell(value) : value;
  }
  if (Object.keys(properties).length > 0) {
    const own = typeof message.properties === 'object' && message.properties ? message.properties : {};
    message.properties = { ...properties, ...own };
  }
  message.type ??= 'track';
  return message;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function* readCsv(file: string, onBytes: (n: number) => void): AsyncIterable<FileRecord> {
  const parser = openText(file, onBytes).pipe(parseCsv({ columns: true, skip_empty_lines: true, bom: true }));
  let line = 1;
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    line++;
    yield { line, message: recordToMessage(record, true) };
  }
}

async function* readParquet(
  wh: Warehouse,
  file: string,
  onBytes: (n: number) => void,
): AsyncIterable<FileRecord> {
  const total = statSync(file).size;
  let line = 0;
  let reported = 0;
  for await (const rows of wh.stream({ sql: 'SELECT * FROM read_parquet($1)', params: [file] })) {
    for (const row of rows) {
      line++;
      yield { line, message: recordToMessage(row, false) };
    }
    // Parquet is read by DuckDB; progress is approximated per chunk.
    const step = Math.min(total - reported, Math.round(total / 50));
    reported += step;
    onBytes(step);
  }
  onBytes(total - reported);
}

/** Reads the records of a file in its format; onBytes reports progress in file bytes. */
export function readRecords(
  wh: Warehouse,
  file: string,
  format: ImportFormat,
  onBytes: (n: number) => void,
): AsyncIterable<FileRecord> {
  if (format === 'jsonl') return readJsonl(file, onBytes);
  if (format === 'csv') return readCsv(file, onBytes);
  return readParquet(wh, file, onBytes);
}
