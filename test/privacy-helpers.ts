import { existsSync, readFileSync } from 'node:fs';
import { issueApiKey, type Warehouse } from '../src/store/index.js';

/** A key with the query, export, pii and admin scopes, issued as `pathwise key create` does. */
export async function privilegedKey(wh: Warehouse, projectId = 'default'): Promise<string> {
  const issued = await issueApiKey(wh, { projectId, scopes: ['query', 'export', 'pii', 'admin'] });
  return issued.key;
}

/** Sends a request with a Bearer key and returns status and parsed body. */
export async function call(
  url: string,
  key: string,
  method: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** How many times each needle occurs in the database file and its WAL, byte for byte. */
export function scanFile(dbPath: string, needles: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  const files = [dbPath, `${dbPath}.wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
  for (const needle of needles) {
    let n = 0;
    for (const buf of files) {
      for (let i = buf.indexOf(needle); i >= 0; i = buf.indexOf(needle, i + 1)) n++;
    }
    out[needle] = n;
  }
  return out;
}

/** Per base table, the rows whose text (every column, cast) contains any of the ids. */
export async function directScan(wh: Warehouse, ids: readonly string[]): Promise<Record<string, number>> {
  const tables = await wh.all({
    sql: `SELECT table_name FROM information_schema.tables
          WHERE table_type = 'BASE TABLE' AND table_catalog = current_database() AND table_schema = 'main'`,
  });
  const out: Record<string, number> = {};
  for (const t of tables) {
    const name = String(t.table_name);
    const rows = await wh.all({
      sql: `SELECT count(*) AS n FROM "${name}" AS x
            WHERE list_bool_or(list_transform($1::VARCHAR[], lambda i: contains(x::VARCHAR, i)))`,
      params: [[...ids]],
    });
    const n = Number(rows[0]?.n ?? 0);
    if (n > 0) out[name] = n;
  }
  return out;
}
