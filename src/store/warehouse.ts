import type { EventRow, RejectedRow } from '../core/index.js';

/** A bound value: user-supplied names and values reach SQL only this way. */
export type SqlValue =
  | string
  | number
  | boolean
  | bigint
  | null
  | { readonly timestampUs: number }
  | readonly string[];

/** A statement and its bound parameters (`$1`, `$2`, … in the SQL). */
export interface SqlQuery {
  readonly sql: string;
  readonly params?: readonly SqlValue[];
}

/** A result row with plain JS values: numbers, strings (timestamps as ISO-8601), booleans, arrays, objects. */
export type Row = Record<string, unknown>;

/** Statements of one transaction (see Warehouse.transaction). */
export interface SqlSession {
  /** Runs a statement and returns all rows. */
  all(query: SqlQuery): Promise<Row[]>;
  /** Runs a statement that returns nothing of interest. */
  run(query: SqlQuery): Promise<void>;
}

/** What a store can do; the DuckDB file is the embedded default (ARCHITECTURE.md, "Scale-out"). */
export interface Warehouse {
  /** The SQL dialect name, for the query emitters. */
  readonly dialect: string;
  /** The database path, or ':memory:'. */
  readonly path: string;
  /** Whether the store was opened read-only. */
  readonly isReadOnly: boolean;
  /** Runs a statement and returns all rows. */
  all(query: SqlQuery): Promise<Row[]>;
  /** Runs a statement and yields its rows in chunks without materializing the whole result. */
  stream(query: SqlQuery): AsyncIterable<Row[]>;
  /** Runs a statement that returns nothing of interest. */
  run(query: SqlQuery): Promise<void>;
  /**
   * Appends events and rejected events in one transaction: all are durable when the promise
   * resolves, none when it rejects.
   */
  appendBatch(events: readonly EventRow[], rejected: readonly RejectedRow[]): Promise<void>;
  /**
   * Runs fn's statements in one transaction on a connection of its own, so that a long
   * background job does not hold up appendBatch; commits when fn resolves, rolls back when it throws.
   */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Runs fn's statements in one transaction that no append interleaves with (it holds the
   * writer), then, when asked, checkpoints before letting appends resume. For rewrites that must
   * see and replace whole tables (GDPR erasure: README, "Privacy").
   */
  exclusive<T>(fn: (tx: SqlSession) => Promise<T>, options?: { isCheckpointed?: boolean }): Promise<T>;
  /** Writes the WAL into the main file. */
  checkpoint(): Promise<void>;
  /** Checkpoints (when writable) and closes; idempotent. */
  close(): Promise<void>;
}

/** How to open a store. */
export interface OpenOptions {
  /** File path of the database; ':memory:' for a throwaway one. */
  readonly path: string;
  readonly isReadOnly?: boolean;
  /** DuckDB threads; defaults to the number of cores. */
  readonly threads?: number;
}
