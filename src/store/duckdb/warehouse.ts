import { type DuckDBConnection, DuckDBInstance, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { type EventRow, PathwiseError, type RejectedRow } from '../../core/index.js';
import type {
  OpenOptions,
  Row,
  SandboxRequest,
  SandboxResult,
  SqlQuery,
  SqlSession,
  Warehouse,
} from '../warehouse.js';
import { RowAppenders, SMALL_INSERT_ROWS } from './append.js';
import { MIGRATIONS } from './migrations.js';
import { Mutex } from './mutex.js';
import { runSandboxed } from './sandbox.js';
import { toDuckValue, toRows } from './values.js';

function bind(query: SqlQuery): { values: DuckDBValue[]; types: DuckDBType[] } | undefined {
  if (!query.params || query.params.length === 0) return undefined;
  const converted = query.params.map(toDuckValue);
  return { values: converted.map((c) => c.value), types: converted.map((c) => c.type) };
}

async function runOn(conn: DuckDBConnection, query: SqlQuery): Promise<Row[]> {
  const bound = bind(query);
  const reader = await conn.runAndReadAll(query.sql, bound?.values, bound?.types);
  return toRows(reader.getRowObjects());
}

class DuckDbWarehouse implements Warehouse {
  readonly dialect = 'duckdb';
  private isClosed = false;
  private readonly writeLock = new Mutex();
  private readonly readLock = new Mutex();
  /** The writer connection's appenders, open between appendBatch calls. */
  private readonly appenders: RowAppenders;

  constructor(
    readonly path: string,
    readonly isReadOnly: boolean,
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly reader: DuckDBConnection,
  ) {
    this.appenders = new RowAppenders(writer);
  }

  all(query: SqlQuery): Promise<Row[]> {
    return this.readLock.run(() => runOn(this.reader, query));
  }

  run(query: SqlQuery): Promise<void> {
    return this.writeLock.run(async () => {
      // Other statements on the writer may change the tables the appenders were made for.
      this.appenders.close();
      await runOn(this.writer, query);
    });
  }

  async *stream(query: SqlQuery): AsyncIterable<Row[]> {
    // A dedicated connection, so that a slow consumer does not hold up other readers.
    const conn = await this.instance.connect();
    try {
      const bound = bind(query);
      const result = await conn.stream(query.sql, bound?.values, bound?.types);
      for await (const rows of result.yieldRowObjects()) yield toRows(rows);
    } finally {
      conn.closeSync();
    }
  }

  appendBatch(events: readonly EventRow[], rejected: readonly RejectedRow[]): Promise<void> {
    return this.writeLock.run(async () => {
      // Appenders kept from an earlier batch may be stale (a table changed on another
      // connection): an append that fails with them is retried once with fresh ones. A failed
      // COMMIT is never retried here.
      const wereFresh = this.appenders.isFresh;
      const failedAt = await this.appendInTransaction(events, rejected, !wereFresh);
      if (failedAt === 'append') await this.appendInTransaction(events, rejected, false);
    });
  }

  /** One transaction; resolves 'append' instead of throwing when the append failed and isRetried. */
  private async appendInTransaction(
    events: readonly EventRow[],
    rejected: readonly RejectedRow[],
    isRetried: boolean,
  ): Promise<'append' | null> {
    if (rejected.length === 0 && events.length > 0 && events.length <= SMALL_INSERT_ROWS) {
      // One autocommit statement: durable when it resolves. It fails as a whole, so that a
      // retry with a fresh statement (isRetried) cannot store a row twice.
      try {
        if (await this.appenders.insertSmall(events)) return null;
      } catch (err) {
        this.appenders.close();
        if (isRetried) return 'append';
        throw err;
      }
    }
    await this.writer.run('BEGIN TRANSACTION');
    let stage: 'append' | 'commit' = 'append';
    try {
      await this.appenders.append(events, rejected);
      stage = 'commit';
      // COMMIT returns after DuckDB has written and fsynced the WAL: the batch is durable.
      await this.writer.run('COMMIT');
      return null;
    } catch (err) {
      await this.writer.run('ROLLBACK').catch(() => undefined);
      this.appenders.close();
      if (stage === 'append' && isRetried) return 'append';
      throw err;
    }
  }

  async transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    // DuckDB's optimistic MVCC lets this connection update rows while the writer appends new ones.
    const conn = await this.instance.connect();
    const session: SqlSession = {
      all: (query) => runOn(conn, query),
      run: async (query) => {
        await runOn(conn, query);
      },
    };
    try {
      await conn.run('BEGIN TRANSACTION');
      try {
        const result = await fn(session);
        await conn.run('COMMIT');
        return result;
      } catch (err) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      conn.closeSync();
    }
  }

  runSandboxed(request: SandboxRequest): Promise<SandboxResult> {
    return runSandboxed(this.instance, request);
  }

  exclusive<T>(fn: (tx: SqlSession) => Promise<T>, options: { isCheckpointed?: boolean } = {}): Promise<T> {
    return this.writeLock.run(async () => {
      // The rewrite replaces whole tables the kept appenders were made for.
      this.appenders.close();
      const session: SqlSession = {
        all: (query) => runOn(this.writer, query),
        run: async (query) => {
          await runOn(this.writer, query);
        },
      };
      await this.writer.run('BEGIN TRANSACTION');
      let result: T;
      try {
        result = await fn(session);
        await this.writer.run('COMMIT');
      } catch (err) {
        await this.writer.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      // FORCE waits for other connections' transactions (DuckDB ≥ 1.4) instead of failing.
      if (options.isCheckpointed) await this.writer.run('FORCE CHECKPOINT');
      return result;
    });
  }

  checkpoint(): Promise<void> {
    return this.writeLock.run(async () => {
      this.appenders.close();
      if (!this.isReadOnly) await this.writer.run('CHECKPOINT');
    });
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    await this.checkpoint().catch(() => undefined);
    await this.writeLock.run(async () => this.appenders.close());
    this.reader.closeSync();
    this.writer.closeSync();
    this.instance.closeSync();
  }
}

async function migrate(conn: DuckDBConnection): Promise<void> {
  await conn.run(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
  );
  // Each version runs once, by membership rather than by the highest applied: versions are
  // reserved per branch and may land out of order (a file at 6 still gets 3, 4 and 5).
  const rows = await runOn(conn, { sql: 'SELECT version FROM schema_migrations' });
  const applied = new Set(rows.map((r) => Number(r.version)));
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    await conn.run('BEGIN TRANSACTION');
    try {
      for (const statement of migration.statements) await conn.run(statement);
      await runOn(conn, {
        sql: 'INSERT INTO schema_migrations VALUES ($1, $2, now()::TIMESTAMP)',
        params: [migration.version, migration.name],
      });
      await conn.run('COMMIT');
    } catch (err) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }
}

