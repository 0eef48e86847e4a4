import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import { EVENT_COLUMNS, type EventRow, type RejectedRow } from '../../core/index.js';

/** DuckDB's standard vector size: a data chunk holds at most this many rows. */
const CHUNK_ROWS = 2048;

function ts(us: number | null): DuckDBTimestampValue | null {
  return us === null ? null : new DuckDBTimestampValue(BigInt(us));
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

/** Appends events and rejected events on a connection; the caller owns the transaction. */
export async function appendRows(
  conn: DuckDBConnection,
  events: readonly EventRow[],
  rejected: readonly RejectedRow[],
): Promise<void> {
  await appendColumns(conn, 'events', eventColumns(events));
  await appendColumns(conn, 'rejected_events', rejectedColumns(rejected));
}
