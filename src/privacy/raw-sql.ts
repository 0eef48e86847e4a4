import { PathwiseError } from '../core/index.js';
import type { Row, Warehouse } from '../store/index.js';
import type { Principal } from './principal.js';
import { planSandboxTables } from './sql-guard.js';

/** The tables raw SQL can read, each reduced to the caller's project. */
export const SQL_TABLES: readonly string[] = [
  'events',
  'persons',
  'sessions',
  'person_distinct_ids',
  'rejected_events',
];

/** Row and time limits of raw SQL: a request may lower them, never raise them past the maximum. */
export const SQL_LIMITS = {
  defaultRows: 1000,
  maxRows: 100_000,
  defaultTimeoutMs: 15_000,
  maxTimeoutMs: 120_000,
} as const;

/** A raw SQL answer. */
export interface ProjectSqlResult {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly Row[];
  readonly rowCount: number;
  /** True when the query had more rows than the limit (only the first are returned). */
  readonly isTruncated: boolean;
  /** The project tables the query read (copied into its sandbox). */
  readonly tables: readonly string[];
  readonly copiedRows: number;
  readonly copyMs: number;
  readonly runMs: number;
}

function clamp(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.max(1, Math.min(Math.floor(value), max));
}

/**
 * Runs a user's SELECT over their own project's rows only (README, "Raw SQL"): DuckDB parses it,
 * sql-guard admits one SELECT over SQL_TABLES, and the store runs it in a sandbox database that
 * holds nothing but the project's rows of those tables, with file access off and settings locked.
 * Needs `query` and `pii`.
 */
export async function runProjectSql(
  wh: Warehouse,
  principal: Principal,
  sql: string,
  limits: { maxRows?: number; timeoutMs?: number } = {},
): Promise<ProjectSqlResult> {
  for (const scope of ['query', 'pii'] as const)
    if (!principal.scopes.includes(scope)) throw new PathwiseError('PW_AUTH_WRONG_SCOPE', { scope });
  const parsed = await wh.all({ sql: 'SELECT json_serialize_sql($1::VARCHAR) AS tree', params: [sql] });
  const tables = planSandboxTables(JSON.parse(String(parsed[0]?.tree ?? '{}')), SQL_TABLES);
  const result = await wh.runSandboxed({
    projectId: principal.projectId,
    tables,
    sql,
    maxRows: clamp(limits.maxRows, SQL_LIMITS.defaultRows, SQL_LIMITS.maxRows),
    timeoutMs: clamp(limits.timeoutMs, SQL_LIMITS.defaultTimeoutMs, SQL_LIMITS.maxTimeoutMs),
  });
  return { ...result, rowCount: result.rows.length, tables: tables.map((t) => t.name) };
}
