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
   * Runs untrusted SQL in a sandbox: a separate in-memory database that holds only one project's
   * rows of the named tables, with file and network access off and its settings locked.
   */
  runSandboxed(request: SandboxRequest): Promise<SandboxResult>;
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

/** A table copied into the sandbox: only the project's rows, only the named columns (or all). */
export interface SandboxTable {
  readonly name: string;
  readonly columns: readonly string[] | 'all';
}

/** What to run in a sandbox (Warehouse.runSandboxed). */
export interface SandboxRequest {
  readonly projectId: string;
  readonly tables: readonly SandboxTable[];
  readonly sql: string;
  /** Rows beyond this are not read; the result says it was truncated. */
  readonly maxRows: number;
  /** Copy and query together; the query is interrupted at the deadline. */
  readonly timeoutMs: number;
  /** DuckDB threads of the sandbox (default 1). */
  readonly threads?: number;
  /** DuckDB memory_limit of the sandbox (default 1GB). */
  readonly memoryLimit?: string;
}

/** A sandboxed result with how the time was spent. */
export interface SandboxResult {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly Row[];
  readonly isTruncated: boolean;
  /** Rows copied into the sandbox, over all tables. */
  readonly copiedRows: number;
  readonly copyMs: number;
  readonly runMs: number;
}
