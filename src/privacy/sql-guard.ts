import { PathwiseError } from '../core/index.js';
import type { SandboxTable } from '../store/index.js';

/**
 * Reads the parse tree DuckDB's `json_serialize_sql` makes of user SQL and decides which tables
 * (and columns) the sandbox needs. Pure: no I/O. The walk is generic (every object at any depth
 * is inspected), so a construct this file does not name still has its tables checked.
 *
 * Allowed: exactly one SELECT (with CTEs, subqueries, joins, UNION, window functions, …) over
 * unqualified names of the allowed tables and the query's own CTEs. Refused: any other statement
 * (DuckDB's serializer only accepts SELECT), table functions (read_parquet, read_csv, glob,
 * query_table, duckdb_settings, …), file names in FROM (replacement scans), qualified names
 * (another catalog or schema).
 */
export function planSandboxTables(serialized: unknown, allowed: readonly string[]): SandboxTable[] {
  const tree = serialized as { error?: boolean; error_message?: string; statements?: unknown[] };
  const refuse = (reason: string) =>
    new PathwiseError('PW_SQL_NOT_ALLOWED', { tables: allowed.join(', '), reason });
  if (tree.error) {
    const message = String(tree.error_message ?? 'the SQL does not parse');
    if (/only select/i.test(message))
      throw refuse('only SELECT statements run here (no writes, COPY, ATTACH, SET, PRAGMA, CALL, …)');
    throw new PathwiseError('PW_STORE_SQL_ERROR', { reason: message });
  }
  if (!Array.isArray(tree.statements) || tree.statements.length !== 1)
    throw refuse(`exactly one statement, found ${tree.statements?.length ?? 0}`);
  const found = collect(tree.statements[0]);
  if (found.tableFunctions.length > 0)
    throw refuse(`table functions are not allowed (${found.tableFunctions.join(', ')})`);
  const used = new Set<string>();
  for (const ref of found.tables) {
    if (ref.catalog !== '' || ref.schema !== '')
      throw refuse(
        `qualified names are not allowed (${[ref.catalog, ref.schema, ref.name].filter(Boolean).join('.')})`,
      );
    const name = ref.name.toLowerCase();
    if (allowed.includes(name)) used.add(name);
    else if (!found.ctes.has(name)) throw refuse(`no table "${ref.name}"`);
  }
  // A row referenced as a whole (SELECT e FROM events e) needs every column, as * does.
  const names = new Set([...used, ...found.aliases]);
  const isWholeRow = [...found.columns].some((c) => names.has(c));
  const columns = found.isAllColumns || isWholeRow ? 'all' : [...found.columns];
  return [...used].sort().map((name) => ({ name, columns }));
}

interface Found {
  tables: { catalog: string; schema: string; name: string }[];
  tableFunctions: string[];
  ctes: Set<string>;
  aliases: Set<string>;
  columns: Set<string>;
  isAllColumns: boolean;
}

function collect(root: unknown): Found {
  const found: Found = {
    tables: [],
    tableFunctions: [],
    ctes: new Set(),
    aliases: new Set(),
    columns: new Set(),
    isAllColumns: false,
  };
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    inspect(node as Record<string, unknown>, found);
    stack.push(...Object.values(node));
  }
  return found;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

function inspect(node: Record<string, unknown>, found: Found): void {
  const type = node.type;
  if (type === 'BASE_TABLE' || (type === 'SHOW_REF' && text(node.table_name) !== '')) {
    found.tables.push({
      catalog: text(node.catalog_name),
      schema: text(node.schema_name),
      name: text(node.table_name),
    });
    if (type === 'SHOW_REF') found.isAllColumns = true;
    if (text(node.alias) !== '') found.aliases.add(text(node.alias).toLowerCase());
  }
  if (type === 'TABLE_FUNCTION') {
    const fn = node.function as { function_name?: unknown } | undefined;
    found.tableFunctions.push(text(fn?.function_name) || '(unnamed)');
  }
  if (node.class === 'COLUMN_REF' && Array.isArray(node.column_names))
    for (const c of node.column_names) found.columns.add(String(c).toLowerCase());
  if (node.class === 'STAR' || type === 'STAR') found.isAllColumns = true;
  if (type === 'JOIN') {
    if (node.ref_type === 'NATURAL') found.isAllColumns = true;
    if (Array.isArray(node.using_columns))
      for (const c of node.using_columns) found.columns.add(String(c).toLowerCase());
  }
  const cteMap = node.cte_map as { map?: { key?: unknown }[] } | undefined;
  if (cteMap && Array.isArray(cteMap.map))
    for (const e of cteMap.map) found.ctes.add(text(e.key).toLowerCase());
}
