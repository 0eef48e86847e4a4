import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { PathwiseError } from '../../core/index.js';
import { quoteIdent } from '../sql.js';
import type { Row, SandboxRequest, SandboxResult, SandboxTable } from '../warehouse.js';
import { toRows } from './values.js';

/**
 * The sandbox database's settings. With external access off DuckDB refuses every file, network,
 * ATTACH, COPY, INSTALL and LOAD; lock_configuration then refuses every SET, so the SQL cannot
 * turn it back on. Nothing else is in the sandbox but the copied rows.
 */
function sandboxConfig(request: SandboxRequest): Record<string, string> {
  return {
    enable_external_access: 'false',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    allow_community_extensions: 'false',
    allow_persistent_secrets: 'false',
    threads: String(request.threads ?? 1),
    memory_limit: request.memoryLimit ?? '1GB',
    lock_configuration: 'true',
  };
}

async function tableColumns(source: DuckDBConnection, table: string) {
  const reader = await source.runAndReadAll(
    `SELECT column_name, data_type FROM duckdb_columns()
     WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1
     ORDER BY column_index`,
    [table],
  );
  return reader.getRowObjects().map((r) => ({ name: String(r.column_name), type: String(r.data_type) }));
}

/** Copies the project's rows of one table, chunk by chunk, without converting values to JS. */
async function copyTable(
  source: DuckDBConnection,
  target: DuckDBConnection,
  table: SandboxTable,
  projectId: string,
): Promise<number> {
  const wanted = table.columns === 'all' ? null : new Set(table.columns.map((c) => c.toLowerCase()));
  const all = await tableColumns(source, table.name);
  if (all.length === 0) return 0;
  // project_id is always copied, so that count(*) over a table with no named column still works.
  const columns = all.filter((c) => !wanted || wanted.has(c.name.toLowerCase()) || c.name === 'project_id');
  const list = columns.map((c) => quoteIdent(c.name)).join(', ');
  await target.run(
    `CREATE TABLE ${quoteIdent(table.name)} (${columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`,
  );
  const result = await source.stream(
    `SELECT ${list} FROM main.${quoteIdent(table.name)} WHERE project_id = $1`,
    [projectId],
  );
  const appender = await target.createAppender(table.name);
  let copied = 0;
  try {
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      appender.appendDataChunk(chunk);
      copied += chunk.rowCount;
    }
  } finally {
    appender.closeSync();
  }
  return copied;
}

async function readLimited(target: DuckDBConnection, sql: string, maxRows: number) {
  const result = await target.stream(sql);
  const names = result.columnNames();
  const types = result.columnTypes().map((t) => t.toString());
  const rows: Row[] = [];
  let isTruncated = false;
  for await (const batch of result.yieldRowObjects()) {
    for (const row of toRows(batch)) {
      if (rows.length === maxRows) {
        isTruncated = true;
        break;
      }
      rows.push(row);
    }
    if (isTruncated) break;
  }
  return { columns: names.map((name, i) => ({ name, type: types[i] ?? '' })), rows, isTruncated };
}

/** Warehouse.runSandboxed for DuckDB: copy (one snapshot of the source), then run under a deadline. */
export async function runSandboxed(source: DuckDBInstance, request: SandboxRequest): Promise<SandboxResult> {
  const sandbox = await DuckDBInstance.create(':memory:', sandboxConfig(request));
  const target = await sandbox.connect();
  const reader = await source.connect();
  let active = reader;
  let isTimedOut = false;
  const timer = setTimeout(() => {
    isTimedOut = true;
    active.interrupt();
  }, request.timeoutMs);
  const started = performance.now();
  try {
    let copiedRows = 0;
    await reader.run('BEGIN TRANSACTION');
    for (const table of request.tables)
      copiedRows += await copyTable(reader, target, table, request.projectId);
    await reader.run('COMMIT');
    const copyMs = performance.now() - started;
    active = target;
    const result = await readLimited(target, request.sql, request.maxRows);
    return { ...result, copiedRows, copyMs, runMs: performance.now() - started - copyMs };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (isTimedOut) throw new PathwiseError('PW_SQL_TIMEOUT', { timeoutMs: request.timeoutMs });
    throw new PathwiseError('PW_STORE_SQL_ERROR', { reason }, { cause: err });
  } finally {
    clearTimeout(timer);
    reader.closeSync();
    target.closeSync();
    sandbox.closeSync();
  }
}
