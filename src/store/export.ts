import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { EVENT_COLUMNS } from '../core/index.js';
import { quoteLiteral } from './sql.js';
import type { Row, SqlValue, Warehouse } from './warehouse.js';

/** Export file formats. */
export type ExportFormat = 'parquet' | 'csv' | 'jsonl';

/** What to export. */
export interface ExportOptions {
  readonly projectId: string;
  readonly format: ExportFormat;
  readonly out: string;
  readonly fromUs?: number;
  readonly toUs?: number;
}

function where(options: ExportOptions): { sql: string; params: SqlValue[] } {
  const params: SqlValue[] = [options.projectId];
  let sql = 'project_id = $1';
  if (options.fromUs !== undefined) {
    params.push({ timestampUs: options.fromUs });
    sql += ` AND timestamp >= $${params.length}`;
  }
  if (options.toUs !== undefined) {
    params.push({ timestampUs: options.toUs });
    sql += ` AND timestamp < $${params.length}`;
  }
  return { sql, params };
}

/**
 * The device clock reconstructed from the stored, skew-corrected time:
 * timestamp = received_at − (sent_at − original) ⇒ original = timestamp + sent_at − received_at.
 * Exported so that a re-import corrects to the same timestamps.
 */
const ORIGINAL_TIMESTAMP = 'CASE WHEN sent_at IS NULL THEN NULL ELSE timestamp + (sent_at - received_at) END';

/** Writes a project's events to a file; returns the number of rows. */
export async function exportEvents(wh: Warehouse, options: ExportOptions): Promise<number> {
  const filter = where(options);
  const columns = EVENT_COLUMNS.map((c) => c.name).join(', ');
  const select = `SELECT ${columns}, ${ORIGINAL_TIMESTAMP} AS original_timestamp FROM events WHERE ${filter.sql} ORDER BY timestamp, message_id`;
  if (options.format !== 'jsonl') {
    const format = options.format === 'parquet' ? '(FORMAT parquet)' : '(FORMAT csv, HEADER)';
    const rows = await wh.all({
      sql: `COPY (${select}) TO ${quoteLiteral(options.out)} ${format}`,
      params: filter.params,
    });
    return Number(rows[0]?.Count ?? rows[0]?.count ?? 0);
  }
  const out = createWriteStream(options.out);
  let count = 0;
  for await (const rows of wh.stream({ sql: select, params: filter.params })) {
    const text = rows.map((r) => JSON.stringify(toSegmentMessage(r))).join('\n');
    if (!out.write(`${text}\n`)) await once(out, 'drain');
    count += rows.length;
  }
  out.end();
  await once(out, 'finish');
  return count;
}

function parsed(text: unknown): unknown {
  return typeof text === 'string' ? JSON.parse(text) : (text ?? undefined);
}

/** An events row as the Segment message it came from (as Segment's own archives write it). */
export function toSegmentMessage(r: Row): Record<string, unknown> {
  const message: Record<string, unknown> = {
    type: r.type,
    messageId: r.message_id,
    timestamp: r.timestamp,
    originalTimestamp: r.original_timestamp ?? undefined,
    sentAt: r.sent_at ?? undefined,
    receivedAt: r.received_at,
    userId: r.user_id ?? undefined,
    anonymousId: r.anonymous_id ?? undefined,
    properties: parsed(r.properties),
    traits: parsed(r.traits),
    context: parsed(r.context),
    groupId: r.group_id ?? undefined,
    previousId: r.previous_id ?? undefined,
  };
  if (r.type === 'track') message.event = r.event;
  return message;
}