/** WAL size that triggers an automatic checkpoint (see openDuckDbWarehouse). */
const WAL_CHECKPOINT_THRESHOLD = '128MB';

function openError(path: string, err: unknown): PathwiseError {
  const reason = err instanceof Error ? err.message : String(err);
  // DuckDB takes an exclusive file lock for read-write; a second writer fails with this text.
  if (/lock/i.test(reason)) return new PathwiseError('PW_STORE_LOCKED', { path, reason }, { cause: err });
  return new PathwiseError('PW_STORE_OPEN_FAILED', { path, reason }, { cause: err });
}

/** Opens (creating when needed) a DuckDB store and brings its schema up to date. */
export async function openDuckDbWarehouse(options: OpenOptions): Promise<Warehouse> {
  const isReadOnly = options.isReadOnly ?? false;
  const config: Record<string, string> = { access_mode: isReadOnly ? 'READ_ONLY' : 'READ_WRITE' };
  // DuckDB checkpoints inside the COMMIT that pushes the WAL past this size, and each checkpoint
  // rewrites the table's last, partly filled row group. At the default 16 MB (~16k events) that
  // rewrite repeats many times per 122,880-row group: bench/ingest measured half the append rate,
  // twice the CPU per event and commits stalled for seconds. Durability is unchanged (every
  // COMMIT still fsyncs the WAL); a restart after a crash replays at most this much WAL.
  if (!isReadOnly) config.checkpoint_threshold = WAL_CHECKPOINT_THRESHOLD;
  if (options.threads) config.threads = String(options.threads);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(options.path, config);
  } catch (err) {
    throw openError(options.path, err);
  }
  const writer = await instance.connect();
  const reader = await instance.connect();
  if (!isReadOnly) await migrate(writer);
  return new DuckDbWarehouse(options.path, isReadOnly, instance, writer, reader);
}
