import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBTimestampValue,
  DuckDBTypeId,
  type DuckDBValue,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { EVENT_COLUMNS, type EventRow, type RejectedRow } from '../../core/index.js';

/** DuckDB's standard vector size: a data chunk holds at most this many rows. */
const CHUNK_ROWS = 2048;

function ts(us: number | null): DuckDBTimestampValue | null {
  return us === null ? null : new DuckDBTimestampValue(BigInt(us));
}

/**
 * Writes events straight into a data chunk's vectors: one native call per non-null string, and
 * timestamps and null masks built in JavaScript buffers and copied in with one call each (as
 * the node-api vectors do; views onto native memory must not outlive the chunk), with no
 * DuckDBValue per cell. Measured ~2x faster than DuckDBDataChunk.setColumns, whose vectors
 * cache every item before flushing it.
 */
function fillEventChunk(chunk: DuckDBDataChunk, rows: readonly EventRow[], offset: number, n: number): void {
  const maskBytes = Math.ceil(n / 64) * 8;
  EVENT_COLUMNS.forEach((column, c) => {
    const vector = duckdb.data_chunk_get_vector(chunk.chunk, c);
    let maskBuffer: ArrayBuffer | null = null;
    let mask: Uint8Array | null = null;
    const nullAt = (i: number) => {
      if (mask === null) {
        maskBuffer = new ArrayBuffer(maskBytes);
        mask = new Uint8Array(maskBuffer).fill(0xff);
      }
      // Little-endian 64-bit words: row i is bit i & 7 of byte i >> 3.
      mask[i >> 3] = (mask[i >> 3] as number) & ~(1 << (i & 7));
    };
    const field = column.field;
    if (column.kind === 'timestamp') {
      const buffer = new ArrayBuffer(n * 8);
      const micros = new BigInt64Array(buffer);
      for (let i = 0; i < n; i++) {
        const us = (rows[offset + i] as EventRow)[field] as number | null;
        if (us === null) nullAt(i);
        else micros[i] = BigInt(us);
      }
      duckdb.copy_data_to_vector(vector, 0, buffer, 0, buffer.byteLength);
    } else {
      for (let i = 0; i < n; i++) {
        const value = (rows[offset + i] as EventRow)[field] as string | null;
        if (value === null) nullAt(i);
        else duckdb.vector_assign_string_element(vector, i, value);
      }
    }
    const nulls = maskBuffer as ArrayBuffer | null;
    if (nulls !== null) {
      duckdb.vector_ensure_validity_writable(vector);
      duckdb.copy_data_to_vector_validity(vector, 0, nulls, 0, nulls.byteLength);
    }
  });
}

/** True when the table's columns are, in order, what fillEventChunk writes (VARCHAR/JSON, TIMESTAMP). */
function isEventLayout(appender: DuckDBAppender): boolean {
  if (appender.columnCount !== EVENT_COLUMNS.length) return false;
  return EVENT_COLUMNS.every((column, c) => {
    const typeId = appender.columnType(c).typeId;
    return column.kind === 'timestamp' ? typeId === DuckDBTypeId.TIMESTAMP : typeId === DuckDBTypeId.VARCHAR;
  });
}

function eventColumns(rows: readonly EventRow[]): DuckDBValue[][] {
  return EVENT_COLUMNS.map((c) => {
    const out: DuckDBValue[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const v = (rows[i] as EventRow)[c.field];
      out[i] = c.kind === 'timestamp' ? ts(v as number | null) : (v as string | null);
    }
    return out;
  });
}

function rejectedColumns(rows: readonly RejectedRow[]): DuckDBValue[][] {
  return [
    rows.map((r) => r.projectId),
    rows.map((r) => ts(r.receivedAtUs)),
    rows.map((r) => r.source),
    rows.map((r) => r.batchIndex),
    rows.map((r) => r.code),
    rows.map((r) => r.reason),
    rows.map((r) => r.raw),
  ];
}

/**
 * Appends column arrays through a data chunk per 2048 rows: one native call per chunk column
 * instead of one per value (measured ~1.3x faster than row-wise appends for the events table).
 */
async function appendColumns(conn: DuckDBConnection, table: string, columns: DuckDBValue[][]): Promise<void> {
  const rowCount = columns[0]?.length ?? 0;
  if (rowCount === 0) return;
  const appender: DuckDBAppender = await conn.createAppender(table);
  try {
    const types = columns.map((_, i) => appender.columnType(i));
    for (let offset = 0; offset < rowCount; offset += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, rowCount - offset);
      const chunk = DuckDBDataChunk.create(types, n);
      chunk.setColumns(
        columns.map((col) => (offset === 0 && n === rowCount ? col : col.slice(offset, offset + n))),
      );
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

async function appendEvents(conn: DuckDBConnection, rows: readonly EventRow[]): Promise<void> {
  if (rows.length === 0) return;
  const appender: DuckDBAppender = await conn.createAppender('events');
  let isDirect = false;
  try {
    isDirect = isEventLayout(appender);
    if (isDirect) {
      const types = EVENT_COLUMNS.map((_, c) => appender.columnType(c));
      for (let offset = 0; offset < rows.length; offset += CHUNK_ROWS) {
        const n = Math.min(CHUNK_ROWS, rows.length - offset);
        const chunk = DuckDBDataChunk.create(types, n);
        fillEventChunk(chunk, rows, offset, n);
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    }
  } finally {
    appender.closeSync();
  }
  // A table whose columns differ from EVENT_COLUMNS' kinds goes through the generic path.
  if (!isDirect) await appendColumns(conn, 'events', eventColumns(rows));
}

/** Appends events and rejected events on a connection; the caller owns the transaction. */
export async function appendRows(
  conn: DuckDBConnection,
  events: readonly EventRow[],
  rejected: readonly RejectedRow[],
): Promise<void> {
  await appendEvents(conn, events);
  await appendColumns(conn, 'rejected_events', rejectedColumns(rejected));
}
