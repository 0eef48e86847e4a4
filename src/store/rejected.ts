import type { Row, SqlValue, Warehouse } from './warehouse.js';

/** Which rejected events to list. */
export interface RejectedFilter {
  readonly projectId?: string;
  readonly code?: string;
  readonly limit?: number;
}

function where(filter: RejectedFilter): { sql: string; params: SqlValue[] } {
  const params: SqlValue[] = [];
  const parts: string[] = [];
  if (filter.projectId) {
    params.push(filter.projectId);
    parts.push(`project_id = $${params.length}`);
  }
  if (filter.code) {
    params.push(filter.code);
    parts.push(`code = $${params.length}`);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** The newest rejected events with their raw payloads. */
export async function listRejected(wh: Warehouse, filter: RejectedFilter = {}): Promise<Row[]> {
  const w = where(filter);
  return wh.all({
    sql: `SELECT received_at, project_id, source, batch_index, code, reason, raw FROM rejected_events ${w.sql}
          ORDER BY received_at DESC LIMIT $${w.params.length + 1}`,
    params: [...w.params, filter.limit ?? 50],
  });
}

/** Rejected events counted by reason code. */
export async function countRejected(
  wh: Warehouse,
  filter: RejectedFilter = {},
): Promise<Record<string, number>> {
  const w = where(filter);
  const rows = await wh.all({
    sql: `SELECT code, count(*) AS n FROM rejected_events ${w.sql} GROUP BY code ORDER BY n DESC, code`,
    params: w.params,
  });
  return Object.fromEntries(rows.map((r) => [String(r.code), Number(r.n)]));
}
