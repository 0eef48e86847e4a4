import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
  LIST,
  listValue,
  TIMESTAMP,
  VARCHAR,
} from '@duckdb/node-api';
import { formatInstantUs } from '../../core/index.js';
import type { Row, SqlValue } from '../warehouse.js';

/** Converts a bound parameter to DuckDB's value and type. */
export function toDuckValue(value: SqlValue): { value: DuckDBValue; type: DuckDBType } {
  if (value === null) return { value: null, type: VARCHAR };
  if (typeof value === 'string') return { value, type: VARCHAR };
  if (typeof value === 'boolean') return { value, type: BOOLEAN };
  if (typeof value === 'bigint') return { value, type: BIGINT };
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? { value: BigInt(value), type: BIGINT } : { value, type: DOUBLE };
  }
  if (Array.isArray(value)) return { value: listValue([...value]), type: LIST(VARCHAR) };
  const ts = value as { timestampUs: number };
  return { value: new DuckDBTimestampValue(BigInt(Math.round(ts.timestampUs))), type: TIMESTAMP };
}

/** Converts a DuckDB value to a plain JS value: counts as numbers, timestamps as ISO-8601 (µs). */
export function fromDuckValue(value: DuckDBValue): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') {
      return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(value)
        : value.toString();
    }
    return value;
  }
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) {
    return formatInstantUs(Number(value.micros));
  }
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (value instanceof DuckDBDateValue) return value.toString();
  if (value instanceof DuckDBListValue) return value.items.map(fromDuckValue);
  if (value instanceof DuckDBStructValue) {
    const out: Row = {};
    for (const [k, v] of Object.entries(value.entries)) out[k] = fromDuckValue(v);
    return out;
  }
  if (value instanceof DuckDBMapValue) {
    const out: Row = {};
    for (const entry of value.entries) out[String(fromDuckValue(entry.key))] = fromDuckValue(entry.value);
    return out;
  }
  return value.toString();
}

/** Converts DuckDB row objects to plain rows. */
export function toRows(rows: readonly Record<string, DuckDBValue>[]): Row[] {
  return rows.map((row) => {
    const out: Row = {};
    for (const [k, v] of Object.entries(row)) out[k] = fromDuckValue(v);
    return out;
  });
}
